#!/usr/bin/env python3
"""hubspot-ls in real Helix, driven in tmux as a person would use it.

editors/helix/languages.toml is installed as a user installs it (into $XDG_CONFIG_HOME/helix,
every XDG dir and HOME temporary) and `hubspot-ls` is put on PATH. For the global config, a
legacy hubspot.config.yml, .hs/settings.json and .hsaccount: the diagnostics appear (the
status line's counts and the `space d` picker), a completion is offered and accepted, and a
code action is applied from `space a`; each is asserted on the screen and in the saved file.

Helix: $HX, else `hx` on PATH. The server: $HUBSPOT_LS. Every wait polls the screen for a state
until one deadline, HELIX_TEST_TIMEOUT seconds (default 20). Screens of failed checks go to
$EDITOR_ARTIFACTS. Prints PASS/FAIL lines and `helix: N passed, N failed`; exit 1 on a failure.
"""

from __future__ import annotations

import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time

from scenarios import SCENARIOS

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[2]
FIXTURES = ROOT / "tests" / "editors" / "fixtures"
DEADLINE = float(os.environ.get("HELIX_TEST_TIMEOUT", "20"))
ARTIFACTS = pathlib.Path(os.environ.get("EDITOR_ARTIFACTS", ROOT / "target" / "editor-artifacts"))

passed = 0
failed = 0


def report(name: str, ok: bool, detail: str = "") -> None:
    global passed, failed
    passed, failed = passed + ok, failed + (not ok)
    print(f"{'PASS' if ok else 'FAIL'} helix: {name}{'' if ok or not detail else ': ' + detail}", flush=True)


class Timeout(Exception):
    pass


def reverse_spans(raw: str) -> tuple[str, list[bool]]:
    """A captured line with escapes (`capture-pane -e`): its text, and per character whether it
    is drawn in reverse video (how Helix's default theme marks the selected menu row)."""
    text, rev, on, i = [], [], False, 0
    while i < len(raw):
        m = re.match(r"\x1b\[([0-9;:]*)m", raw[i:])
        if m:
            params = m.group(1).split(";") if m.group(1) else ["0"]
            j = 0
            while j < len(params):
                p = params[j]
                if p in ("", "0", "27"):
                    on = False
                elif p == "7":
                    on = True
                elif p in ("38", "48", "58"):  # colours: their arguments are not attributes
                    j += 2 if j + 1 < len(params) and params[j + 1] == "5" else 4
                j += 1
            i += m.end()
            continue
        if raw[i] == "\x1b":  # another escape: skip it whole
            m = re.match(r"\x1b\[[0-9;?]*[A-Za-z]", raw[i:])
            i += m.end() if m else 1
            continue
        text.append(raw[i])
        rev.append(on)
        i += 1
    return "".join(text), rev


class Helix:
    """One Helix in its own tmux server, on one file, with its own HOME and XDG dirs."""

    def __init__(self, hx: str, env: dict, path: pathlib.Path, name: str):
        self.name = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
        self.sock = f"hubspot-ls-{os.getpid()}-{self.name}"
        self.env = env
        self.tmux(["new-session", "-d", "-s", "hx", "-x", "160", "-y", "45", f"{shlex.quote(hx)} {shlex.quote(str(path))}"], cfg=True)

    def tmux(self, args: list[str], cfg: bool = False) -> str:
        cmd = ["tmux", "-L", self.sock] + (["-f", "/dev/null"] if cfg else []) + args
        return subprocess.run(cmd, env=self.env, check=True, capture_output=True, text=True).stdout

    def screen(self, escapes: bool = False) -> str:
        return self.tmux(["capture-pane", "-p", "-t", "hx"] + (["-e"] if escapes else []))

    def keys(self, *keys: str) -> None:
        self.tmux(["send-keys", "-t", "hx", *keys])

    def type(self, text: str) -> None:
        self.tmux(["send-keys", "-t", "hx", "-l", text])

    def wait(self, what: str, pred):
        """Polls the screen until `pred(screen)` is truthy; returns that value."""
        end = time.monotonic() + DEADLINE
        screen = ""
        while time.monotonic() < end:
            screen = self.screen()
            got = pred(screen)
            if got:
                return got
            time.sleep(0.05)
        self.save(screen)
        raise Timeout(f"no {what} within {DEADLINE:.0f} s (screen saved in {ARTIFACTS})")

    def status_counts(self, screen: str) -> list[int] | None:
        """The status line's diagnostic counts, as Helix shows them: `● warnings ● errors`,
        each only when not zero."""
        line = next((l for l in screen.splitlines() if re.match(r"\s*(NOR|INS|SEL)\s", l)), None)
        return None if line is None else [int(n) for n in re.findall(r"● (\d+)", line)]

    def wait_counts(self, want: list[int]) -> None:
        self.wait(f"status line counts {want}", lambda s: self.status_counts(s) == want)

    def choose(self, title: str, step: str) -> None:
        """Moves the open menu's selection (with `step`) to the row showing `title`, then Enter."""

        def selected() -> bool:
            for raw in self.screen(escapes=True).splitlines():
                text, rev = reverse_spans(raw)
                at = text.find(title)
                if at >= 0 and all(rev[at : at + len(title)]):
                    return True
            return False

        self.wait(f"a menu row {title!r}", lambda s: title in s)
        for _ in range(30):
            if selected():
                self.keys("Enter")
                return
            before = self.screen(escapes=True)
            self.keys(step)
            self.wait("the menu selection to move", lambda s: self.screen(escapes=True) != before)
        raise Timeout(f"{title!r} never got selected")

    def save(self, screen: str | None = None) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"helix-{self.name}.txt").write_text(screen if screen is not None else self.screen())

    def mode(self, screen: str) -> str | None:
        line = next((l for l in screen.splitlines() if re.match(r"\s*(NOR|INS|SEL)\s", l)), None)
        return None if line is None else line.split()[0]

    def escape(self, what: str, pred) -> None:
        """Escape, then wait for `pred`: a key sent before Helix has read the Escape alone
        would arrive with it as one Alt-key."""
        self.keys("Escape")
        self.wait(what, pred)

    def write(self) -> None:
        if self.mode(self.screen()) != "NOR":
            self.escape("normal mode", lambda s: self.mode(s) == "NOR")
        self.type(":w")
        self.keys("Enter")
        self.wait("the write message", lambda s: "written" in s)

    def quit(self) -> None:
        subprocess.run(["tmux", "-L", self.sock, "kill-server"], env=self.env, capture_output=True)


def check(name: str, fn) -> None:
    try:
        fn()
        report(name, True)
    except (Timeout, AssertionError, subprocess.CalledProcessError, OSError) as e:
        report(name, False, str(e) or type(e).__name__)


def setup(tmp: pathlib.Path, server: str) -> dict:
    """A user's machine: the fixtures as HOME and project, languages.toml installed, the
    server on PATH, nothing of the real user's configuration."""
    shutil.copytree(FIXTURES, tmp, dirs_exist_ok=True)
    (tmp / "home" / ".hscli" / "config.yml").chmod(0o600)
    xdg = {k: tmp / "xdg" / k.split("_")[1].lower() for k in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME")}
    for d in xdg.values():
        d.mkdir(parents=True)
    (xdg["XDG_CONFIG_HOME"] / "helix").mkdir()
    shutil.copy(ROOT / "editors" / "helix" / "languages.toml", xdg["XDG_CONFIG_HOME"] / "helix" / "languages.toml")
    bin_dir = tmp / "bin"
    bin_dir.mkdir()
    (bin_dir / "hubspot-ls").symlink_to(server)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUBSPOT", "XDG_", "TMUX")) and k != "USE_ENVIRONMENT_HUBSPOT_CONFIG"}
    env.update({k: str(v) for k, v in xdg.items()})
    env.update(HOME=str(tmp / "home"), PATH=f"{bin_dir}:{env.get('PATH', '/usr/bin:/bin')}", SHELL="/bin/sh",
               TERM="xterm-256color", HUBSPOT_LS_API_URL="http://127.0.0.1:9")
    return env


def scenario(hx: str, server: str, name: str, rel: str, steps) -> None:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    with tempfile.TemporaryDirectory(prefix=f"hubspot-ls-helix-{slug}-") as t:
        tmp = pathlib.Path(t)
        env = setup(tmp, server)
        path = tmp / rel
        ed = Helix(hx, env, path, name)
        try:
            steps(ed, path, lambda what, fn: check(f"{name}: {what}", fn))
        finally:
            ed.quit()


def main() -> int:
    hx = os.environ.get("HX") or shutil.which("hx")
    if not hx or not os.access(hx, os.X_OK):
        report("Helix", False, f"no Helix to run: HX is {os.environ.get('HX')!r} and there is no hx on PATH "
                               "(set HX to the hx binary, e.g. ../shared/tools/helix/hx)")
        return finish()
    server = os.environ.get("HUBSPOT_LS", "")
    if not server or not os.access(server, os.X_OK):
        report("hubspot-ls", False, f"no server binary: HUBSPOT_LS is {server!r}")
        return finish()
    if not shutil.which("tmux"):
        report("tmux", False, "tmux is not installed (apt-get install tmux)")
        return finish()
    for name, rel, steps in SCENARIOS:
        try:
            scenario(hx, server, name, rel, steps)
        except (Timeout, subprocess.CalledProcessError, OSError) as e:
            report(f"{name}: setting up", False, str(e))
    return finish()


def finish() -> int:
    print(f"helix: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())

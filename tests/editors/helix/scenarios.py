"""What the Helix test does in each file: steps(ed, path, check), where `ed` drives Helix
(test_helix.Helix) and `check(name, fn)` runs one reported check."""

from __future__ import annotations

import re


def diagnostics(ed, check, counts: list[int], codes: list[str]) -> None:
    """The status line's `● warnings ● errors`, then every code in the `space d` picker."""
    check(f"diagnostics in the status line ({' '.join(f'● {n}' for n in counts)})", lambda: ed.wait_counts(counts))

    def picker():
        ed.keys("Space", "d")
        ed.wait(f"the diagnostics picker listing {codes}", lambda s: all(c in s for c in codes) and "hubspot-ls" in s)
        ed.escape("the picker to close", lambda s: "┌" not in s)

    check(f"space d lists {', '.join(codes)}", picker)


def complete(ed, check, path, label: str, want: str) -> None:
    """In insert mode: C-x, pick `label`, leave insert mode, save; `want` is in the file."""

    def run():
        # The label may stand in the document too (an account's id, at a line's end): wait for
        # the menu's row, where the label is followed by its detail or kind.
        row = re.compile(re.escape(label) + r" +\S")
        ed.keys("C-x")
        ed.wait(f"the completion menu listing {label!r}", lambda s: row.search(s))
        ed.choose(label, "C-n")
        ed.write()
        text = path.read_text()
        assert want in text, f"{want!r} not in the saved file:\n{text}"

    check(f"completion offers {label!r} and inserts it", run)


def action(ed, check, path, title: str, want: str, counts: list[int] | None = None) -> None:
    """`space a` at the cursor, pick `title`, save; `want` is in the file (and the counts follow)."""

    def run():
        ed.keys("Space", "a")
        ed.choose(title, "Down")
        ed.write()
        text = path.read_text()
        assert want in text, f"{want!r} not in the saved file:\n{text}"
        if counts is not None:
            ed.wait_counts(counts)

    check(f"space a applies {title!r}", run)


def global_config(ed, path, check):
    # Warnings first: a quoted id (the CLI reads it as it is) and an unknown key; one error.
    diagnostics(ed, check, [2, 1], ["type", "name-whitespace", "unknown-key"])
    ed.keys("2", "7", "g", "g", "f", "y")  # onto "my sandbox"
    action(ed, check, path, 'Rename to "my-sandbox"', "  - name: my-sandbox\n", [2])
    ed.keys("2", "g", "g", "x", "c")  # line 2, `defaultAccount: prod-portal`, retyped
    ed.type("defaultAccount: ")
    complete(ed, check, path, "789012", "\ndefaultAccount: 789012\n")


def legacy_config(ed, path, check):
    # Beside a global config the CLI ignores it; its legacy keys and a bad env are warnings.
    diagnostics(ed, check, [6], ["legacy-config-ignored", "deprecated", "enum"])
    ed.keys("2", "g", "g")  # onto `defaultPortal`
    action(ed, check, path, "Replace defaultPortal with defaultAccount: 111111", "\ndefaultAccount: 111111\n", [5])
    ed.keys("8", "g", "g", "f", "s", "e", "c")  # `env: staging`: the value replaced
    complete(ed, check, path, "qa", "    env: qa\n")


def settings(ed, path, check):
    diagnostics(ed, check, [1], ["linked-account-unknown"])
    ed.keys("2", "g", "g", "f", ",", "f", "5")  # onto 555555
    action(ed, check, path, "Remove 555555 from accounts", '"accounts": [123456]', [])
    ed.keys("3", "g", "g", "f", "1", "e", "c")  # the localDefaultAccount value replaced
    complete(ed, check, path, "789012", '"localDefaultAccount": 789012')


def hsaccount(ed, path, check):
    # Both warnings: a local default shadows this file, so the CLI never reads it.
    diagnostics(ed, check, [2], ["hsaccount-invalid", "hsaccount-shadowed"])
    action(ed, check, path, 'Replace "prod-portal" with its id 123456', "123456", [1])
    ed.keys("%", "c")
    complete(ed, check, path, "345678", "345678")


SCENARIOS = [
    ("global config", "home/.hscli/config.yml", global_config),
    ("legacy config", "legacy/hubspot.config.yml", legacy_config),
    ("settings.json", "project/.hs/settings.json", settings),
    (".hsaccount", "project/theme/.hsaccount", hsaccount),
]

"""The pre-commit hooks of .pre-commit-hooks.yaml, run as a user runs them: `pre-commit
try-repo` against a snapshot of this repository (its working tree, uncommitted changes
included), on a temporary git repository holding a broken hubspot.config.yml.

pre-commit builds the hook's environment with `cargo install --path .`: the snapshot is
committed once, so every run below reuses that one build; its target directory persists
under cargo's target dir, so later test runs rebuild only what changed. The build is not
optimised (the hooks' behaviour is the same): on two cores that is minutes instead of a
quarter of an hour.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
# The tests' one deadline (HUBSPOT_LS_TEST_TIMEOUT, seconds), stretched for a release build.
BUILD_DEADLINE = 180 * float(os.environ.get("HUBSPOT_LS_TEST_TIMEOUT", "10"))

BROKEN = """# project accounts
accounts:
  - name: prod portal # whitespace
    accountId: "123" # quoted
    authType: PersonalAccessKey
    personalAccessKey: pak-123
    auth:
      tokenInfo: {}
"""

FIXED = """# project accounts
accounts:
  - name: prod-portal # whitespace
    accountId: 123 # quoted
    authType: personalaccesskey
    personalAccessKey: pak-123
    auth:
      tokenInfo: {}
"""


def git(*args, cwd, **kw):
    env = dict(os.environ, GIT_AUTHOR_NAME="t", GIT_AUTHOR_EMAIL="t@example.invalid",
               GIT_COMMITTER_NAME="t", GIT_COMMITTER_EMAIL="t@example.invalid")
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, **kw)


def cargo_target_dir() -> pathlib.Path:
    meta = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"], cwd=ROOT,
                          check=True, capture_output=True, text=True)
    return pathlib.Path(json.loads(meta.stdout)["target_directory"])


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory):
    """This repository as it is on disk, committed in a clone: what try-repo would install."""
    snap = tmp_path_factory.mktemp("snapshot") / "hubspot-ls"
    head = git("rev-parse", "HEAD", cwd=ROOT, text=True).stdout.strip()
    git("clone", "--quiet", "--no-checkout", str(ROOT), str(snap), cwd=ROOT)
    git("checkout", "--quiet", head, cwd=snap)
    diff = git("diff", "HEAD", "--binary", cwd=ROOT).stdout
    if diff:
        git("apply", "--index", "-", cwd=snap, input=diff)
    untracked = git("ls-files", "--others", "--exclude-standard", "-z", cwd=ROOT).stdout.decode().split("\0")
    for rel in filter(None, untracked):
        (snap / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / rel, snap / rel)
        git("add", "--", rel, cwd=snap)
    git("commit", "--quiet", "--allow-empty", "-m", "snapshot", cwd=snap)
    return snap


@pytest.fixture
def project(tmp_path, snapshot):
    home = tmp_path / "home"  # no global config: the legacy file is the one in force
    home.mkdir()
    repo = tmp_path / "site"
    repo.mkdir()
    git("init", "--quiet", cwd=repo)
    (repo / "hubspot.config.yml").write_text(BROKEN)
    (repo / "README.md").write_text("not a HubSpot file\n")
    git("add", ".", cwd=repo)
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUBSPOT") and k != "USE_ENVIRONMENT_HUBSPOT_CONFIG"}
    env.update(
        HOME=str(home),
        # Where cargo and rustup live must not follow HOME.
        CARGO_HOME=os.environ.get("CARGO_HOME", str(pathlib.Path.home() / ".cargo")),
        RUSTUP_HOME=os.environ.get("RUSTUP_HOME", str(pathlib.Path.home() / ".rustup")),
        PRE_COMMIT_HOME=str(snapshot.parent / "pre-commit-home"),
        CARGO_TARGET_DIR=str(cargo_target_dir() / "pre-commit"),
        CARGO_PROFILE_RELEASE_OPT_LEVEL="0",
        CARGO_PROFILE_RELEASE_DEBUG="false",
        CARGO_PROFILE_RELEASE_CODEGEN_UNITS="256",
        CARGO_PROFILE_RELEASE_LTO="false",
        HUBSPOT_LS_API_URL="http://127.0.0.1:9",
    )

    def try_repo(hook):
        p = subprocess.run(
            [sys.executable, "-m", "pre_commit", "try-repo", str(snapshot), hook, "--all-files", "--color", "never"],
            cwd=repo, env=env, capture_output=True, text=True, timeout=BUILD_DEADLINE,
        )
        return p.returncode, p.stdout + p.stderr

    return repo, try_repo


def test_check_hook_fails_on_a_broken_config(project):
    repo, try_repo = project
    code, out = try_repo("hubspot-ls")
    assert code != 0, out
    assert "hubspot-ls check" in out and "Failed" in out
    assert "hubspot.config.yml:3:11: error[name-whitespace]" in out, out
    assert "README.md" not in out, "only HubSpot files are passed"
    assert (repo / "hubspot.config.yml").read_text() == BROKEN, "the check hook changes nothing"


def test_fix_hook_fixes_then_passes(project):
    repo, try_repo = project
    code, out = try_repo("hubspot-ls-fix")
    assert code != 0 and "files were modified by this hook" in out, out
    assert (repo / "hubspot.config.yml").read_text() == FIXED
    code, out = try_repo("hubspot-ls-fix")
    assert code == 0 and "Passed" in out, out
    code, out = try_repo("hubspot-ls")
    assert code == 0 and "Passed" in out, out

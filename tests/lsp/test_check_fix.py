"""`hubspot-ls check --fix` and `--fix --diff`: the editor's obvious fixes applied to the
checked files (only edits inside them), repeated until nothing more applies, then a report of
what is left; `--diff` prints the patch instead and changes nothing."""
import json
import os
import stat
import subprocess

from conftest import VALID
from test_check import check

SECRET_PAK = "pat-na1-0c1d2e3f-4a5b-6c7d-8e9f-0123456789ab"

# Each broken line has one obvious fix, except defaultAccount (which account is a choice).
BROKEN = """# my accounts
defaultAccount: 999 # no such account
httpTimeout: 1000
allowUsageTraking: false # typo
accounts:
  - name: prod portal # whitespace
    accountId: "123" # quoted
    authType: PersonalAccessKey
    personalAccessKey: pak-123
    auth:
      tokenInfo: {}
"""

FIXED = """# my accounts
defaultAccount: 999 # no such account
httpTimeout: 3000
allowUsageTracking: false # typo
accounts:
  - name: prod-portal # whitespace
    accountId: 123 # quoted
    authType: personalaccesskey
    personalAccessKey: pak-123
    auth:
      tokenInfo: {}
"""


def mode(p):
    return stat.S_IMODE(os.stat(p).st_mode)


def test_fix_applies_the_obvious_fixes_and_reports_what_is_left(files):
    cfg = files.write(files.global_config, BROKEN, mode=0o640)
    code, out, err = check(files, "--fix", str(cfg))
    assert cfg.read_text() == FIXED, "comments, order and layout kept; each obvious fix made"
    assert mode(cfg) == 0o640, "the file keeps its permissions"
    assert "fixed " in err and "Rename to \"prod-portal\"" in err and "Set httpTimeout to 3000" in err, err
    # What is left needs a choice: which account is the default.
    assert code == 1
    assert "error[default-account-unknown]" in out
    for gone in ("http-timeout-low", "unknown-key", "name-whitespace", "[type]", "[enum]"):
        assert gone not in out, out
    assert out.splitlines()[-1].startswith("1 file(s) checked: 1 error(s)"), out


def test_a_second_fix_run_finds_nothing_to_do(files):
    cfg = files.write_global(BROKEN)
    check(files, "--fix", str(cfg))
    before = (cfg.read_bytes(), os.stat(cfg).st_mtime_ns)
    code, out, err = check(files, "--fix", str(cfg))
    assert "fixed" not in err
    assert (cfg.read_bytes(), os.stat(cfg).st_mtime_ns) == before, "a file with nothing to fix is not rewritten"
    assert code == 1


def test_fix_reaches_a_clean_file_and_exits_0(files):
    text = VALID.replace("    env: prod\n", "    env: PROD\n").replace("accountId: 456", 'accountId: "456"')
    cfg = files.write_global(text)
    code, out, err = check(files, "--fix", str(cfg))
    assert code == 0, out + err
    assert cfg.read_text() == VALID
    assert out.strip() == "1 file(s) checked: 0 error(s), 0 warning(s)"


def test_fix_renames_the_legacy_keys_one_at_a_time(files):
    files.write_global(VALID)
    legacy = files.write(
        "proj/hubspot.config.yml",
        "defaultPortal: dev # by name\ndefaultMode: draft\naccounts:\n  - name: dev\n    portalId: 456 # dev\n"
        "    sandboxAccountType: DEVELOPER\n    authType: personalaccesskey\n    personalAccessKey: pak-456\n"
        "    auth:\n      tokenInfo: {}\n",
    )
    code, out, err = check(files, "--fix", "--format", "json", str(legacy))
    assert legacy.read_text() == (
        "defaultAccount: 456 # by name\ndefaultCmsPublishMode: draft\naccounts:\n  - name: dev\n    accountId: 456 # dev\n"
        "    accountType: DEVELOPMENT_SANDBOX\n    authType: personalaccesskey\n    personalAccessKey: pak-456\n"
        "    auth:\n      tokenInfo: {}\n"
    )
    left = [i["code"] for i in json.loads(out)]
    assert "deprecated" not in left
    # Migrating to the global config writes other files: that stays the user's move.
    assert "legacy-config-ignored" in left


def test_fix_changes_only_the_checked_file_itself(files):
    # The obvious fixes here would write other files, run chmod, or ask for a key: none applies.
    cfg = files.write(files.global_config, VALID, mode=0o644)
    hsaccount = files.write("proj/.hsaccount", "123")
    before = {p: p.read_bytes() for p in files.root.rglob("*") if p.is_file()}
    code, out, err = check(files, "--fix", str(cfg), str(hsaccount))
    assert {p: p.read_bytes() for p in files.root.rglob("*") if p.is_file()} == before
    assert mode(cfg) == 0o644
    assert "config-permissions" in out and "hsaccount-deprecated" in out
    assert "fixed" not in err and code == 0


def test_fix_follows_the_other_checked_files(files):
    # settings.json names account 456, which only exists once the config's quoted id is fixed.
    cfg = files.write_global(VALID.replace("accountId: 456", 'accountId: "456"'))
    settings = files.write("proj/.hs/settings.json", '{\n  "accounts": [123, 456],\n  "localDefaultAccount": 456\n}\n')
    code, out, _ = check(files, "--fix", "--format", "json", str(cfg), str(settings))
    assert json.loads(out) == [] and code == 0
    assert settings.read_text() == '{\n  "accounts": [123, 456],\n  "localDefaultAccount": 456\n}\n'


def test_diff_prints_the_patch_changes_nothing_and_hides_credentials(files):
    text = BROKEN.replace("    personalAccessKey: pak-123\n", f"    personalAcessKey: {SECRET_PAK}\n")
    cfg = files.write_global(text)
    before = (cfg.read_bytes(), os.stat(cfg).st_mtime_ns)
    code, out, err = check(files, "--fix", "--diff", str(cfg), cwd=files.root)
    assert (cfg.read_bytes(), os.stat(cfg).st_mtime_ns) == before, "--diff writes nothing"
    lines = out.splitlines()
    assert lines[:2] == ["--- a/home/.hscli/config.yml", "+++ b/home/.hscli/config.yml"], out
    assert "-httpTimeout: 1000" in lines and "+httpTimeout: 3000" in lines
    masked = "*" * len(SECRET_PAK)
    assert f"-    personalAcessKey: {masked}" in lines and f"+    personalAccessKey: {masked}" in lines, out
    assert SECRET_PAK not in out + err and "0123456789ab" not in out + err
    # stdout is the patch alone; what would be left is reported beside it, and decides the exit.
    assert all(l[:1] in ("-", "+", " ", "@") for l in lines), out
    assert "error[default-account-unknown]" in err and code == 1


def test_diff_implies_fix_and_applies_as_a_patch(files):
    # (Lines near a credential could not take it: the patch shows them masked.)
    cfg = files.write_global("httpTimeout: 1000\n" + VALID)
    code, out, _ = check(files, "--diff", str(cfg), cwd=files.root)
    assert code == 0 and out.startswith("--- a/home/.hscli/config.yml\n")
    subprocess.run(["git", "apply", "-p1", "-"], input=out, text=True, cwd=files.root, check=True)
    assert cfg.read_text() == "httpTimeout: 3000\n" + VALID

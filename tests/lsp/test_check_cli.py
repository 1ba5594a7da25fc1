"""The command line itself: help that describes every option and format with examples,
`--version`, shell completions, `--stdio` accepted anywhere, and what `check` says when it
finds nothing to check or is pointed at a file that does not exist."""
import os
import re
import subprocess

from conftest import VALID
from test_check import check, run


def test_version_is_name_and_semver(files):
    code, out, _ = run(files, "--version")
    assert code == 0
    assert re.fullmatch(r"hubspot-ls \d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\n", out), out


def test_help_lists_every_command_with_examples(files):
    code, out, _ = run(files, "--help")
    assert code == 0
    for word in ("serve", "check", "completions", "--version", "Examples:", "hubspot-ls check --fix"):
        assert word in out, f"{word!r} not in --help:\n{out}"


def test_check_help_describes_every_option_and_format(files):
    code, out, _ = run(files, "check", "--help")
    assert code == 0
    for word in ("--format", "--fix", "--diff", "PATH", "human", "json", "github", "sarif", "Exit status", "Examples:"):
        assert word in out, f"{word!r} not in check --help:\n{out}"
    for example in ("hubspot-ls check --format json", "hubspot-ls check --format github", "hubspot-ls check --format sarif", "hubspot-ls check --fix --diff"):
        assert example in out


def test_completions_for_each_shell(files):
    for shell in ("bash", "zsh", "fish"):
        code, out, _ = run(files, "completions", shell)
        assert code == 0 and "check" in out and "format" in out and "sarif" in out, f"{shell}:\n{out[:500]}"
        if shell == "bash":  # the shell the tests run in; a script it cannot parse fails here
            subprocess.run(["bash", "-n"], input=out, text=True, check=True)
    code, _, err = run(files, "completions", "tcsh")
    assert code == 2 and "bash" in err


def test_stdio_is_accepted_anywhere(files):
    cfg = files.write_global(VALID)
    code, out, _ = run(files, "check", "--stdio", str(cfg))
    assert code == 0 and "1 file(s) checked" in out
    code, out, _ = run(files, "--stdio", "--version")
    assert code == 0 and out.startswith("hubspot-ls ")


def test_unknown_options_are_usage_errors(files):
    code, _, err = run(files, "check", "--frobnicate")
    assert code == 2 and "--frobnicate" in err
    code, _, err = run(files, "lint")
    assert code == 2 and "lint" in err


def test_nothing_to_check_says_where_it_looked_and_what_to_do(files):
    code, out, err = check(files)
    assert code == 0
    assert out == ""
    assert str(files.global_config) in err, err
    assert str(files.project) in err and ".hs/settings.json" in err and "hubspot.config.yml" in err
    assert "hs account auth" in err
    # Machine formats still print a document their readers can parse.
    code, out, err = check(files, "--format", "json")
    assert (code, out.strip()) == (0, "[]") and "hs account auth" in err


def test_a_named_file_that_does_not_exist_is_a_usage_failure(files):
    missing = files.project / "hubspot.config.yml"
    code, out, err = check(files, str(missing))
    assert code == 2 and out == ""
    assert f"{missing}: no such file" in err


def test_hubspot_config_path_naming_no_file_is_a_usage_failure(files):
    missing = files.root / "nowhere" / "config.yml"
    code, _, err = check(files, extra_env={"HUBSPOT_CONFIG_PATH": str(missing)})
    assert code == 2
    assert "HUBSPOT_CONFIG_PATH" in err and str(missing) in err and "does not exist" in err


def test_a_global_config_that_is_not_a_regular_file_fails_the_check(files):
    # The CLI takes any entry at ~/.hscli/config.yml as its config and then fails (a
    # directory) or hangs (a FIFO) reading it: CI must not pass with "nothing to check".
    os.mkfifo(files.global_config)
    code, out, err = check(files)
    assert code == 2 and out == ""
    assert f"{files.global_config}: not a regular file" in err

"""`hubspot-ls check`: the same analysis for terminals and CI. Output formats,
exit codes, which files it finds with no PATH, and that it prints no credential."""
import json
import subprocess

from conftest import BIN, PROCESS_DEADLINE, VALID, pos, server_env

SECRET_PAK = "pat-na1-0c1d2e3f-4a5b-6c7d-8e9f-0123456789ab"


def run(files, *args, cwd=None, extra_env=None):
    """The binary with `args`, in the test's environment: (exit code, stdout, stderr)."""
    env = server_env(files)
    env.update(extra_env or {})
    proc = subprocess.run([BIN, *args], cwd=cwd or files.project, env=env, capture_output=True, text=True, timeout=PROCESS_DEADLINE)
    return proc.returncode, proc.stdout, proc.stderr


def check(files, *args, **kw):
    return run(files, "check", *args, **kw)


def as_json(files, *args, **kw):
    code, out, err = check(files, "--format", "json", *args, **kw)
    assert code in (0, 1), err
    return code, json.loads(out)


def test_a_clean_config_exits_0(files):
    files.write_global(VALID)
    code, out, err = check(files, str(files.global_config))
    assert code == 0, out + err
    assert out.strip() == "1 file(s) checked: 0 error(s), 0 warning(s)"


def test_human_output_points_at_each_finding(files):
    text = VALID.replace("accountId: 456", "accountId: 123").replace("    env: prod\n", "    env: production\n")
    cfg = files.write_global(text)
    code, out, _ = check(files, str(cfg))
    assert code == 1, "an error-severity finding"
    lines = out.splitlines()
    dup_line = text.splitlines().index("    accountId: 123", 5)
    head = f"{cfg}:{dup_line + 1}:16: error[duplicate-account-id]: "
    at = next(i for i, l in enumerate(lines) if l.startswith(head))
    assert lines[at + 1] == "      accountId: 123"  # the source line, indented by two
    assert lines[at + 2] == "  " + " " * 15 + "^^^"  # a caret under the value
    env_line = text.splitlines().index("    env: production")
    assert any(l.startswith(f"{cfg}:{env_line + 1}:10: warning[enum]: ") for l in lines), out
    assert lines[-1] == "1 file(s) checked: 1 error(s), 1 warning(s)"


def test_json_output_is_lsp_shaped_with_utf16_columns(files):
    # The emoji is two UTF-16 code units: the enum finding after it starts at 23, not 22.
    text = 'defaultAccount: 1\naccounts:\n  - {name: "😀", accountId: 1, authType: bogus}\n'
    cfg = files.write_global(text)
    code, items = as_json(files, str(cfg))
    # The CLI reads an unknown authType and goes on: a warning, so no error exit.
    assert code == 0
    [enum] = [i for i in items if i["code"] == "enum"]
    col = pos(text, "authType: ").character
    assert enum == {
        "path": str(cfg),
        "range": {"start": {"line": 2, "character": col}, "end": {"line": 2, "character": col + len("bogus")}},
        "severity": "warning",
        "code": "enum",
        "message": enum["message"],
    }
    assert enum["message"].startswith('`authType` "bogus" is not one of `personalaccesskey`, `oauth2`, `apikey`.'), enum
    # The human form counts characters from 1 (the emoji is one).
    _, out, _ = check(files, str(cfg))
    human_col = len('  - {name: "😀", accountId: 1, authType: ') + 1
    assert f"{cfg}:3:{human_col}: warning[enum]" in out, out


def test_usage_and_io_failures_exit_2(files):
    files.write_global(VALID)
    code, _, err = check(files, "--format", "xml", str(files.global_config))
    assert code == 2 and "--format" in err
    code, _, err = check(files, str(files.write("proj/notes.txt", "hello")))
    assert code == 2 and "not a HubSpot CLI file" in err
    code, _, err = check(files, str(files.project / ".hs" / "settings.json"))
    assert code == 2 and "settings.json" in err


def test_without_paths_it_checks_the_files_in_force_here(files):
    files.write_global(VALID)
    settings = files.write("proj/.hs/settings.json", '{"accounts": [123], "localDefaultAccount": 999}')
    sub = files.project / "src" / "app"
    sub.mkdir(parents=True)
    code, items = as_json(files, cwd=sub)
    assert code == 1
    assert {i["path"] for i in items} == {str(settings)}, "the global config is clean; the nearest settings file is not"
    assert [i["code"] for i in items] == ["local-default-unknown"]


def test_init_cwd_moves_the_search_as_it_does_for_the_cli(files):
    # Under `npm run`, npm sets INIT_CWD to where the command was typed; the CLI's upward
    # searches start there, and so do check's.
    files.write_global(VALID)
    files.write("proj/.hs/settings.json", '{"accounts": [999]}')
    other = files.root / "elsewhere"
    hsaccount = files.write("elsewhere/.hsaccount", "not-an-id")
    code, items = as_json(files, cwd=files.project, extra_env={"INIT_CWD": str(other)})
    assert {i["path"] for i in items} == {str(hsaccount)}, "the settings file under the real cwd is not in force there"
    assert "hsaccount-invalid" in [i["code"] for i in items]
    # Relative PATH arguments still mean the shell's current directory.
    code, items = as_json(files, ".hs/settings.json", cwd=files.project, extra_env={"INIT_CWD": str(other)})
    assert [i["code"] for i in items] == ["linked-account-unknown"]


def test_no_credential_is_printed(files):
    # A misspelled key holding a personal access key (unknown-key, on that line), a token
    # with a finding on its own line, and one in a flow mapping.
    text = VALID.replace("    personalAccessKey: pak-123\n", f"    personalAcessKey: {SECRET_PAK} # from the PAK page\n").replace(
        "      tokenInfo: {}\n", "      tokenInfo: {accessToken: CNtoken-abcdefghijklmnop, expiresAt: soon}\n", 1
    )
    cfg = files.write_global(text)
    code, out, _ = check(files, str(cfg))
    assert code == 1
    assert "unknown-key" in out and "expires-at-invalid" in out, out
    assert SECRET_PAK not in out and "0123456789ab" not in out
    assert "CNtoken-abcdefghijklmnop" not in out
    assert "*" * len(SECRET_PAK) in out, "masked in place, so the caret still lines up"
    code, items = as_json(files, str(cfg))
    assert SECRET_PAK not in json.dumps(items) and "CNtoken" not in json.dumps(items)


def test_a_key_pasted_elsewhere_written_over_lines_or_aliased_is_never_printed(files):
    # The account's key pasted as `defaultAccount` and `parentAccountId` (findings quote those
    # values), a key folded over two lines, and one reached through an alias.
    folded = "pat-na1-f01dedf0-1111-2222-3333-\n      0000000fd456"
    anchored = "pat-na1-a1a1a1a1-4444-5555-6666-777777777777"
    text = (
        VALID.replace("defaultAccount: 123", f"defaultAccount: {SECRET_PAK}")
        .replace("    personalAccessKey: pak-123\n", f"    personalAccessKey: {SECRET_PAK}\n")
        .replace("    parentAccountId: 123\n", f"    parentAccountId: {SECRET_PAK}\n")
        .replace("    personalAccessKey: pak-456\n", f'    personalAccessKey: "{folded}"\n')
    ) + f"x: &k {anchored}\nother:\n  personalAccessKey: *k\n"
    cfg = files.write_global(text)
    outputs = []
    for fmt in ("human", "json", "github", "sarif"):
        code, out, err = check(files, "--format", fmt, str(cfg))
        assert code == 1, out + err
        outputs.append(out + err)
    code, out, err = check(files, "--fix", "--diff", str(cfg))
    outputs.append(out + err)
    printed = "\n".join(outputs)
    assert "default-account-unknown" in printed and "parent-account-unknown" in printed and "unknown-key" in printed
    for fragment in ("0123456789ab", "f01dedf0", "0000000fd456", "a1a1a1a1", "777777777777"):
        assert fragment not in printed, fragment
    assert '`defaultAccount` is "pat-na1-…89ab"' in printed, "quoted redacted, as the contract allows"


def test_a_fifo_or_a_device_is_an_io_error_not_a_hang(files):
    # Named like HubSpot files, but a FIFO (reading would wait for a writer) and a link to
    # /dev/zero (reading would never end): exit 2 at once, saying why.
    import os

    fifo = files.project / ".hsaccount"
    os.mkfifo(fifo)
    code, _, err = check(files, str(fifo))
    assert code == 2 and "not a regular file" in err, err
    zero = files.project / "hubspot.config.yml"
    zero.symlink_to("/dev/zero")
    code, _, err = check(files, str(zero))
    assert code == 2 and "not a regular file" in err, err
    # With no PATH they are found as the CLI finds them (any entry by that name), and the
    # check fails at once on the first, where the CLI would wait or read forever.
    code, out, err = check(files)
    assert code == 2 and out == "" and f"{fifo}: not a regular file" in err, out + err


def test_both_env_config_variables_fail_the_check(files):
    # The CLI refuses every command then; so does check, on the file it was given.
    cfg = files.write_global(VALID)
    env = {"USE_ENVIRONMENT_HUBSPOT_CONFIG": "true", "HUBSPOT_CONFIG_PATH": str(cfg)}
    code, items = as_json(files, str(cfg), extra_env=env)
    assert code == 1
    assert [(i["code"], i["severity"], i["range"]["start"]["line"]) for i in items] == [("config-conflict", "error", 0)]
    code, items = as_json(files, str(cfg), extra_env={"HUBSPOT_CONFIG_PATH": str(cfg)})
    assert (code, items) == (0, [])

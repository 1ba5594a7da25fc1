"""Diagnostics as an editor shows them, for each kind of file: every code at least once."""
import pytest
from lsprotocol import types as T
from pytest_lsp import client_capabilities

from conftest import VALID, by_code, covered, diagnostics, open_doc, started


async def test_global_config_findings_with_exact_ranges(lsp, files):
    text = VALID.replace("env: prod", "env: staging").replace("name: sandbox", "name: my sandbox").replace("defaultAccount: 123", "defaultAccount: 999\nhttpTimeout: fast\nallowUsageTraking: true")
    uri = open_doc(lsp, files.write_global(text))
    ds = await diagnostics(lsp, uri, lambda ds: len(ds) > 0)
    got = {(d.code, covered(text, d.range)) for d in ds}
    assert ("default-account-unknown", "999") in got
    assert ("type", "fast") in got
    assert ("unknown-key", "allowUsageTraking") in got
    assert ("enum", "staging") in got
    assert ("name-whitespace", "my sandbox") in got
    assert all(d.source == "hubspot-ls" for d in ds)
    sev = {d.code: d.severity for d in ds}
    assert sev["enum"] == T.DiagnosticSeverity.Warning
    # `httpTimeout: fast` is read as it is by the CLI: likely wrong, but nothing fails.
    assert sev["type"] == T.DiagnosticSeverity.Warning
    assert "`allowUsageTracking`" in by_code(ds, "unknown-key")[0].message


async def test_deprecated_tag_only_when_the_client_supports_it(lsp, files):
    text = "defaultPortal: a\nportals:\n  - {name: a, portalId: 1, authType: personalaccesskey, personalAccessKey: k, auth: {tokenInfo: {}}}\n"
    uri = open_doc(lsp, files.write_global(text))
    ds = await diagnostics(lsp, uri, lambda ds: len(by_code(ds, "deprecated")) >= 3)
    caps = client_capabilities(lsp.profile).text_document.publish_diagnostics
    supports = caps is not None and caps.tag_support is not None and T.DiagnosticTag.Deprecated in caps.tag_support.value_set
    for d in by_code(ds, "deprecated"):
        assert (list(d.tags or []) == [T.DiagnosticTag.Deprecated]) if supports else not d.tags


async def test_syntax_error_and_the_rest_still_checked(lsp, files):
    text = "httpTimeout: 1000\naccounts: [\n"
    uri = open_doc(lsp, files.write_global(text))
    ds = await diagnostics(lsp, uri, lambda ds: len(ds) >= 2)
    assert len(by_code(ds, "syntax")) == 1
    assert [covered(text, d.range) for d in by_code(ds, "http-timeout-low")] == ["1000"]


async def test_settings_json_against_the_global_config(lsp, files):
    files.write_global()
    text = '{\n  "accounts": [123, 999],\n  "localDefaultAccount": 456\n}'
    uri = open_doc(lsp, files.write("proj/.hs/settings.json", text), language="json")
    ds = await diagnostics(lsp, uri, lambda ds: len(ds) >= 2)
    assert [covered(text, d.range) for d in by_code(ds, "linked-account-unknown")] == ["999"]
    assert [covered(text, d.range) for d in by_code(ds, "local-default-not-linked")] == ["456"]


async def test_hsaccount_name_instead_of_id(lsp, files):
    files.write_global()
    uri = open_doc(lsp, files.write("proj/.hsaccount", "sandbox\n"), language="plaintext")
    ds = await diagnostics(lsp, uri, lambda ds: len(ds) >= 2)
    invalid = by_code(ds, "hsaccount-invalid")
    assert len(invalid) == 1 and "456" in invalid[0].message
    assert by_code(ds, "hsaccount-deprecated")[0].severity == T.DiagnosticSeverity.Hint


async def test_other_files_get_nothing(lsp, files):
    uri = open_doc(lsp, files.write("proj/other.yml", "accounts: [\n"))
    other = open_doc(lsp, files.write_global("accounts: [\n"))
    await diagnostics(lsp, other, lambda ds: len(ds) > 0)
    assert uri not in lsp.diagnostics


GLOBAL = "home/.hscli/config.yml"
E, W = T.DiagnosticSeverity.Error, T.DiagnosticSeverity.Warning
ACCOUNT = "{name: a, accountId: 1, authType: apikey, apiKey: k}"

# Every code not asserted elsewhere in this file: (code, the files, the file opened, the text the
# finding covers, its severity). The rest of each code's cases are in server/src/analysis/tests/.
EACH_CODE = [
    ("required", {GLOBAL: "accounts:\n  - {name: a, accountId: 0, authType: apikey, apiKey: k}\n"}, GLOBAL, "0", E),
    ("no-accounts", {GLOBAL: "httpTimeout: 30000\naccounts: []\n"}, GLOBAL, "accounts", E),
    ("duplicate-account-name", {GLOBAL: f"accounts:\n  - {ACCOUNT}\n  - {{name: A, accountId: 2, authType: apikey, apiKey: k}}\n"}, GLOBAL, "A", E),
    ("token-info-missing", {GLOBAL: "accounts:\n  - name: a\n    accountId: 1\n    authType: personalaccesskey\n    personalAccessKey: p\n"}, GLOBAL, "name", W),
    ("expires-at-invalid", {GLOBAL: "accounts:\n  - name: a\n    accountId: 1\n    authType: personalaccesskey\n    personalAccessKey: p\n    auth:\n      tokenInfo:\n        accessToken: t\n        expiresAt: garbage\n"}, GLOBAL, "garbage", W),
    ("parent-account-unknown", {GLOBAL: VALID.replace("parentAccountId: 123", "parentAccountId: 777")}, GLOBAL, "777", W),
    ("portals-replace-accounts", {GLOBAL: f"accounts:\n  - {ACCOUNT}\nportals:\n  - {{name: o, portalId: 2, authType: apikey, apiKey: k}}\n"}, GLOBAL, "accounts", W),
    ("local-default-unknown", {GLOBAL: VALID, "proj/.hs/settings.json": '{"accounts": [123], "localDefaultAccount": 999}'}, "proj/.hs/settings.json", "999", E),
    ("duplicate-linked-account", {GLOBAL: VALID, "proj/.hs/settings.json": '{"accounts": [123, 456, 123]}'}, "proj/.hs/settings.json", "123", W),
    ("legacy-config-blocks-link", {GLOBAL: VALID, "proj/hubspot.config.yml": VALID, "proj/sub/.hs/settings.json": '{"accounts": [123]}'}, "proj/sub/.hs/settings.json", '{"accounts": [123]}', W),
    ("hsaccount-unknown-account", {GLOBAL: VALID, "proj/.hsaccount": " 999"}, "proj/.hsaccount", "999", E),
    ("hsaccount-ignored", {"proj/hubspot.config.yml": VALID, "proj/.hsaccount": "123"}, "proj/.hsaccount", "123", W),
    ("hsaccount-shadowed", {GLOBAL: VALID, "proj/.hs/settings.json": '{"accounts": [123], "localDefaultAccount": 123}', "proj/.hsaccount": "456"}, "proj/.hsaccount", "456", W),
]


@pytest.mark.parametrize("code, tree, opened, text, severity", EACH_CODE, ids=[c[0] for c in EACH_CODE])
async def test_each_code(lsp, files, code, tree, opened, text, severity):
    for rel, content in tree.items():
        if rel == GLOBAL:
            files.write_global(content)
        else:
            files.write(rel, content)
    path = files.root / opened
    language = "json" if opened.endswith(".json") else "plaintext" if opened.endswith(".hsaccount") else "yaml"
    uri = open_doc(lsp, path, language=language)
    ds = await diagnostics(lsp, uri, lambda ds: by_code(ds, code))
    assert [(covered(tree[opened], d.range), d.severity) for d in by_code(ds, code)] == [(text, severity)], ds


async def test_config_conflict_on_every_file(files):
    """USE_ENVIRONMENT_HUBSPOT_CONFIG=true with HUBSPOT_CONFIG_PATH: the CLI refuses every command."""
    cfg = files.write_global(VALID)
    settings = files.write("proj/.hs/settings.json", '{"accounts": [123]}')
    env = {"USE_ENVIRONMENT_HUBSPOT_CONFIG": "true", "HUBSPOT_CONFIG_PATH": str(cfg)}
    async with started("visual-studio-code", files, env=env) as client:
        for path, language in ((cfg, "yaml"), (settings, "json")):
            uri = open_doc(client, path, language=language)
            ds = await diagnostics(client, uri, lambda ds: by_code(ds, "config-conflict"))
            [d] = by_code(ds, "config-conflict")
            assert d.severity == E and covered(path.read_text(), d.range) == path.read_text().splitlines()[0]
            assert "Unset one of them" in d.message

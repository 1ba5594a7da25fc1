"""Diagnostics as an editor shows them, for each kind of file."""
from lsprotocol import types as T
from pytest_lsp import client_capabilities

from conftest import VALID, by_code, covered, diagnostics, open_doc


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

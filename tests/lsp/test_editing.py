"""Editing features as an editor requests them."""
from lsprotocol import types as T
from pytest_lsp import client_capabilities

from conftest import VALID, covered, diagnostics, open_doc, pos


async def complete(lsp, uri, p):
    r = await lsp.text_document_completion_async(T.CompletionParams(T.TextDocumentIdentifier(uri), p))
    return r.items if isinstance(r, T.CompletionList) else (r or [])


async def test_completion_of_missing_keys_with_docs(lsp, files):
    text = VALID.replace("    env: prod\n", "    env: prod\n    def\n")
    uri = open_doc(lsp, files.write_global(text))
    items = await complete(lsp, uri, pos(text, "    def"))
    labels = [i.label for i in items]
    assert "defaultCmsPublishMode" in labels
    assert "name" not in labels and "accountId" not in labels  # already present
    doc = next(i for i in items if i.label == "defaultCmsPublishMode").documentation
    assert "draft" in (doc.value if hasattr(doc, "value") else doc)


async def test_completion_in_half_typed_unparseable_text(lsp, files):
    text = 'defaultAccount: \naccounts:\n  - name: "unterminated\n    authType: \n'
    files.write_global(VALID)
    uri = open_doc(lsp, files.global_config, text)
    await diagnostics(lsp, uri, lambda ds: len(ds) > 0)
    items = await complete(lsp, uri, pos(text, "    authType: "))
    assert {"personalaccesskey", "oauth2", "apikey"} <= {i.label for i in items}


async def test_account_ids_complete_with_names(lsp, files):
    files.write_global()
    text = '{\n  "accounts": [123, ],\n  "localDefaultAccount": \n}'
    uri = open_doc(lsp, files.write("proj/.hs/settings.json", text), language="json")
    items = await complete(lsp, uri, pos(text, '"localDefaultAccount": '))
    by_id = {i.text_edit.new_text: i for i in items}
    assert set(by_id) == {"123", "456"}
    assert "sandbox" in by_id["456"].label + (by_id["456"].detail or "")
    items = await complete(lsp, uri, pos(text, "[123, "))
    assert [i.text_edit.new_text for i in items] == ["456"]  # 123 is already linked


async def test_hsaccount_completes_ids(lsp, files):
    files.write_global()
    uri = open_doc(lsp, files.write("proj/.hsaccount", ""), language="plaintext")
    items = await complete(lsp, uri, T.Position(0, 0))
    assert {i.text_edit.new_text for i in items} == {"123", "456"}


async def test_new_account_snippet_follows_snippet_support(lsp, files):
    text = VALID + "  - \n"
    uri = open_doc(lsp, files.write_global(text))
    items = await complete(lsp, uri, T.Position(len(VALID.splitlines()), 4))
    snippet = next(i for i in items if i.label == "New account")
    # What the client advertised decides, never what the server chose to send.
    item_caps = client_capabilities(lsp.profile).text_document.completion.completion_item
    supports = bool(item_caps and item_caps.snippet_support)
    assert supports == (lsp.profile == "visual-studio-code"), "each profile takes one branch below"
    if supports:
        assert snippet.insert_text_format == T.InsertTextFormat.Snippet
        assert "${1:" in snippet.text_edit.new_text
    else:
        assert snippet.insert_text_format in (None, T.InsertTextFormat.PlainText)
        assert "${" not in snippet.text_edit.new_text
    assert "personalAccessKey" in snippet.text_edit.new_text


async def test_hover_key_docs_and_account_without_credentials(lsp, files):
    uri = open_doc(lsp, files.write_global(VALID))
    h = await lsp.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), pos(VALID, "defaultAcc")))
    assert "The account used when a command gets no" in h.contents.value
    h = await lsp.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), pos(VALID, "defaultAccount: 12")))
    value = h.contents.value
    assert "**prod**" in value and "`123`" in value and "STANDARD" in value and "personalaccesskey" in value
    assert "no cached token" in value
    assert "pak-123" not in value
    h = await lsp.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), pos(VALID, "    personalAcc")))
    assert "personal access key" in h.contents.value.lower()
    assert "pak-" not in h.contents.value


async def test_definition_from_settings_to_the_global_config(lsp, files):
    cfg = files.write_global()
    text = '{"accounts": [456], "localDefaultAccount": 456}'
    uri = open_doc(lsp, files.write("proj/.hs/settings.json", text), language="json")
    loc = await lsp.text_document_definition_async(T.DefinitionParams(T.TextDocumentIdentifier(uri), pos(text, '"localDefaultAccount": 4')))
    loc = loc[0] if isinstance(loc, list) else loc
    assert loc.uri == cfg.as_uri()
    assert covered(VALID, loc.range) == "sandbox"


async def test_references_from_an_account_entry(lsp, files):
    text = VALID.replace("defaultAccount: 123", "defaultAccount: sandbox")
    cfg = files.write_global(text)
    settings = files.write("proj/.hs/settings.json", '{"accounts": [456, 123]}')
    hsaccount = files.write("proj/sub/.hsaccount", "456")
    files.write("proj/other/.hsaccount", "123")
    uri = open_doc(lsp, cfg)
    refs = await lsp.text_document_references_async(T.ReferenceParams(text_document=T.TextDocumentIdentifier(uri), position=pos(text, "name: sandb"), context=T.ReferenceContext(include_declaration=False)))
    texts = {cfg.as_uri(): text, settings.as_uri(): settings.read_text(), hsaccount.as_uri(): "456"}
    # Every reference to 456, by name or id, in each file, and nothing that names 123.
    got = sorted((r.uri, covered(texts[r.uri], r.range)) for r in refs)
    assert got == sorted([(cfg.as_uri(), "sandbox"), (settings.as_uri(), "456"), (hsaccount.as_uri(), "456")])


async def test_document_symbols_list_accounts(lsp, files):
    uri = open_doc(lsp, files.write_global(VALID))
    syms = await lsp.text_document_document_symbol_async(T.DocumentSymbolParams(T.TextDocumentIdentifier(uri)))
    names = []
    for s in syms:
        names.append(s.name)
        names.extend(c.name for c in (getattr(s, "children", None) or []))
    joined = " ".join(names)
    assert "defaultAccount" in joined and "accounts" in joined
    assert "prod" in joined and "sandbox" in joined


async def test_inlay_hints_name_the_accounts(lsp, files):
    files.write_global()
    text = '{"accounts": [123, 456], "localDefaultAccount": 456}'
    uri = open_doc(lsp, files.write("proj/.hs/settings.json", text), language="json")
    hints = await lsp.text_document_inlay_hint_async(T.InlayHintParams(T.TextDocumentIdentifier(uri), T.Range(T.Position(0, 0), T.Position(1, 0))))
    labels = [h.label for h in hints]
    assert labels == [" prod", " sandbox", " sandbox"]
    assert hints[0].position == pos(text, "[123")


async def test_folding_ranges(lsp, files):
    uri = open_doc(lsp, files.write_global(VALID))
    folds = await lsp.text_document_folding_range_async(T.FoldingRangeParams(T.TextDocumentIdentifier(uri)))
    spans = {(f.start_line, f.end_line) for f in folds}
    assert (1, len(VALID.splitlines()) - 1) in spans  # the accounts list
    assert (2, 9) in spans  # the first account

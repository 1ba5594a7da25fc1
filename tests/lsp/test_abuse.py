"""Hostile input over the protocol: the server answers, reports, and stays up."""
from lsprotocol import types as T

from conftest import by_code, diagnostics, open_doc
from test_sync import change


def doc_id(uri):
    return T.TextDocumentIdentifier(uri=uri)


async def test_a_list_nested_fifty_thousand_deep_is_a_syntax_finding(lsp, files):
    # 100 KB of `- - - ...`: refused past the nesting limit, never a stack overflow while the
    # tree is built, walked (folding, hover), replaced by an edit or dropped at shutdown.
    deep = "accounts:\n  " + "- " * 50_000 + "x\n"
    files.write_global(deep)  # on disk too, as the config every other file is checked against
    uri = open_doc(lsp, files.global_config, deep)
    ds = await diagnostics(lsp, uri, lambda ds: bool(by_code(ds, "syntax")))
    assert any("nest deeper" in d.message for d in by_code(ds, "syntax"))
    folds = await lsp.text_document_folding_range_async(T.FoldingRangeParams(text_document=doc_id(uri)))
    assert folds is not None
    hover = T.HoverParams(text_document=doc_id(uri), position=T.Position(line=1, character=4000))
    await lsp.text_document_hover_async(hover)
    change(lsp, uri, 2, (1, 0), (1, 2), "")
    await diagnostics(lsp, uri, lambda ds: bool(by_code(ds, "syntax")))
    settings = open_doc(lsp, files.write("proj/.hs/settings.json", '{"accounts": [1]}'), language="json")
    await diagnostics(lsp, settings)


async def test_json_nested_fifty_thousand_deep_is_a_syntax_finding(lsp, files):
    text = '{"accounts": ' + "[" * 50_000
    uri = open_doc(lsp, files.write("proj/.hs/settings.json", text), language="json")
    ds = await diagnostics(lsp, uri, lambda ds: bool(by_code(ds, "syntax")))
    assert any("nested deeper" in d.message for d in by_code(ds, "syntax"))
    symbols = await lsp.text_document_document_symbol_async(T.DocumentSymbolParams(text_document=doc_id(uri)))
    assert symbols is not None

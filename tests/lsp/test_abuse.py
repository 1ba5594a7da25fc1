"""Hostile input over the protocol: the server answers, reports, and stays up."""
import asyncio
import json
import subprocess

import pytest
from lsprotocol import types as T
from pygls.exceptions import JsonRpcException

from conftest import BIN, by_code, diagnostics, open_doc, server_env
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


async def test_a_dollar_request_is_answered_method_not_found(lsp, files):
    # `$/` notifications may be ignored, but a request with an id must get an answer.
    with pytest.raises(JsonRpcException) as err:
        await asyncio.wait_for(lsp.protocol.send_request_async("$/hubspot/unknown", {}), 30)
    assert err.value.code == -32601
    # The server goes on answering.
    uri = open_doc(lsp, files.write_global("accounts: []\n"))
    symbols = await lsp.text_document_document_symbol_async(T.DocumentSymbolParams(text_document=doc_id(uri)))
    assert [s.name for s in symbols] == ["accounts"]


def frame(message: dict) -> bytes:
    body = json.dumps(message).encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def read_message(stream) -> dict:
    length = None
    while (line := stream.readline().strip()) != b"":
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    return json.loads(stream.read(length))


@pytest.mark.parametrize("shutdown_first, status", [(True, 0), (False, 1)])
def test_exit_status_says_whether_shutdown_came_first(files, shutdown_first, status):
    proc = subprocess.Popen([BIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=server_env(files))

    def request(message: dict) -> dict:
        proc.stdin.write(frame(message))
        proc.stdin.flush()
        while "id" not in (answer := read_message(proc.stdout)) or answer["id"] != message["id"]:
            pass  # notifications from the server
        return answer

    request({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}})
    proc.stdin.write(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    if shutdown_first:
        assert request({"jsonrpc": "2.0", "id": 2, "method": "shutdown"})["result"] is None
    proc.stdin.write(frame({"jsonrpc": "2.0", "method": "exit"}))
    proc.stdin.close()
    assert proc.wait(timeout=60) == status

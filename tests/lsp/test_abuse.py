"""The abuse section: hostile input of every class, over the protocol, against the real binary.
The server answers (or refuses with a clear error), reports, stays up, and leaks nothing.

Classes and where each lives:
- protocol: raw framing, bad JSON, odd ids, `$/` requests, exit without shutdown, positions out
  of range, a burst of edits (here);
- hostile files: nesting past the limit, alias bombs, a FIFO or junk bytes where a config should
  be, hostile names (here); `check` on FIFOs and huge files in test_check.py;
- command arguments: every command with arguments of the wrong shape (here);
- API faults: absurd Retry-After, endless bodies, cross-origin redirects, impossible exchange
  answers (here); the 401/404/429/500/slow/bad-JSON matrix of each command in test_commands_*.py;
- secrets at `HUBSPOT_LS_LOG=trace`: test_commands_security.py (every command, every log layer)
  and test_commands_hardening.py (errors that echo a key or a secret value)."""
import asyncio
import datetime
import json
import os
import subprocess

import pytest
from lsprotocol import types as T
from pygls.exceptions import JsonRpcException

import yaml

from cmdkit import EXCHANGE
from conftest import BIN, DEADLINE, FAILED, INVALID_PARAMS, PROCESS_DEADLINE, VALID, by_code, diagnostics, fails, open_doc, run, server_env
from fake_hubspot import FakeHubSpot
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
        await asyncio.wait_for(lsp.protocol.send_request_async("$/hubspot/unknown", {}), DEADLINE)
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


class Raw:
    """The binary on raw stdio, for framing a client library would never send."""

    def __init__(self, files):
        self.proc = subprocess.Popen([BIN], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, env=server_env(files))

    def send(self, data: bytes):
        self.proc.stdin.write(data)
        self.proc.stdin.flush()

    def answer(self, id_) -> dict:
        """The response to `id_` (notifications and other answers are read past)."""
        while True:
            msg = read_message(self.proc.stdout)
            if msg.get("id") == id_ and "method" not in msg:
                return msg

    def request(self, id_, method, params=None) -> dict:
        message = {"jsonrpc": "2.0", "id": id_, "method": method}
        if params is not None:
            message["params"] = params
        self.send(frame(message))
        return self.answer(id_)

    def close(self) -> int:
        self.proc.stdin.close()
        return self.proc.wait(timeout=PROCESS_DEADLINE)


@pytest.mark.parametrize("shutdown_first, status", [(True, 0), (False, 1)])
def test_exit_status_says_whether_shutdown_came_first(files, shutdown_first, status):
    raw = Raw(files)
    raw.request(1, "initialize", {"capabilities": {}})
    raw.send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    if shutdown_first:
        assert raw.request(2, "shutdown")["result"] is None
    raw.send(frame({"jsonrpc": "2.0", "method": "exit"}))
    assert raw.close() == status


# -- protocol -------------------------------------------------------------------------------

def test_broken_frames_and_bodies_are_answered_and_the_server_goes_on(files):
    raw = Raw(files)
    assert "capabilities" in raw.request(1, "initialize", {"capabilities": {}})["result"]
    raw.send(frame({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
    # Not JSON, JSON that is not a message, a body shorter than its Content-Length claims is
    # read up to the next frame's bytes: each is a parse error, never a crash.
    raw.send(b"Content-Length: 9\r\n\r\n{not json")
    raw.send(frame([1, 2, 3]))
    # Odd ids come back as they were sent.
    for odd in ("a string id", 2**53 - 1, -7):
        got = raw.request(odd, "textDocument/hover", {"textDocument": {"uri": "file:///nowhere.yml"}, "position": {"line": 0, "character": 0}})
        assert got["id"] == odd and got.get("result") is None
    # An unknown request gets MethodNotFound; the server still answers what it knows.
    assert raw.request(5, "hubspot/unknown")["error"]["code"] == -32601
    assert raw.request(6, "shutdown")["result"] is None
    raw.send(frame({"jsonrpc": "2.0", "method": "exit"}))
    assert raw.close() == 0


def test_a_stream_cut_mid_frame_ends_the_server_with_an_error_status(files):
    raw = Raw(files)
    raw.request(1, "initialize", {"capabilities": {}})
    raw.send(b"Content-Length: 500\r\n\r\n{\"jsonrpc\": \"2.0\"")
    assert raw.close() == 1  # the client went away without shutdown


async def test_positions_out_of_range_answer_nothing_rather_than_fail(lsp, files):
    uri = open_doc(lsp, files.write_global(VALID))
    await diagnostics(lsp, uri)
    for line, character in ((10**6, 0), (0, 10**9), (2**31 - 1, 2**31 - 1)):
        pos = T.Position(line=line, character=character)
        await lsp.text_document_hover_async(T.HoverParams(text_document=doc_id(uri), position=pos))
        await lsp.text_document_completion_async(T.CompletionParams(text_document=doc_id(uri), position=pos))
        await lsp.text_document_definition_async(T.DefinitionParams(text_document=doc_id(uri), position=pos))
    # An edit whose range lies past the end is clamped to it, as the client's own text would be.
    change(lsp, uri, 2, (10**6, 0), (10**6, 0), "httpTimeout: 10\n")
    ds = await diagnostics(lsp, uri, lambda ds: bool(by_code(ds, "http-timeout-low")))
    assert len(by_code(ds, "http-timeout-low")) == 1


async def test_a_burst_of_edits_ends_in_the_last_texts_diagnostics(lsp, files):
    uri = open_doc(lsp, files.write_global(VALID))
    await diagnostics(lsp, uri)
    for v in range(2, 1002):  # 1,000 edits, each a full-line toggle of httpTimeout
        text = VALID + (f"httpTimeout: {v}\n" if v % 2 else "")
        lsp.text_document_did_change(T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=v),
            content_changes=[T.TextDocumentContentChangeWholeDocument(text=text)]))
    # The last text (version 1001, odd) has httpTimeout: 1001, below the CLI's minimum of 3000.
    ds = await diagnostics(lsp, uri, lambda ds: any("1001" in d.message for d in by_code(ds, "http-timeout-low")), timeout=PROCESS_DEADLINE)
    assert len(by_code(ds, "http-timeout-low")) == 1


# -- hostile files --------------------------------------------------------------------------

async def test_an_alias_bomb_is_checked_without_blowing_up(lsp, files):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n" for p, c in zip("abcdefgh", "bcdefghi"))
    uri = open_doc(lsp, files.write_global(bomb + "accounts: *i\n"))
    ds = await diagnostics(lsp, uri, lambda ds: len(ds) > 0)
    assert len(ds) < 1000, "a finding per expanded node would be the bomb going off"
    symbols = await lsp.text_document_document_symbol_async(T.DocumentSymbolParams(text_document=doc_id(uri)))
    assert symbols is not None


async def test_a_fifo_or_junk_bytes_as_the_global_config_do_not_hang_the_server(lsp, files):
    files.global_config.parent.mkdir(parents=True, exist_ok=True)
    os.mkfifo(files.global_config)  # nothing ever writes to it: opening it for reading would block
    settings = files.write("proj/.hs/settings.json", '{"accounts": [123], "localDefaultAccount": 123}')
    uri = open_doc(lsp, settings, language="json")
    # Answered (a FIFO is never opened: it is not a config file), so the server did not block.
    ds = await diagnostics(lsp, uri, lambda ds: bool(by_code(ds, "local-default-unknown")))
    files.global_config.unlink()
    files.global_config.write_bytes(b"\x00\xff\xfe accounts:\n  - \x80\x81 junk\n" * 1000)
    lsp.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(changes=[
        T.FileEvent(uri=files.global_config.as_uri(), type=T.FileChangeType.Changed)]))
    # The junk is read as the CLI reads it (an account list that names nothing usable).
    ds = await diagnostics(lsp, uri, lambda ds: any("names no account" in d.message for d in by_code(ds, "local-default-unknown")))
    hover = await lsp.text_document_hover_async(T.HoverParams(text_document=doc_id(uri), position=T.Position(line=0, character=3)))
    # The settings file is still explained: its `accounts` key has its documentation.
    assert hover is not None and "accounts" in hover.contents.value, hover


async def test_a_folder_at_the_global_config_path_is_named_by_commands(lsp, files):
    # The CLI takes any entry at the path as its config (an existence test), then fails reading it.
    files.global_config.mkdir(parents=True)
    err = await fails(lsp, "hubspot.account.list", {})
    assert err.code == FAILED
    assert f"{files.global_config}: it exists but cannot be read as a file (a folder" in err.message, err.message


async def test_hostile_account_names_come_back_intact_and_harmless(lsp, files):
    names = ["\u202egnp.exe", "a" * 10_000, "zero\u200bwidth", "emoji-😀-👩‍👩‍👧", "<script>alert(1)</script>"]
    accounts = "".join(f"  - name: {json.dumps(n, ensure_ascii=False)}\n    accountId: {i + 1}\n    authType: personalaccesskey\n    personalAccessKey: x\n"
                       for i, n in enumerate(names))
    text = f"defaultAccount: 1\naccounts:\n{accounts}"
    uri = open_doc(lsp, files.write_global(text))
    await diagnostics(lsp, uri)
    symbols = await lsp.text_document_document_symbol_async(T.DocumentSymbolParams(text_document=doc_id(uri)))
    shown = json.dumps([s.name for s in symbols[1].children or []] if len(symbols) > 1 else [s.name for s in symbols])
    for n in names[:1] + names[2:]:
        assert json.dumps(n)[1:-1] in shown, (n, shown)


# -- command arguments ----------------------------------------------------------------------

async def test_every_command_refuses_arguments_of_the_wrong_shape(lsp, files, fake):
    files.write_global(VALID)
    raw = Raw(files)  # every command the server advertises
    commands = raw.request(1, "initialize", {"capabilities": {}})["result"]["capabilities"]["executeCommandProvider"]["commands"]
    raw.close()
    assert len(commands) >= 20
    for command in commands:
        for bad in ([1, 2], "a string", 42, {"noSuchField": 1}):
            err = await fails(lsp, command, bad)
            assert err.code == INVALID_PARAMS, (command, bad, err.code, err.message)
            assert command in err.message or "argument" in err.message, (command, err.message)
    assert fake.requests() == [], "a refused argument never reaches HubSpot"
    assert files.global_config.read_text() == VALID, "nor the disk"
    got = await run(lsp, "hubspot.account.list", {})
    assert got["accounts"], "and the server goes on"


# -- API faults -----------------------------------------------------------------------------

PAK = "pat-na1-abuse-0000-1111-2222-333344445555"


def auth(lsp, **extra):
    return {"personalAccessKey": PAK, "name": "abused", **extra}


async def test_an_absurd_retry_after_is_clamped_not_a_crash(lsp, files, fake):
    fake.add_account(777, PAK)
    fake.fault(EXCHANGE, "raw", status=429, times=1, headers={"Retry-After": "1e20"},
               body='{"status": "error", "message": "slow down", "category": "RATE_LIMITS"}')
    got = await run(lsp, "hubspot.account.auth", auth(lsp))
    assert got["accountId"] == 777  # waited the bounded time (10 s), retried, succeeded
    assert [r["path"] for r in fake.requests()] == [EXCHANGE, EXCHANGE]


async def test_an_endless_body_is_cut_off_with_a_clear_error(lsp, files, fake):
    fake.add_account(777, PAK)
    fake.fault(EXCHANGE, "endless", times=1)
    err = await fails(lsp, "hubspot.account.auth", auth(lsp))
    assert err.code == FAILED
    assert "larger than 32 MiB" in err.message, err.message
    assert not files.global_config.exists()
    err = await fails(lsp, "hubspot.account.list", {})  # the server is still answering
    assert "No HubSpot config file" in err.message


async def test_a_redirect_to_another_origin_never_carries_the_key_there(lsp, files, fake):
    fake.add_account(777, PAK)
    with FakeHubSpot() as elsewhere:
        fake.fault(EXCHANGE, "raw", status=307, times=1, headers={"Location": f"{elsewhere.url}{EXCHANGE}"}, body="")
        err = await fails(lsp, "hubspot.account.auth", auth(lsp))
        assert "redirect" in err.message.lower(), err.message
        assert elsewhere.requests() == [], "nothing reached the other origin"
    assert PAK not in err.message


@pytest.mark.parametrize("answer, words", [
    ({"hubId": -1, "oauthAccessToken": "t", "expiresAtMillis": 1}, ["hubId"]),
    ({"hubId": 777}, ["oauthAccessToken"]),
    ("not an object", ["cannot read"]),
])
async def test_impossible_exchange_answers_are_refused_and_nothing_is_written(lsp, files, fake, answer, words):
    fake.add_account(777, PAK)
    body = answer if isinstance(answer, str) else json.dumps(answer)
    fake.fault(EXCHANGE, "raw", status=200, times=1, headers={"Content-Type": "application/json"}, body=body)
    err = await fails(lsp, "hubspot.account.auth", auth(lsp))
    assert any(w in err.message for w in words), err.message
    assert not files.global_config.exists()


async def test_a_token_lifetime_beyond_reason_is_clamped_to_a_day(lsp, files, fake):
    fake.add_account(777, PAK)
    far = 2**62
    body = json.dumps({"hubId": 777, "oauthAccessToken": "tok-abuse", "expiresAtMillis": far, "hubName": "Far", "accountType": "STANDARD"})
    fake.fault(EXCHANGE, "raw", status=200, times=1, headers={"Content-Type": "application/json"}, body=body)
    await run(lsp, "hubspot.account.auth", auth(lsp))
    expires = yaml.safe_load(files.global_config.read_text())["accounts"][0]["auth"]["tokenInfo"]["expiresAt"]
    when = datetime.datetime.fromisoformat(str(expires).replace("Z", "+00:00"))
    now = datetime.datetime.now(datetime.timezone.utc)
    assert now < when <= now + datetime.timedelta(hours=24, minutes=1), expires

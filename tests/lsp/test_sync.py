"""Incremental edits, UTF-16 positions, and updates across files."""
import asyncio

from lsprotocol import types as T

from conftest import DEADLINE, VALID, by_code, covered, diagnostics, open_doc


def change(client, uri, version, start, end, text):
    client.text_document_did_change(
        T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[T.TextDocumentContentChangePartial(range=T.Range(T.Position(*start), T.Position(*end)), text=text)],
        )
    )


async def test_incremental_change_with_emoji_columns(lsp, files):
    text = "# 😀 accounts\nhttpTimeout: 30000 # ⏱️\n" + VALID
    uri = open_doc(lsp, files.write_global(text))
    await diagnostics(lsp, uri, lambda ds: len(ds) == 0)
    # Replace 30000 by 1000 on line 1.
    change(lsp, uri, 2, (1, 13), (1, 18), "1000")
    new = text.replace("30000", "1000")
    ds = await diagnostics(lsp, uri, lambda ds: len(ds) == 1)
    assert ds[0].code == "http-timeout-low"
    assert ds[0].range == T.Range(T.Position(1, 13), T.Position(1, 17))
    assert covered(new, ds[0].range) == "1000"
    change(lsp, uri, 3, (1, 13), (1, 17), "30000")
    await diagnostics(lsp, uri, lambda ds: len(ds) == 0)
    # A value with an emoji (two UTF-16 units) in it: `name: 😀x y` has whitespace, and its
    # range ends where the client counts.
    line = text.splitlines().index("  - name: prod")
    change(lsp, uri, 4, (line, 10), (line, 14), "😀x y")
    ds = await diagnostics(lsp, uri, lambda ds: len(by_code(ds, "name-whitespace")) == 1)
    assert by_code(ds, "name-whitespace")[0].range == T.Range(T.Position(line, 10), T.Position(line, 15))
    change(lsp, uri, 5, (line, 10), (line, 15), "prod")
    await diagnostics(lsp, uri, lambda ds: len(ds) == 0)


async def test_settings_rechecked_when_the_global_config_buffer_changes(lsp, files):
    cfg = files.write_global()
    settings = open_doc(lsp, files.write("proj/.hs/settings.json", '{"accounts": [999]}'), language="json")
    await diagnostics(lsp, settings, lambda ds: len(by_code(ds, "linked-account-unknown")) == 1)
    uri = open_doc(lsp, cfg)
    end = len(VALID.splitlines())
    change(lsp, uri, 2, (end, 0), (end, 0), "  - name: new\n    accountId: 999\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo: {}\n")
    await diagnostics(lsp, settings, lambda ds: not by_code(ds, "linked-account-unknown"))


async def test_settings_rechecked_when_the_global_config_changes_on_disk(lsp, files):
    cfg = files.write_global()
    settings = open_doc(lsp, files.write("proj/.hs/settings.json", '{"accounts": [999]}'), language="json")
    await diagnostics(lsp, settings, lambda ds: len(by_code(ds, "linked-account-unknown")) == 1)
    new = VALID + "  - {name: new, accountId: 999, authType: personalaccesskey, personalAccessKey: k, auth: {tokenInfo: {}}}\n"
    # The server's own watcher (Neovim profile) may not watch the folder yet: write again until
    # the change is seen, within the one deadline.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + DEADLINE
    attempt = 0
    while True:
        cfg.write_text(new + "#" * attempt)
        if lsp.profile == "visual-studio-code":
            lsp.workspace_did_change_watched_files(T.DidChangeWatchedFilesParams(changes=[T.FileEvent(uri=cfg.as_uri(), type=T.FileChangeType.Changed)]))
        try:
            await diagnostics(lsp, settings, lambda ds: not by_code(ds, "linked-account-unknown"), timeout=0.5)
            break
        except AssertionError:  # not yet: write again
            if loop.time() > deadline:
                raise AssertionError("the settings file was not re-checked after the global config changed on disk") from None
            attempt += 1

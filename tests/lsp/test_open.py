"""Opening the config in force: the editor's text is what gets checked, saved or not, and
every file is checked against the buffers open beside it."""
import asyncio

import pytest_asyncio
from lsprotocol import types as T

from conftest import PROFILES, VALID, by_code, diagnostics, open_doc, start_client
from test_sync import change

# The second account takes the first one's id: `duplicate-account-id` on line 13.
SAVED = "httpTimeout: 1000\n" + VALID.replace("accountId: 456", "accountId: 123")
LINES = SAVED.splitlines()
TIMEOUT_LINE = 0
SECOND_ID_LINE = next(i for i, l in enumerate(LINES) if l.strip() == "accountId: 123" and i > 5)


def codes(ds) -> dict:
    out: dict = {}
    for d in ds:
        out.setdefault(d.code, []).append(d.range.start.line)
    return out


@pytest_asyncio.fixture(params=PROFILES)
async def saved(request, files):
    """A server started after the global config was saved, as when an editor starts."""
    files.write_global(SAVED)
    client = await start_client(request.param, files)
    yield client
    await client.shutdown_session()


async def test_the_saved_config_opens_with_its_findings_and_follows_edits(saved, files):
    uri = open_doc(saved, files.global_config)
    ds = await diagnostics(saved, uri, lambda ds: set(codes(ds)) == {"http-timeout-low", "duplicate-account-id"})
    assert codes(ds) == {"http-timeout-low": [TIMEOUT_LINE], "duplicate-account-id": [SECOND_ID_LINE]}
    # Edits inside one account and at the top level update what the open file showed.
    col = len("    accountId: ")
    change(saved, uri, 2, (SECOND_ID_LINE, col), (SECOND_ID_LINE, col + 3), "456")
    await diagnostics(saved, uri, lambda ds: codes(ds) == {"http-timeout-low": [TIMEOUT_LINE]})
    change(saved, uri, 3, (TIMEOUT_LINE, len("httpTimeout: ")), (TIMEOUT_LINE, len(LINES[0])), "30000")
    await diagnostics(saved, uri, lambda ds: len(ds) == 0)


async def test_unsaved_text_is_checked_not_the_disk(saved, files):
    # The timeout mended, an `env` out of its set, and the second account on an id of its own.
    lines = SAVED.replace("httpTimeout: 1000", "httpTimeout: 30000").replace("    env: prod\n", "    env: production\n").splitlines(keepends=True)
    lines[SECOND_ID_LINE] = "    accountId: 789\n"
    uri = open_doc(saved, files.global_config, "".join(lines))
    ds = await diagnostics(saved, uri, lambda ds: bool(by_code(ds, "enum")))
    assert set(codes(ds)) == {"enum"}, "the unsaved text's findings, none of the disk's"
    # A settings file is checked against the open buffer too: 789 is only there.
    settings = open_doc(saved, files.write("proj/.hs/settings.json", '{"accounts": [789, 456]}'), language="json")
    ds = await diagnostics(saved, settings, lambda ds: len(by_code(ds, "linked-account-unknown")) == 1)
    assert by_code(ds, "linked-account-unknown")[0].range.start.character == len('{"accounts": [789, ')


def many_accounts(n: int) -> str:
    out = ["defaultAccount: 1000\naccounts:\n"]
    for i in range(n):
        out.append(
            f"  - name: portal-{i:05}\n    accountId: {1000 + i}\n    env: prod\n    authType: personalaccesskey\n"
            f"    accountType: STANDARD\n    personalAccessKey: pak-{'x' * 400}\n"
        )
    return "".join(out)


async def test_a_config_larger_than_the_pipe_arrives_whole(saved, files):
    # ~3.5 MB in one didOpen: more than a pipe holds, so the message arrives in several
    # reads; a request sent right after it is answered after it, against its text.
    text = many_accounts(7000).replace("    env: prod\n", "    env: production\n", 1)
    assert len(text) > 3 * 1024 * 1024
    uri = open_doc(saved, files.global_config, text)
    env_line = text[: text.index("env: production")].count("\n")
    hover = await asyncio.wait_for(
        saved.text_document_hover_async(T.HoverParams(text_document=T.TextDocumentIdentifier(uri=uri), position=T.Position(line=env_line, character=6))),
        60,
    )
    assert hover is not None and "env" in str(hover.contents).lower()
    ds = await diagnostics(saved, uri, lambda ds: bool(by_code(ds, "enum")))
    assert [d.range.start.line for d in by_code(ds, "enum")] == [env_line]
    # The last account, 3.5 MB in, is where the text says.
    last_env = text[: text.rindex("    env: prod\n")].count("\n")
    change(saved, uri, 2, (last_env, len("    env: ")), (last_env, len("    env: prod")), "staging")
    ds = await diagnostics(saved, uri, lambda ds: len(by_code(ds, "enum")) == 2)
    assert [d.range.start.line for d in by_code(ds, "enum")] == [env_line, last_env]
    change(saved, uri, 3, (env_line, len("    env: ")), (env_line, len("    env: production")), "qa")
    change(saved, uri, 4, (last_env, len("    env: ")), (last_env, len("    env: staging")), "prod")
    await diagnostics(saved, uri, lambda ds: not by_code(ds, "enum"))

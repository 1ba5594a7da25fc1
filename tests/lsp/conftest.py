"""Protocol tests: the real hubspot-ls binary over stdio, driven by pytest-lsp with the
capabilities real editors advertise (VS Code and Neovim 0.7).

Every test gets its own HOME (so `~/.hscli/config.yml` is the test's) and its own server.
"""
import asyncio
import contextlib
import os
import pathlib
import subprocess

import pytest
import pytest_asyncio
from lsprotocol import types as T
from pygls.exceptions import JsonRpcException
from pytest_lsp import ClientServerConfig, client_capabilities

from fake_hubspot import DEADLINE, FakeHubSpot

ROOT = pathlib.Path(__file__).resolve().parents[2]
BIN = os.environ.get("HUBSPOT_LS_BIN") or str(ROOT / "target" / "debug" / "hubspot-ls")
PROFILES = ["visual-studio-code", "neovim@v0.7.0"]

VALID = """defaultAccount: 123
accounts:
  - name: prod
    accountId: 123
    env: prod
    authType: personalaccesskey
    accountType: STANDARD
    personalAccessKey: pak-123
    auth:
      tokenInfo: {}
  - name: sandbox
    accountId: 456
    authType: personalaccesskey
    accountType: DEVELOPMENT_SANDBOX
    personalAccessKey: pak-456
    auth:
      tokenInfo: {}
    parentAccountId: 123
"""


class Files:
    """A temporary home and project tree."""

    def __init__(self, root: pathlib.Path):
        self.root = root
        self.home = root / "home"
        (self.home / ".hscli").mkdir(parents=True)
        self.project = root / "proj"
        self.project.mkdir()

    @property
    def global_config(self) -> pathlib.Path:
        return self.home / ".hscli" / "config.yml"

    def write(self, path, text: str, mode: int | None = None) -> pathlib.Path:
        p = pathlib.Path(path)
        if not p.is_absolute():
            p = self.root / p
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        if mode is not None:
            p.chmod(mode)
        return p

    def write_global(self, text: str = VALID) -> pathlib.Path:
        return self.write(self.global_config, text, mode=0o600)


@pytest.fixture
def files(tmp_path):
    return Files(tmp_path)


def server_env(files: Files, fake: "FakeHubSpot | None" = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("HUBSPOT") and k != "USE_ENVIRONMENT_HUBSPOT_CONFIG"}
    env["HOME"] = str(files.home)
    env["HUBSPOT_LS_LOG"] = "warn"
    # No test reaches beyond 127.0.0.1: without the fake, calls go to a closed local port.
    env["HUBSPOT_LS_API_URL"] = fake.url if fake is not None else "http://127.0.0.1:9"
    return env


@pytest.fixture
def fake():
    """A fresh fake HubSpot per test; a test that takes it gets a server pointed at it."""
    with FakeHubSpot() as f:
        yield f


async def start_client(profile: str, files: Files, the_fake: "FakeHubSpot | None" = None, *, capabilities=None, env=None, init_options=None, stderr_to=None):
    """The one way these tests start a server: for `files` under `profile`'s capabilities (or
    `capabilities`), through `initialize`. `env` adds variables to the server's environment,
    `init_options` is `initializationOptions`, `stderr_to` a file that gets the server's log."""
    if not pathlib.Path(BIN).exists():
        subprocess.run(["cargo", "build", "-p", "hubspot-ls"], cwd=ROOT, check=True)
    cmd = [BIN, "--stdio"] if stderr_to is None else ["sh", "-c", 'exec "$0" --stdio 2>"$1"', BIN, str(stderr_to)]
    config = ClientServerConfig(server_command=cmd, server_env={**server_env(files, the_fake), **(env or {})})
    client = await config.start()
    client.profile = profile

    @client.feature("client/registerCapability")
    def _register(params):  # pytest-lsp's client does not answer this by itself
        client.registrations = getattr(client, "registrations", []) + list(params.registrations)
        return None

    await client.initialize_session(
        T.InitializeParams(
            capabilities=capabilities or client_capabilities(profile),
            root_uri=files.project.as_uri(),
            workspace_folders=[T.WorkspaceFolder(uri=files.project.as_uri(), name="proj")],
            initialization_options=init_options,
        )
    )
    return client


@contextlib.asynccontextmanager
async def started(profile: str, files: Files, the_fake: "FakeHubSpot | None" = None, **kw):
    """`start_client` for one test's body: the server is shut down however the body ends."""
    client = await start_client(profile, files, the_fake, **kw)
    try:
        yield client
    finally:
        await client.shutdown_session()


@pytest_asyncio.fixture(params=PROFILES)
async def lsp(request, files):
    the_fake = request.getfixturevalue("fake") if "fake" in request.fixturenames else None
    async with started(request.param, files, the_fake) as client:
        yield client


def progress_values(client) -> list:
    """Every `$/progress` value received (pytest-lsp's client answers
    `window/workDoneProgress/create` with null and records the notifications per token;
    it warns, which pytest.ini makes an error, about a token that was never created)."""
    return [v for values in client.progress_reports.values() for v in values]


def supports_progress(client) -> bool:
    caps = client_capabilities(client.profile)
    return bool(caps.window and caps.window.work_done_progress)


async def run(client, command: str, arg: dict | None = None):
    """`workspace/executeCommand` with one argument object; returns the result. A command may
    wait on HubSpot (a retry takes up to 10 s), so it has the process deadline, not a hang."""
    args = [arg] if arg is not None else []
    request = client.workspace_execute_command_async(T.ExecuteCommandParams(command=command, arguments=args))
    try:
        return await asyncio.wait_for(request, PROCESS_DEADLINE)
    except TimeoutError:
        raise AssertionError(f"{command} did not answer within {PROCESS_DEADLINE:.0f} s") from None


async def fails(client, command: str, arg: dict | None = None) -> JsonRpcException:
    """The JSON-RPC error a command answers with (fails the test if it succeeds)."""
    try:
        got = await run(client, command, arg)
    except JsonRpcException as err:
        return err
    raise AssertionError(f"{command} {arg!r} succeeded with {got!r}; an error was expected")


INVALID_PARAMS = -32602
FAILED = -32001


def open_doc(client, path: pathlib.Path, text: str | None = None, language="yaml") -> str:
    uri = path.as_uri()
    if text is None:
        text = path.read_text()
    client.text_document_did_open(T.DidOpenTextDocumentParams(T.TextDocumentItem(uri=uri, language_id=language, version=1, text=text)))
    return uri


# The one deadline of every wait for a state (seconds; HUBSPOT_LS_TEST_TIMEOUT on a slow machine),
# read once, in fake_hubspot.py. The same deadline stretched for a whole process to start, run or exit.
PROCESS_DEADLINE = 6 * DEADLINE


async def wait_for(state, what: str, timeout: float | None = None):
    """Polls `state()` until it returns something truthy, and returns that; fails after the
    deadline, saying `what` was awaited."""
    deadline = asyncio.get_running_loop().time() + (DEADLINE if timeout is None else timeout)
    while True:
        got = state()
        if got:
            return got
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.02)


async def diagnostics(client, uri: str, until=lambda ds: True, timeout: float | None = None):
    """Wait until diagnostics for `uri` have been published and satisfy `until`."""
    def matching():
        ds = client.diagnostics.get(uri)
        return (ds,) if ds is not None and until(ds) else None

    try:
        return (await wait_for(matching, f"diagnostics of {uri}", timeout))[0]
    except AssertionError:
        raise AssertionError(f"no matching diagnostics for {uri}; last published: {client.diagnostics.get(uri)!r}") from None


_barriers = iter(range(1, 1 << 30))


async def barrier(client, files: Files):
    """Returns once every notification the server sent before now has arrived. The server
    sends all its notifications down one queue, in order: a document opened now gets its
    diagnostics after everything already queued (a `$/progress` `end` sent before a command's
    response, say). For checks that something was never sent, instead of a pause."""
    path = files.write(f"barrier/{next(_barriers)}/.hsaccount", "")
    await diagnostics(client, open_doc(client, path, language="plaintext"))


def by_code(ds, code):
    return [d for d in ds if d.code == code]


# UTF-16 positions, as LSP counts columns (Python's str indices are code points). The one
# place the protocol tests convert.


def index_of(text: str, pos: T.Position) -> int:
    """A UTF-16 position as an index into `text`."""
    lines = text.splitlines(keepends=True)
    line = lines[pos.line] if pos.line < len(lines) else ""
    units = line.encode("utf-16-le")[: pos.character * 2]
    return sum(len(l) for l in lines[: pos.line]) + len(units.decode("utf-16-le"))


def position(text: str, index: int) -> T.Position:
    """An index into `text` as a UTF-16 position."""
    line = text.count("\n", 0, index)
    start = text.rfind("\n", 0, index) + 1
    return T.Position(line, len(text[start:index].encode("utf-16-le")) // 2)


def pos(text: str, marker: str) -> T.Position:
    """The position just after `marker`'s first occurrence."""
    return position(text, text.index(marker) + len(marker))


def span(text: str, marker: str) -> T.Range:
    """The range of `marker`'s first occurrence."""
    i = text.index(marker)
    return T.Range(position(text, i), position(text, i + len(marker)))


def covered(text: str, rng: T.Range) -> str:
    """The text an LSP range covers."""
    return text[index_of(text, rng.start): index_of(text, rng.end)]

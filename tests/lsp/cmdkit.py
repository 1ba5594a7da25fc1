"""Shared pieces of the `workspace/executeCommand` tests (test_commands_*.py): a config with
comments, what the fake HubSpot received, and the fault matrix every API command is run
through."""
from __future__ import annotations

import re

import yaml

from conftest import FAILED, fails, run
from fake_hubspot import body_json

PAK_PROD = "pat-na1-11111111-aaaa-bbbb-cccc-00000000a123"
PAK_SANDBOX = "pat-na1-22222222-aaaa-bbbb-cccc-00000000b456"
PAK_NEW = "pat-na1-33333333-aaaa-bbbb-cccc-00000000c789"
EXCHANGE = "/localdevauth/v1/auth/refresh"
SECRETS = "/cms/v3/functions/secrets"
UPLOAD = "/filemanager/api/v3/files/upload"

# Comments everywhere, a flow mapping, a trailing comment: all must survive every write.
CONFIG = f"""# HubSpot CLI config, edited by hand
defaultAccount: 123 # the real one
httpTimeout: 3000
accounts:
  # production
  - name: prod
    accountId: 123
    authType: personalaccesskey
    accountType: STANDARD
    defaultCmsPublishMode: draft # keep drafts
    personalAccessKey: {PAK_PROD} # from the PAK page
    auth:
      tokenInfo: {{}}
  - name: sandbox
    accountId: 456
    authType: personalaccesskey
    accountType: DEVELOPMENT_SANDBOX
    personalAccessKey: {PAK_SANDBOX}
    auth:
      tokenInfo: {{}}
    parentAccountId: 123
# end of accounts
"""
# The sandbox's entry in CONFIG, as removing it takes it out.
SANDBOX_ENTRY = CONFIG[CONFIG.index("  - name: sandbox"):CONFIG.index("# end of accounts")]


def seed(files, fake, text: str = CONFIG):
    """The global config above and the matching accounts in the fake."""
    fake.add_account(123, PAK_PROD, hub_name="Prod Portal", account_type="STANDARD", scope_groups=["cms.functions.read_write", "files"])
    fake.add_account(456, PAK_SANDBOX, hub_name="Dev Sandbox", account_type="DEVELOPMENT_SANDBOX", parent_hub_id=123)
    return files.write_global(text)


def config_yaml(files) -> dict:
    return yaml.safe_load(files.global_config.read_text())


def account(doc: dict, account_id: int) -> dict:
    return next(a for a in doc["accounts"] if a["accountId"] == account_id)


def calls(fake, prefix: str = "", method: str | None = None) -> list[dict]:
    """Recorded requests whose path starts with `prefix` (and of `method`)."""
    return [r for r in fake.requests() if r["path"].startswith(prefix) and (method is None or r["method"] == method)]


def non_exchange(fake) -> list[dict]:
    return [r for r in fake.requests() if r["path"] != EXCHANGE]


def bearer(req: dict) -> str | None:
    h = req["headers"].get("authorization")
    return h[len("Bearer "):] if h and h.startswith("Bearer ") else None


def assert_exchange(req: dict, pak: str, portal_id: int | None):
    """The key exchange: POST, JSON body with the key, no Authorization, our User-Agent."""
    assert (req["method"], req["path"]) == ("POST", EXCHANGE)
    assert body_json(req) == {"encodedOAuthRefreshToken": pak}
    assert "authorization" not in req["headers"]
    assert req["headers"]["user-agent"].startswith("hubspot-ls/")
    if portal_id is None:
        assert req["query"] == [], req["query"]
    else:
        assert req["query"] == [["portalId", str(portal_id)]]


def assert_authed(req: dict, portal_id: int, token: str | None = None):
    """An authenticated call: Bearer token, `portalId` last in the query, `User-Agent: hubspot-ls/...`."""
    assert req["headers"]["user-agent"].startswith("hubspot-ls/"), req["headers"]
    assert req["query"][-1] == ["portalId", str(portal_id)], req["query"]
    got = bearer(req)
    assert got and got.startswith(f"fake-at-{portal_id}-"), req["headers"].get("authorization")
    if token is not None:
        assert got == token


TOKEN_INFO = re.compile(r"^( *)tokenInfo:.*\n(?:\1  .*\n)*", re.M)


def without_token_info(text: str) -> str:
    """The text with every `tokenInfo:` block (flow or block style) cut down to its key."""
    return TOKEN_INFO.sub(lambda m: f"{m.group(1)}tokenInfo: <cut>\n", text)


def assert_written_back(files, original: str, account_id: int, token: str):
    """The token landed in `auth.tokenInfo` of that account, and nothing else changed."""
    text = files.global_config.read_text()
    assert without_token_info(text) == without_token_info(original), text
    info = account(yaml.safe_load(text), account_id)["auth"]["tokenInfo"]
    assert info["accessToken"] == token
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", str(info["expiresAt"])), info


# -- the fault matrix ---------------------------------------------------------------------

FAULTS = ["401", "404", "429", "500", "slow", "badjson"]

# How long the fake holds a "slow" answer: far beyond the server's httpTimeout (3000 ms), so
# "timed out" is the only outcome even when a loaded machine stalls the server's timer. The
# fake holds it without holding up other requests or its own shutdown, and drops it once the
# timed-out client hangs up.
SLOW_MILLIS = 600_000


def add_fault(fake, kind: str, prefix: str, method: str | None, times: int = 1):
    if kind == "401":
        fake.fault(prefix, "status", status=401, method=method, times=times)
    elif kind == "404":
        fake.fault(prefix, "status", status=404, method=method, times=times)
    elif kind == "429":
        fake.fault(prefix, "rateLimit", retry_after_secs=1, method=method, times=times)
    elif kind == "500":
        fake.fault(prefix, "status", status=500, method=method, times=times)
    elif kind == "slow":
        fake.fault(prefix, "slow", millis=SLOW_MILLIS, method=method, times=times)
    elif kind == "badjson":
        fake.fault(prefix, "badJson", method=method, times=times)
    else:
        raise ValueError(kind)


async def expect_fault_error(lsp, command: str, arg: dict, kind: str):
    """A fault that must end in a JSON-RPC error whose message says what happened."""
    err = await fails(lsp, command, arg)
    assert err.code == FAILED, (err.code, err.message)
    words = {
        "401": "unauthorized",
        "404": "not found",
        "500": "server error",
        "slow": "timed out",
        "badjson": "cannot read",
    }[kind]
    assert words in err.message, err.message
    return err


async def run_fault_case(lsp, fake, files, command: str, arg: dict, prefix: str, method: str, kind: str, original: str = CONFIG):
    """Runs `command` with one fault on the request (`prefix`, `method`) it makes, and checks
    the outcome every API command shares:
    401 once: one token refresh, one retry with the new token (written back), success;
    429 once: waits as Retry-After says and retries, success;
    404 / 500 / slow beyond httpTimeout / malformed JSON: a -32001 error that says so
    (with `data: {status, body}` for HubSpot's error statuses).
    Returns the result (success) or the error."""
    add_fault(fake, kind, prefix, method, times=1)
    hits = lambda: [r for r in fake.requests() if r["path"].startswith(prefix) and r["method"] == method]
    if kind in ("401", "429"):
        got = await run(lsp, command, arg)
        first, retry = hits()[:2]
        if kind == "401":
            exchanges = calls(fake, EXCHANGE)
            assert len(exchanges) == 2, [r["path"] for r in fake.requests()]  # the first token, then exactly one refresh
            assert bearer(first) != bearer(retry)
            assert_written_back(files, original, int(retry["query"][-1][1]), bearer(retry))
        else:
            assert bearer(first) == bearer(retry)  # a rate limit is not an auth problem
            assert len(calls(fake, EXCHANGE)) == 1
        return got
    err = await expect_fault_error(lsp, command, arg, kind)
    assert len(hits()) == 1, "an error status, a timeout or a broken body is not retried"
    if kind in ("404", "500"):
        assert err.data and err.data["status"] == int(kind), err.data
        assert isinstance(err.data["body"], dict) and err.data["body"].get("message"), err.data
    return err

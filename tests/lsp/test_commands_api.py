"""`hubspot.api.request` (as `hs api`) and the behaviours every authenticated command shares
(docs/hubspot-cli.md, *Token cache and refresh*, *401 and 429*): the cached token reused
while valid, refreshed 5 minutes before expiry, exactly one refresh and one retry after a
401, one shared exchange for concurrent commands, bounded 429 retries, `hapikey` for apikey
accounts."""
import asyncio
import datetime
import json
import urllib.parse

import pytest
from lsprotocol import types as T
import yaml

from cmdkit import (
    CONFIG, EXCHANGE, FAULTS, PAK_PROD, SECRETS, SLOW_MILLIS, add_fault, assert_authed, assert_exchange,
    assert_written_back, bearer, calls, non_exchange, run_fault_case, seed, without_token_info,
)
from conftest import DEADLINE, FAILED, INVALID_PARAMS, barrier, fails, open_doc, run, server_env, started, wait_for
from fake_hubspot import body_json

CONTACTS = "/crm/v3/objects/contacts"

APIKEY_ACCOUNT = """  - name: legacy-key
    accountId: 333
    authType: apikey
    apiKey: hapi-333-very-secret-api-key
"""


async def test_get_with_query_keeps_it_and_appends_portal_id(lsp, files, fake):
    seed(files, fake)
    got = await run(lsp, "hubspot.api.request", {"path": CONTACTS + "?limit=5&after=a%20b"})
    assert got["status"] == 200
    assert got["body"]["method"] == "GET" and got["body"]["path"] == CONTACTS
    [req] = non_exchange(fake)
    assert (req["method"], req["path"]) == ("GET", CONTACTS)
    assert req["query"] == [["limit", "5"], ["after", "a b"], ["portalId", "123"]]
    assert_authed(req, 123)
    assert req["body"] in ("", None)


async def test_data_means_post_with_a_json_body(lsp, files, fake):
    seed(files, fake)
    data = {"properties": {"email": "a@example.com"}, "n": [1, 2]}
    got = await run(lsp, "hubspot.api.request", {"path": "crm/v3/objects/contacts", "data": data})
    assert got["body"]["method"] == "POST" and got["body"]["body"] == data
    [req] = non_exchange(fake)
    assert req["method"] == "POST" and req["headers"]["content-type"].startswith("application/json")
    assert body_json(req) == data


@pytest.mark.parametrize("method", ["put", "Patch", "DELETE", "get"])
async def test_method_is_case_insensitive(lsp, files, fake, method):
    seed(files, fake)
    got = await run(lsp, "hubspot.api.request", {"path": "/x/y", "method": method, "data": {"a": 1}})
    assert got["body"]["method"] == method.upper()
    assert non_exchange(fake)[0]["method"] == method.upper()


async def test_bad_arguments(lsp, files, fake):
    seed(files, fake)
    for arg, word in [
        ({}, "path"),
        ({"path": "/x", "method": "TRACE"}, "TRACE"),
        ({"path": "https://evil.example.com/x"}, "not a URL"),
        ({"path": "/x", "account": "missing"}, "missing"),
    ]:
        err = await fails(lsp, "hubspot.api.request", arg)
        assert err.code == INVALID_PARAMS and word in err.message, (arg, err.message)
    assert fake.requests() == []


async def test_a_non_json_answer_is_a_string(lsp, files, fake):
    seed(files, fake)
    info = fake.add_file(123, "/docs/readme.txt", "plain text here", content_type="text/plain")
    got = await run(lsp, "hubspot.api.request", {"path": info["url"][len(fake.url):]})
    assert got == {"status": 200, "body": "plain text here"}


async def test_an_error_status_carries_status_and_body(lsp, files, fake):
    seed(files, fake)
    body = {"status": "error", "message": "Property values were not valid", "category": "VALIDATION_ERROR", "errors": [{"message": "email is bad"}]}
    fake.fault(CONTACTS, "status", status=400, body=body)
    err = await fails(lsp, "hubspot.api.request", {"path": CONTACTS, "data": {}})
    assert err.code == FAILED
    assert err.data == {"status": 400, "body": body}
    assert "Property values were not valid" in err.message and "email is bad" in err.message


async def test_apikey_account_sends_hapikey_and_no_bearer(lsp, files, fake):
    seed(files, fake, CONFIG.replace("# end of accounts\n", APIKEY_ACCOUNT + "# end of accounts\n"))
    fake.add_account(333, "", api_key="hapi-333-very-secret-api-key")
    got = await run(lsp, "hubspot.api.request", {"path": "/crm/v3/objects/deals?limit=1", "account": "legacy-key"})
    assert got["status"] == 200
    [req] = fake.requests()  # no token exchange for an apikey account
    assert req["query"] == [["limit", "1"], ["portalId", "333"], ["hapikey", "hapi-333-very-secret-api-key"]]
    assert "authorization" not in req["headers"]
    assert req["headers"]["user-agent"].startswith("hubspot-ls/")
    # The fake echoes the query back; the result must still not carry the key (no credential
    # ever goes back to the client).
    assert "very-secret" not in json.dumps(got)
    assert got["body"]["query"]["portalId"] == "333" and got["body"]["query"]["limit"] == "1"


@pytest.mark.parametrize("kind", FAULTS)
async def test_faults(lsp, files, fake, kind):
    seed(files, fake)
    arg = {"path": CONTACTS + "?limit=1"}
    if kind == "badjson":
        # Says JSON, is not: given back as the text it is.
        add_fault(fake, kind, CONTACTS, "GET")
        got = await run(lsp, "hubspot.api.request", arg)
        assert got["status"] == 200 and isinstance(got["body"], str) and got["body"].startswith("{")
    else:
        got = await run_fault_case(lsp, fake, files, "hubspot.api.request", arg, CONTACTS, "GET", kind)
        if kind in ("401", "429"):
            assert got["status"] == 200 and got["body"]["path"] == CONTACTS


# -- tokens -------------------------------------------------------------------------------

def with_token(token: str, expires: datetime.datetime) -> str:
    at = expires.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
    return CONFIG.replace(
        f"# from the PAK page\n    auth:\n      tokenInfo: {{}}\n",
        f"# from the PAK page\n    auth:\n      tokenInfo:\n        accessToken: {token} # cached\n        expiresAt: '{at}'\n",
        1,
    )


def now():
    return datetime.datetime.now(datetime.timezone.utc)


async def test_a_cached_valid_token_is_used_without_an_exchange(lsp, files, fake):
    seed(files, fake)
    token = fake.token(PAK_PROD, 123)
    fake.clear_requests()
    text = with_token(token, now() + datetime.timedelta(hours=1))
    files.write_global(text)
    await run(lsp, "hubspot.secrets.list", {})
    await run(lsp, "hubspot.api.request", {"path": "/a"})
    assert calls(fake, EXCHANGE) == []
    assert [bearer(r) for r in fake.requests()] == [token, token]
    assert files.global_config.read_text() == text  # nothing to write back


async def test_a_token_expiring_within_five_minutes_is_refreshed_and_written_back(lsp, files, fake):
    seed(files, fake)
    old = fake.token(PAK_PROD, 123)
    fake.clear_requests()
    text = with_token(old, now() + datetime.timedelta(minutes=3))
    files.write_global(text)
    await run(lsp, "hubspot.secrets.list", {})
    exchange, listing = fake.requests()
    assert_exchange(exchange, PAK_PROD, 123)
    new = bearer(listing)
    assert new != old
    after = files.global_config.read_text()
    assert f"        accessToken: {new} # cached\n" in after  # replaced in place, comment kept
    assert_written_back(files, text, 123, new)


async def test_after_a_revoked_token_one_refresh_and_one_retry(lsp, files, fake):
    seed(files, fake)
    await run(lsp, "hubspot.secrets.list", {})
    first = bearer(non_exchange(fake)[0])
    fake.revoke_tokens()
    got = await run(lsp, "hubspot.secrets.list", {})
    assert got["secrets"] == []
    lists = calls(fake, SECRETS)
    assert [bearer(r) for r in lists][:2] == [first, first]
    assert len(lists) == 3 and bearer(lists[2]) != first
    assert len(calls(fake, EXCHANGE)) == 2
    assert_written_back(files, CONFIG, 123, bearer(lists[2]))
    # The refreshed token is used from then on, without another exchange.
    await run(lsp, "hubspot.secrets.list", {})
    assert len(calls(fake, EXCHANGE)) == 2 and bearer(calls(fake, SECRETS)[-1]) == bearer(lists[2])


async def test_a_persistent_401_is_retried_exactly_once(lsp, files, fake):
    seed(files, fake)
    fake.fault(SECRETS, "status", status=401, method="GET", times=0)
    err = await fails(lsp, "hubspot.secrets.list", {})
    assert err.code == FAILED and "unauthorized" in err.message and "hubspot.account.auth" in err.message
    assert err.data["status"] == 401
    assert len(calls(fake, SECRETS)) == 2
    assert len(calls(fake, EXCHANGE)) == 2


async def test_concurrent_commands_share_one_exchange(lsp, files, fake):
    seed(files, fake)
    fake.set_secret(123, "A", "v")
    fake.fault(EXCHANGE, "slow", millis=500, times=1)  # so they all wait for the same one
    got = await asyncio.gather(
        *[run(lsp, "hubspot.secrets.list", {}) for _ in range(4)],
        *[run(lsp, "hubspot.api.request", {"path": f"/p/{i}"}) for i in range(3)],
    )
    assert [g["secrets"] for g in got[:4]] == [["A"]] * 4
    assert len(calls(fake, EXCHANGE)) == 1
    assert len({bearer(r) for r in non_exchange(fake)}) == 1


async def test_commands_waiting_on_hubspot_never_hold_up_edits_and_hovers(lsp, files, fake):
    """As many commands as may run, all waiting on a HubSpot that does not answer: the editor
    still gets its hovers and diagnostics, and one command more is refused, not queued."""
    config = seed(files, fake, CONFIG.replace("httpTimeout: 3000", f"httpTimeout: {SLOW_MILLIS}"))
    fake.fault(SECRETS, "slow", millis=SLOW_MILLIS, times=0)
    running = [asyncio.create_task(run(lsp, "hubspot.secrets.list", {})) for _ in range(8)]
    await wait_for(lambda: len(calls(fake, SECRETS)) == 8, "8 commands waiting on HubSpot")
    err = await fails(lsp, "hubspot.secrets.list", {})
    assert err.code == FAILED and "already running 8 commands" in err.message, err.message
    uri = open_doc(lsp, config)
    hover = await lsp.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(1, 17)))
    assert hover is not None and "prod" in str(hover.contents)
    await barrier(lsp, files)  # a document opened now still gets its diagnostics
    assert not any(t.done() for t in running)
    for t in running:
        t.cancel()


async def test_a_cancelled_command_stops(lsp, files, fake):
    """`$/cancelRequest` stops the command, not just its answer: eight cancelled commands that
    were waiting on HubSpot leave room for new ones."""
    seed(files, fake, CONFIG.replace("httpTimeout: 3000", f"httpTimeout: {SLOW_MILLIS}"))
    fake.fault(SECRETS, "slow", millis=SLOW_MILLIS, times=0)
    ids = [f"cancel-{i}" for i in range(8)]
    for i in ids:
        lsp.protocol.send_request("workspace/executeCommand", T.ExecuteCommandParams("hubspot.secrets.list", [{}]), msg_id=i)
    await wait_for(lambda: len(calls(fake, SECRETS)) == 8, "8 commands waiting on HubSpot")
    for i in ids:
        lsp.protocol.notify("$/cancelRequest", T.CancelParams(id=i))
    fake.clear_faults()

    async def accepted():
        try:
            return await run(lsp, "hubspot.account.list", {})
        except Exception as e:  # still refused: the cancelled commands hold their places
            assert "already running" in str(e), e
            return None

    deadline = asyncio.get_running_loop().time() + DEADLINE
    while (got := await accepted()) is None:
        assert asyncio.get_running_loop().time() < deadline, "the cancelled commands never stopped"
        await barrier(lsp, files)
    assert got["accounts"]


async def test_rate_limits_are_retried_a_bounded_number_of_times(lsp, files, fake):
    seed(files, fake)
    fake.fault(CONTACTS, "rateLimit", retry_after_secs=1, times=0)
    err = await fails(lsp, "hubspot.api.request", {"path": CONTACTS})
    assert err.code == FAILED and "rate limit" in err.message
    assert err.data["status"] == 429
    assert 2 <= len(calls(fake, CONTACTS)) <= 5


async def test_api_url_from_initialization_options(files, fake):
    """`initializationOptions.apiUrl` points the server at the fake, and wins over the env var
    (which, without the fake, names a closed local port: ignoring apiUrl would fail the call)."""
    seed(files, fake)
    env = server_env(files)
    assert env["HUBSPOT_LS_API_URL"] != fake.url
    async with started("visual-studio-code", files, init_options={"apiUrl": fake.url}) as client:
        got = await run(client, "hubspot.api.request", {"path": "/hello"})
        assert got["body"]["path"] == "/hello"
        assert [r["path"] for r in fake.requests()] == [EXCHANGE, "/hello"]


async def test_concurrent_refreshes_of_two_accounts_both_land_in_the_config(lsp, files, fake):
    """Two accounts of one file refreshed at the same time: neither write may lose the other's."""
    seed(files, fake)
    for _ in range(3):
        files.write_global(CONFIG)
        fake.revoke_tokens()
        await asyncio.gather(
            run(lsp, "hubspot.secrets.list", {"account": 123}),
            run(lsp, "hubspot.secrets.list", {"account": 456}),
            run(lsp, "hubspot.api.request", {"path": "/a", "account": 123}),
            run(lsp, "hubspot.api.request", {"path": "/b", "account": 456}),
        )
        text = files.global_config.read_text()
        assert without_token_info(text) == without_token_info(CONFIG)
        doc = yaml.safe_load(text)
        for acct in doc["accounts"]:
            assert acct["auth"]["tokenInfo"].get("accessToken", "").startswith(f"fake-at-{acct['accountId']}-"), text


OAUTH = """# oauth
defaultAccount: 555
accounts:
  - name: oauthy
    accountId: 555
    authType: oauth2
    auth:
      clientId: client-id-555
      clientSecret: client-secret-555-xyz
      scopes:
        - content
      tokenInfo:
        refreshToken: refresh-1 # rotates
"""


async def test_oauth2_refresh_rotates_and_writes_back(lsp, files, fake):
    fake.add_account(555, "", oauth_client_id="client-id-555", oauth_client_secret="client-secret-555-xyz", oauth_refresh_token="refresh-1")
    files.write_global(OAUTH)
    got = await run(lsp, "hubspot.api.request", {"path": "/crm/v3/x"})
    assert got["status"] == 200
    token_req, call = fake.requests()
    assert (token_req["method"], token_req["path"]) == ("POST", "/oauth/v1/token")
    assert token_req["headers"]["content-type"].startswith("application/x-www-form-urlencoded")
    assert dict(urllib.parse.parse_qsl(token_req["body"])) == {
        "grant_type": "refresh_token", "client_id": "client-id-555", "client_secret": "client-secret-555-xyz", "refresh_token": "refresh-1"}
    assert call["query"][-1] == ["portalId", "555"] and bearer(call)
    info = yaml.safe_load(files.global_config.read_text())["accounts"][0]["auth"]["tokenInfo"]
    assert info["refreshToken"] == fake.oauth_refresh_token(555) != "refresh-1"
    assert info["accessToken"] == bearer(call)
    assert "clientSecret: client-secret-555-xyz\n" in files.global_config.read_text()


@pytest.fixture
def env_mode():
    """USE_ENVIRONMENT_HUBSPOT_CONFIG=true with the account in env vars, for the lsp fixture."""
    return {"USE_ENVIRONMENT_HUBSPOT_CONFIG": "true", "HUBSPOT_ACCOUNT_ID": "123", "HUBSPOT_PERSONAL_ACCESS_KEY": PAK_PROD}


async def test_env_var_mode_calls_with_the_env_account_and_writes_nothing(files, fake, env_mode):
    seed(files, fake)
    async with started("visual-studio-code", files, fake, env=env_mode) as client:
        got = await run(client, "hubspot.secrets.list", {})
        assert got["secrets"] == []
        exchange, listing = fake.requests()
        assert_exchange(exchange, PAK_PROD, 123)
        assert_authed(listing, 123)
        assert files.global_config.read_text() == CONFIG  # env mode never writes tokens
        err = await fails(client, "hubspot.account.auth", {"personalAccessKey": PAK_PROD})
        assert "USE_ENVIRONMENT_HUBSPOT_CONFIG" in err.message


async def test_a_401_whose_refresh_is_refused_says_to_authenticate_again(lsp, files, fake):
    seed(files, fake)
    token = fake.token(PAK_PROD, 123)
    fake.clear_requests()
    text = with_token(token, now() + datetime.timedelta(hours=1))
    files.write_global(text)
    fake.revoke_tokens()
    fake.add_account(123, "pat-na1-rotated-elsewhere-0000000000", hub_name="Prod Portal")  # our key is dead now
    err = await fails(lsp, "hubspot.secrets.list", {})
    assert err.code == FAILED
    assert "https://app.hubspot.com/personal-access-key/123" in err.message and "hubspot.account.auth" in err.message
    assert [(r["method"], r["path"]) for r in fake.requests()] == [("GET", SECRETS), ("POST", EXCHANGE)]
    assert files.global_config.read_text() == text

"""Personal access keys, access tokens, API keys and secret values never appear
in the server's logs (even at `HUBSPOT_LS_LOG=trace`), command results, error messages,
diagnostics or hovers. The server runs with its stderr going to a file we then search."""
import json

import yaml

import pytest
from lsprotocol import types as T

from cmdkit import CONFIG, EXCHANGE, PAK_NEW, PAK_PROD, PAK_SANDBOX, SLOW_MILLIS, bearer, seed
from conftest import PROFILES, diagnostics, fails, open_doc, run, started
from fake_hubspot import body_json

API_KEY = "hapi-333-api-key-zz9-plural-z-alpha"
SECRET_VALUE = "Recognisable-Secret-Value-0xC0FFEE"
SECRET_VALUE_2 = "Second-Recognisable-Value-0xBEEF42"
BAD_PAK = "pat-na1-deadbeef-0000-1111-2222-badbadbadbad"
APIKEY_ACCOUNT = f"""  - name: legacy-key
    accountId: 333
    authType: apikey
    apiKey: {API_KEY}
"""


LOG_FILTERS = {
    "trace": "trace",
    # A user who asks the protocol and HTTP layers for everything still gets no credential.
    "layers": "debug,tower_lsp_server=trace,tower_lsp_server::codec=trace,tower_lsp_server::service=trace,reqwest=trace,hyper=trace,hyper_util=trace",
}


@pytest.fixture(params=[(p, f) for p in PROFILES for f in LOG_FILTERS], ids=lambda pf: f"{pf[0]}-{pf[1]}")
async def traced(request, files, fake):
    """A server at trace level whose stderr goes to a file: (client, log path)."""
    profile, log_filter = request.param
    log = files.root / "server-stderr.log"
    async with started(profile, files, fake, env={"HUBSPOT_LS_LOG": LOG_FILTERS[log_filter]}, stderr_to=log) as client:
        yield client, log


def dump(x) -> str:
    if hasattr(x, "__attrs_attrs__"):
        from cattrs import Converter
        return json.dumps(Converter().unstructure(x), default=str)
    return json.dumps(x, default=str)


async def test_no_credential_reaches_logs_results_errors_diagnostics_or_hovers(traced, files, fake):
    client, log = traced
    text = CONFIG.replace("# end of accounts\n", APIKEY_ACCOUNT + "# end of accounts\n")
    seed(files, fake, text)
    fake.add_account(333, "", api_key=API_KEY)
    fake.add_account(789, PAK_NEW, hub_name="New Hub")
    seen: list[str] = []  # everything the client was told

    async def ok(command, arg):
        got = await run(client, command, arg)
        seen.append(dump(got))
        return got

    async def bad(command, arg):
        err = await fails(client, command, arg)
        seen.append(err.message)
        seen.append(dump(err.data))
        return err

    # auth (exchange, write), a rejected key, account info
    await ok("hubspot.account.auth", {"personalAccessKey": PAK_NEW, "name": "new-one"})
    await bad("hubspot.account.auth", {"personalAccessKey": BAD_PAK})
    await ok("hubspot.account.info", {"account": "prod"})
    await ok("hubspot.account.list", {})
    # secrets with a recognisable value, then a token refresh after a revocation
    await ok("hubspot.secrets.add", {"name": "MY_SECRET", "value": SECRET_VALUE})
    fake.revoke_tokens()
    await ok("hubspot.secrets.update", {"name": "MY_SECRET", "value": SECRET_VALUE_2})
    await bad("hubspot.secrets.add", {"name": "MY_SECRET", "value": SECRET_VALUE})
    await bad("hubspot.secrets.update", {"name": "NOT_THERE", "value": SECRET_VALUE})
    fake.fault("/cms/v3/functions/secrets", "status", status=500, method="PUT", times=1)
    await bad("hubspot.secrets.update", {"name": "MY_SECRET", "value": SECRET_VALUE})
    assert fake.secrets(123) == {"MY_SECRET": SECRET_VALUE_2}
    # api.request on the apikey account: its URL carries hapikey=, the fake echoes the query
    got = await ok("hubspot.api.request", {"path": "/crm/v3/objects/contacts?limit=1", "account": "legacy-key"})
    assert got["status"] == 200
    fake.fault("/crm/v3/objects/deals", "status", status=401, times=1)
    await bad("hubspot.api.request", {"path": "/crm/v3/objects/deals", "account": "legacy-key"})
    fake.fault("/crm/v3/objects/tickets", "slow", millis=SLOW_MILLIS, times=1)
    await bad("hubspot.api.request", {"path": "/crm/v3/objects/tickets", "account": 333})
    await ok("hubspot.api.request", {"path": "/crm/v3/objects/contacts", "data": {"x": 1}})
    # a sandbox: its new key and token go to the config only, through a failed and a good delete
    fake.add_account(123, PAK_PROD, hub_name="Prod Portal", scope_groups=["files", "sandboxes.write"])
    made = await ok("hubspot.sandbox.create", {"name": "Leak Check", "type": "development", "account": "prod"})
    sandbox_entry = next(a for a in yaml.safe_load(files.global_config.read_text())["accounts"] if a["accountId"] == made["accountId"])
    sandbox_pak = sandbox_entry["personalAccessKey"]
    sandbox_token = sandbox_entry["auth"]["tokenInfo"]["accessToken"]
    fake.fault("/sandbox-hubs/v1/", "status", status=500, method="DELETE", times=1)
    await bad("hubspot.sandbox.delete", {"account": made["accountId"]})
    await ok("hubspot.sandbox.delete", {"account": made["accountId"]})

    # The requests really carried the credentials (so the checks below mean something).
    reqs = fake.requests()
    assert any(body_json(r) == {"key": "MY_SECRET", "secret": SECRET_VALUE} for r in reqs)
    assert any(["hapikey", API_KEY] in r["query"] for r in reqs)
    tokens = {bearer(r) for r in reqs if bearer(r)}
    config_text = files.global_config.read_text()
    for line in config_text.splitlines():
        if "accessToken:" in line:
            tokens.add(line.split("accessToken:", 1)[1].split("#")[0].strip())
    assert len(tokens) >= 3  # the first tokens, the refreshed one, the new account's

    # Diagnostics and hovers of the config, which holds every credential.
    uri = open_doc(client, files.global_config, config_text)
    ds = await diagnostics(client, uri)
    seen.extend(dump(d) for d in ds)
    hovers = []
    lines = config_text.splitlines()
    for i, line in enumerate(lines):
        for key in ("personalAccessKey", "apiKey", "accessToken", "defaultAccount", "accountId", "authType"):
            if line.strip().startswith(key + ":"):
                col = line.index(key)
                for c in (col + 1, line.index(":") + 3):  # on the key, on the value
                    hover = await client.text_document_hover_async(T.HoverParams(T.TextDocumentIdentifier(uri), T.Position(i, c)))
                    if hover is not None:
                        hovers.append(dump(hover))
    seen.extend(hovers)
    assert any("prod" in h for h in hovers), hovers  # the account reference's hover
    assert any("personal" in h.lower() for h in hovers), hovers  # the key's documentation
    seen.extend(m.message for m in client.log_messages)
    seen.extend(m.message for m in client.messages)

    await client.shutdown_session()
    client.shutdown_session = _noop  # the fixture's teardown
    stderr = log.read_text()
    assert "TRACE" in stderr or "DEBUG" in stderr, "the server did log at trace level"

    credentials = {"PAK prod": PAK_PROD, "PAK sandbox": PAK_SANDBOX, "PAK new": PAK_NEW, "bad PAK": BAD_PAK,
                   "API key": API_KEY, "secret value": SECRET_VALUE, "second secret value": SECRET_VALUE_2}
    credentials.update({f"access token {t[:14]}": t for t in tokens})
    credentials.update({"sandbox PAK": sandbox_pak, "sandbox token": sandbox_token})
    told = "\n".join(seen)
    leaks = [(what, where) for what, value in credentials.items() for where, text in (("stderr", stderr), ("client", told)) if value in text]
    assert leaks == [], leaks


async def test_a_key_pasted_where_an_account_belongs_is_quoted_redacted_in_diagnostics(lsp, files, fake):
    # `defaultAccount` and `parentAccountId` findings quote the value they could not resolve.
    seed(files, fake)
    text = CONFIG.replace("defaultAccount: 123", f"defaultAccount: {PAK_PROD}").replace(
        "parentAccountId: 123", f"parentAccountId: {PAK_SANDBOX}"
    )
    uri = open_doc(lsp, files.global_config, text)
    ds = await diagnostics(lsp, uri, lambda ds: {d.code for d in ds} >= {"default-account-unknown", "parent-account-unknown"})
    told = "\n".join(d.message for d in ds)
    assert PAK_PROD[8:] not in told and PAK_SANDBOX[8:] not in told, told
    assert f'"{PAK_PROD[:8]}…{PAK_PROD[-4:]}"' in told, told


async def test_a_key_given_as_the_account_is_echoed_redacted(lsp, files, fake):
    seed(files, fake)
    err = await fails(lsp, "hubspot.account.use", {"account": PAK_NEW})
    assert PAK_NEW[8:] not in err.message, err.message
    assert f"{PAK_NEW[:8]}…{PAK_NEW[-4:]}" in err.message, err.message


async def test_a_token_obtained_during_the_call_is_scrubbed_from_what_hubspot_echoes(lsp, files, fake):
    seed(files, fake)  # tokenInfo is empty: the call exchanges the key first
    token = "CHOSEN-ACCESS-TOKEN-0123456789abcdef"
    fake.fault(EXCHANGE, "raw", status=200, times=1,
               body=json.dumps({"hubId": 123, "userId": 1, "oauthAccessToken": token, "expiresAtMillis": 4102444800000}))
    fake.fault("/echo", "raw", status=200, times=1, headers={"content-type": "application/json"},
               body=json.dumps({"seen": f"Bearer {token}"}))
    got = await run(lsp, "hubspot.api.request", {"path": "/echo"})
    assert token not in json.dumps(got) and got["body"]["seen"].startswith("Bearer "), got


async def test_another_accounts_key_echoed_in_an_error_body_is_redacted(lsp, files, fake):
    seed(files, fake)
    fake.fault(EXCHANGE, "raw", status=400, times=1, body=f"bad key {PAK_NEW} (prod key {PAK_PROD})")
    err = await fails(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW})
    told = err.message + json.dumps(err.data)
    assert PAK_NEW[8:] not in told and PAK_PROD[8:] not in told, told


async def _noop():
    return None


UNKNOWN_ARGUMENTS = [
    ("hubspot.secrets.list", {"acount": "sandbox"}),
    ("hubspot.secrets.add", {"name": "A", "value": SECRET_VALUE, "acount": "sandbox"}),
    ("hubspot.secrets.update", {"name": "A", "value": SECRET_VALUE, "accountId": 456}),
    ("hubspot.secrets.delete", {"name": "A", "acount": "sandbox"}),
    ("hubspot.files.upload", {"src": "a.txt", "dest": "a.txt", "acount": "sandbox"}),
    ("hubspot.files.fetch", {"src": "/a.txt", "acount": "sandbox"}),
    ("hubspot.api.request", {"path": "/x", "acount": "sandbox"}),
    ("hubspot.account.info", {"acount": "sandbox"}),
    ("hubspot.account.use", {"account": "sandbox", "dir": "elsewhere"}),
    ("hubspot.account.remove", {"acount": "sandbox"}),
    ("hubspot.account.clean", {"dry_run": True}),
    ("hubspot.account.auth", {"personalAccessKey": PAK_NEW, "make_default": True}),
    ("hubspot.account.link", {"directory": ".", "accounts": [123], "default": 123}),
    ("hubspot.account.unlink", {"directory": ".", "acounts": [123]}),
    ("hubspot.override.migrate", {"file": ".hsaccount"}),
    ("hubspot.config.migrate", {"file": "hubspot.config.yml"}),
]


@pytest.mark.parametrize("command,arg", UNKNOWN_ARGUMENTS, ids=[c for c, _ in UNKNOWN_ARGUMENTS])
async def test_a_misspelt_argument_is_an_error_not_a_silent_default(lsp, files, fake, command, arg):
    """`{"acount": "sandbox"}` must not quietly act on the default account (or ignore a
    flag): InvalidParams naming the argument, nothing sent, nothing written."""
    seed(files, fake)
    files.write("proj/a.txt", "a")
    err = await fails(lsp, command, arg)
    assert err.code == -32602, err.message
    bad = next(k for k in arg if k not in ("name", "value", "src", "dest", "path", "personalAccessKey", "directory", "accounts", "account"))
    assert bad in err.message, err.message
    assert SECRET_VALUE not in err.message and PAK_NEW not in err.message
    assert fake.requests() == []
    assert files.global_config.read_text() == CONFIG


async def test_an_unknown_command_is_invalid_params(lsp, files, fake):
    err = await fails(lsp, "hubspot.account.frobnicate", {})
    assert err.code == -32602 and "hubspot.account.list" in err.message


async def test_a_credential_of_the_wrong_type_is_refused_without_quoting_it(lsp, files, fake):
    seed(files, fake)
    err = await fails(lsp, "hubspot.secrets.add", {"name": "A", "value": 987654321987})
    assert err.code == -32602 and "987654321987" not in err.message
    err = await fails(lsp, "hubspot.account.auth", {"personalAccessKey": ["pat-na1-in-a-list-000000000000"]})
    assert err.code == -32602 and "in-a-list" not in err.message
    assert fake.requests() == []

"""`hubspot.secrets.list|add|update|delete` against the fake: requests, results,
the account they act on, token write-back, and every fault."""
import json

import pytest

from cmdkit import (
    CONFIG, FAULTS, PAK_PROD, PAK_SANDBOX, SECRETS, assert_authed, assert_exchange,
    assert_written_back, bearer, non_exchange, run_fault_case, seed,
)
from conftest import INVALID_PARAMS, fails, run
from fake_hubspot import body_json

VALUE = "s3cr3t-value-do-not-leak-0042"


def summary(fake):
    return [(r["method"], r["path"]) for r in non_exchange(fake)]


async def test_list_exchanges_then_lists_with_bearer_and_writes_the_token_back(lsp, files, fake):
    seed(files, fake)
    fake.set_secret(123, "API_KEY", "v1")
    fake.set_secret(123, "OTHER", "v2")
    got = await run(lsp, "hubspot.secrets.list", {})
    assert got["secrets"] == ["API_KEY", "OTHER"]
    exchange, listing = fake.requests()
    assert_exchange(exchange, PAK_PROD, 123)
    assert (listing["method"], listing["path"]) == ("GET", SECRETS)
    assert listing["query"] == [["portalId", "123"]]
    assert_authed(listing, 123)
    assert_written_back(files, CONFIG, 123, bearer(listing))
    assert "v1" not in json.dumps(got)


async def test_add_sends_key_and_secret(lsp, files, fake):
    seed(files, fake)
    got = await run(lsp, "hubspot.secrets.add", {"name": "NEW_ONE", "value": VALUE})
    assert got["name"] == "NEW_ONE"
    assert VALUE not in json.dumps(got)
    assert summary(fake) == [("GET", SECRETS), ("POST", SECRETS)]
    post = non_exchange(fake)[1]
    assert_authed(post, 123)
    assert post["headers"]["content-type"].startswith("application/json")
    assert body_json(post) == {"key": "NEW_ONE", "secret": VALUE}
    assert fake.secrets(123) == {"NEW_ONE": VALUE}


async def test_add_of_an_existing_name_is_an_error(lsp, files, fake):
    seed(files, fake)
    fake.set_secret(123, "TAKEN", "old")
    err = await fails(lsp, "hubspot.secrets.add", {"name": "TAKEN", "value": VALUE})
    assert "TAKEN" in err.message and "hubspot.secrets.update" in err.message
    assert summary(fake) == [("GET", SECRETS)]  # never posted
    assert fake.secrets(123) == {"TAKEN": "old"}


async def test_add_needs_name_and_value(lsp, files, fake):
    seed(files, fake)
    err = await fails(lsp, "hubspot.secrets.add", {"name": "X"})
    assert err.code == INVALID_PARAMS and "value" in err.message
    err = await fails(lsp, "hubspot.secrets.add", {"value": VALUE})
    assert err.code == INVALID_PARAMS and "name" in err.message and VALUE not in err.message
    assert fake.requests() == []


async def test_update_puts_on_the_collection(lsp, files, fake):
    seed(files, fake)
    fake.set_secret(123, "API_KEY", "old")
    await run(lsp, "hubspot.secrets.update", {"name": "API_KEY", "value": VALUE})
    assert summary(fake) == [("GET", SECRETS), ("PUT", SECRETS)]
    assert body_json(non_exchange(fake)[1]) == {"key": "API_KEY", "secret": VALUE}
    assert fake.secrets(123) == {"API_KEY": VALUE}


async def test_update_of_a_missing_name_is_an_error(lsp, files, fake):
    seed(files, fake)
    fake.set_secret(123, "API_KEY", "old")
    err = await fails(lsp, "hubspot.secrets.update", {"name": "NOPE", "value": VALUE})
    assert "NOPE" in err.message and "does not exist" in err.message and "API_KEY" in err.message
    assert VALUE not in err.message
    assert summary(fake) == [("GET", SECRETS)]
    assert fake.secrets(123) == {"API_KEY": "old"}


async def test_delete_by_name_with_encoding(lsp, files, fake):
    seed(files, fake)
    fake.set_secret(123, "MY KEY", "v")
    fake.set_secret(123, "KEEP", "v")
    await run(lsp, "hubspot.secrets.delete", {"name": "MY KEY"})
    reqs = non_exchange(fake)
    assert summary(fake) == [("GET", SECRETS), ("DELETE", SECRETS + "/MY%20KEY")]
    assert_authed(reqs[1], 123)
    assert fake.secrets(123) == {"KEEP": "v"}


async def test_delete_of_a_missing_name_is_an_error(lsp, files, fake):
    seed(files, fake)
    err = await fails(lsp, "hubspot.secrets.delete", {"name": "GHOST"})
    assert "GHOST" in err.message and "does not exist" in err.message
    assert summary(fake) == [("GET", SECRETS)]


async def test_account_argument_and_account_in_force(lsp, files, fake):
    seed(files, fake)
    fake.set_secret(456, "SANDBOX_ONLY", "v")
    got = await run(lsp, "hubspot.secrets.list", {"account": "sandbox"})
    assert got["secrets"] == ["SANDBOX_ONLY"]
    assert_exchange(fake.requests()[0], PAK_SANDBOX, 456)
    assert_authed(fake.requests()[1], 456)
    fake.clear_requests()
    # No `account`: .hs/settings.json's localDefaultAccount beats the .hsaccount and defaultAccount.
    files.write("proj/.hsaccount", "123")
    files.write("proj/.hs/settings.json", json.dumps({"accounts": [456], "localDefaultAccount": 456}))
    got = await run(lsp, "hubspot.secrets.list", {"directory": str(files.project)})
    assert got["secrets"] == ["SANDBOX_ONLY"]
    assert [r["query"][-1] for r in fake.requests()] == [["portalId", "456"]]  # cached token reused


async def test_hsaccount_beats_default(lsp, files, fake):
    seed(files, fake)
    files.write("proj/.hsaccount", "456")
    await run(lsp, "hubspot.secrets.list", {})
    assert [r["query"][-1] for r in fake.requests()] == [["portalId", "456"], ["portalId", "456"]]


async def test_unknown_account_is_an_error_never_the_default(lsp, files, fake):
    seed(files, fake)
    for command, arg in [
        ("hubspot.secrets.list", {"account": "sandbx"}),
        ("hubspot.secrets.add", {"account": "sandbx", "name": "A", "value": VALUE}),
        ("hubspot.secrets.update", {"account": 999, "name": "A", "value": VALUE}),
        ("hubspot.secrets.delete", {"account": "999", "name": "A"}),
    ]:
        err = await fails(lsp, command, arg)
        assert err.code == INVALID_PARAMS and str(arg["account"]) in err.message, (command, err.message)
    assert fake.requests() == []


CASES = {
    "list": ("hubspot.secrets.list", {}, SECRETS, "GET"),
    "add": ("hubspot.secrets.add", {"name": "NEW", "value": VALUE}, SECRETS, "POST"),
    "update": ("hubspot.secrets.update", {"name": "OLD", "value": VALUE}, SECRETS, "PUT"),
    "delete": ("hubspot.secrets.delete", {"name": "OLD"}, SECRETS + "/OLD", "DELETE"),
}


@pytest.mark.parametrize("kind", FAULTS)
@pytest.mark.parametrize("case", list(CASES))
async def test_faults(lsp, files, fake, case, kind):
    seed(files, fake)
    fake.set_secret(123, "OLD", "before")
    command, arg, prefix, method = CASES[case]
    if kind == "badjson" and method != "GET":
        # add/update/delete ignore their answer's body (as the CLI): the JSON they read is the list.
        prefix, method = SECRETS, "GET"
    got = await run_fault_case(lsp, fake, files, command, arg, prefix, method, kind)
    expected = {
        "list": {"OLD": "before"},
        "add": {"OLD": "before", "NEW": VALUE},
        "update": {"OLD": VALUE},
        "delete": {},
    }[case]
    if kind in ("401", "429"):
        assert fake.secrets(123) == expected
        if case == "list":
            assert got["secrets"] == ["OLD"]
    else:
        assert fake.secrets(123) == {"OLD": "before"}
        assert VALUE not in got.message


async def test_an_apikey_account_lists_with_hapikey(lsp, files, fake):
    text = CONFIG.replace("# end of accounts\n", "  - name: keyed\n    accountId: 333\n    authType: apikey\n    apiKey: hapi-333-secrets-key-0000\n# end of accounts\n")
    seed(files, fake, text)
    fake.add_account(333, "", api_key="hapi-333-secrets-key-0000")
    fake.set_secret(333, "K", "v")
    got = await run(lsp, "hubspot.secrets.list", {"account": "keyed"})
    assert got["secrets"] == ["K"]
    [req] = fake.requests()
    assert req["query"] == [["portalId", "333"], ["hapikey", "hapi-333-secrets-key-0000"]]
    assert "authorization" not in req["headers"]
    assert files.global_config.read_text() == text

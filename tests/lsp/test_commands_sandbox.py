"""`hubspot.sandbox.create|delete|usage` against the fake: the requests in the CLI's order,
the config on disk (comments kept, mode kept), the refusals made before anything is created,
HubSpot's errors turned into what to do, and `$/progress`."""
import json
import stat

import pytest

from cmdkit import (
    CONFIG, PAK_PROD, PAK_SANDBOX, account, assert_authed, assert_exchange, config_yaml, non_exchange, seed, without_token_info,
)
from conftest import FAILED, INVALID_PARAMS, fails, open_doc, run, wait_for
from fake_hubspot import body_json

USAGE = "/sandbox-hubs/v1/parent/123/usage"
CREATE = "/sandbox-hubs/v2/sandboxes"
SCOPES = ["cms.functions.read_write", "files", "sandboxes.write"]


def seed_parent(files, fake, text: str = CONFIG, scopes=SCOPES):
    """The usual config; the parent's key may manage sandboxes."""
    path = seed(files, fake, text)
    fake.add_account(123, PAK_PROD, hub_name="Prod Portal", account_type="STANDARD", scope_groups=scopes)
    return path


def summary(fake):
    return [(r["method"], r["path"].split("?")[0]) for r in non_exchange(fake)]


async def test_create_follows_the_cli_and_adds_the_sandbox_to_the_config(lsp, files, fake):
    seed_parent(files, fake)
    got = await run(lsp, "hubspot.sandbox.create", {"name": "Orbit Dev Box", "type": "development", "account": "prod"})
    [sandbox] = [s for s in fake.sandboxes() if s["name"] == "Orbit Dev Box"]
    new_id = sandbox["sandboxHubId"]
    assert got == {"accountId": new_id, "name": "orbit-dev-box", "accountType": "DEVELOPMENT_SANDBOX",
                   "parentAccountId": 123, "status": "PENDING"}

    pak_path = f"{CREATE}/{new_id}/personal-access-key"
    assert summary(fake) == [("GET", USAGE), ("POST", CREATE), ("POST", pak_path)]
    usage, create, pak = non_exchange(fake)
    for req in (usage, create, pak):
        assert_authed(req, 123)  # every sandbox call is the parent's
    assert body_json(create) == {"name": "Orbit Dev Box", "type": "DEVELOPER", "syncObjectRecords": False}
    assert pak["body"] in ("", None) and pak["headers"]["content-type"] == "application/json"
    # The new key is exchanged without a portalId, as the CLI does for a key it has just been given.
    new_key = account(config_yaml(files), new_id)["personalAccessKey"]
    assert_exchange(fake.requests()[-1], new_key, None)

    text = files.global_config.read_text()
    before_new = without_token_info(CONFIG.split("# end of accounts")[0])
    assert without_token_info(text).startswith(before_new), "all but the parent's refreshed token is untouched"
    assert "# end of accounts" in text and "# the real one" in text
    entry = account(config_yaml(files), new_id)
    assert {k: entry[k] for k in ("name", "env", "authType", "accountType", "parentAccountId")} == {
        "name": "orbit-dev-box", "env": "prod", "authType": "personalaccesskey",
        "accountType": "DEVELOPMENT_SANDBOX", "parentAccountId": 123}
    assert entry["auth"]["tokenInfo"]["accessToken"].startswith(f"fake-at-{new_id}-")
    assert config_yaml(files)["defaultAccount"] == 123, "a new sandbox never becomes the default"
    assert stat.S_IMODE(files.global_config.stat().st_mode) == 0o600
    assert new_key not in json.dumps(got) and "fake-at-" not in json.dumps(got)


async def test_create_a_standard_sandbox_with_object_records(lsp, files, fake):
    seed_parent(files, fake)
    got = await run(lsp, "hubspot.sandbox.create", {"name": "QA", "type": "standard", "syncObjectRecords": True})
    assert (got["name"], got["accountType"], got["parentAccountId"]) == ("qa", "STANDARD_SANDBOX", 123)
    create = next(r for r in fake.requests() if r["path"] == CREATE)
    assert body_json(create) == {"name": "QA", "type": "STANDARD", "syncObjectRecords": True}


@pytest.mark.parametrize("arg, words", [
    ({"name": "Sandbox", "type": "development"}, ["\"sandbox\"", "already uses"]),  # so converted, taken
    ({"name": "x", "type": "development", "account": "sandbox"}, ["DEVELOPMENT_SANDBOX", "production"]),
    ({"name": "x", "type": "sandboxy"}, ["standard", "development"]),
    ({"name": "  ", "type": "standard"}, ["name"]),
    ({"name": "tab\tname", "type": "standard"}, ["whitespace"]),
    ({"name": "x", "type": "standard", "account": "nope"}, ["nope", "prod"]),
])
async def test_refusals_come_before_any_call(lsp, files, fake, arg, words):
    seed_parent(files, fake)
    err = await fails(lsp, "hubspot.sandbox.create", arg)
    assert err.code == INVALID_PARAMS, err.message
    for w in words:
        assert w in err.message, err.message
    assert fake.requests() == []
    assert [s["name"] for s in fake.sandboxes()] == ["Dev Sandbox"]  # the config's own 456 only
    assert files.global_config.read_text() == CONFIG


async def test_no_slot_left_names_the_limit_and_the_sandboxes_in_the_config(lsp, files, fake):
    seed_parent(files, fake)
    fake.set_sandbox_limits(123, development=1)  # the config's 456 is the one
    err = await fails(lsp, "hubspot.sandbox.create", {"name": "Second", "type": "development"})
    assert "limit of 1 development sandboxes" in err.message and "sandbox (456)" in err.message
    assert "hubspot.sandbox.delete" in err.message
    assert summary(fake) == [("GET", USAGE)]
    fake.set_sandbox_limits(123, standard=0)
    err = await fails(lsp, "hubspot.sandbox.create", {"name": "Std", "type": "standard"})
    assert "limit of 0 standard sandboxes" in err.message and "/sandboxes-developer/123/standard" in err.message
    assert without_token_info(files.global_config.read_text()) == without_token_info(CONFIG)


async def test_missing_scope_says_which_and_where_to_fix_it(lsp, files, fake):
    seed_parent(files, fake, scopes=["files"])
    err = await fails(lsp, "hubspot.sandbox.create", {"name": "Nope", "type": "development"})
    assert err.code == FAILED
    assert "sandboxes.write" in err.message and "personal-access-key/123" in err.message
    assert "hubspot.account.auth" in err.message
    assert summary(fake) == [("GET", USAGE)] and len(fake.sandboxes()) == 1
    err = await fails(lsp, "hubspot.sandbox.usage", {})
    assert "sandboxes.write" in err.message


async def test_a_failure_after_creation_says_the_sandbox_exists(lsp, files, fake):
    seed_parent(files, fake)
    fake.fault("/sandbox-hubs/v2/sandboxes/", "status", status=500, method="POST", times=1)
    err = await fails(lsp, "hubspot.sandbox.create", {"name": "Half Done", "type": "development"})
    [made] = [s for s in fake.sandboxes() if s["name"] == "Half Done"]
    assert "created in HubSpot" in err.message and str(made["sandboxHubId"]) in err.message
    assert f"personal-access-key/{made['sandboxHubId']}" in err.message
    assert without_token_info(files.global_config.read_text()) == without_token_info(CONFIG)


async def test_a_config_with_unsaved_changes_is_refused_before_hubspot_is_asked(lsp, files, fake):
    """Creating or deleting a sandbox that the config could not record afterwards: refused
    before anything changes in HubSpot, which cannot be undone."""
    config = seed_parent(files, fake)
    open_doc(lsp, config, CONFIG + "# typed, not saved\n")
    for command, arg in [("hubspot.sandbox.create", {"name": "Box One", "type": "development", "account": "prod"}),
                         ("hubspot.sandbox.delete", {"account": "sandbox"})]:
        err = await fails(lsp, command, arg)
        assert err.code == FAILED and "not saved" in err.message and "Nothing was done in HubSpot" in err.message, err.message
    assert [m for m, _ in summary(fake) if m != "GET"] == []
    assert files.global_config.read_text() == CONFIG


async def test_progress_while_creating(lsp, files, fake):
    seed_parent(files, fake)
    await run(lsp, "hubspot.sandbox.create", {"name": "Watched", "type": "development"})
    def ended():
        values = [v for vs in lsp.progress_reports.values() for v in vs]
        return values if values and values[-1].kind == "end" else None

    values = await wait_for(ended, "the progress of sandbox.create to end")
    kinds = [v.kind for v in values]
    assert kinds[0] == "begin" and kinds[-1] == "end" and kinds.count("report") == 4, kinds
    assert "created watched" in values[-1].message


async def test_usage(lsp, files, fake):
    seed_parent(files, fake)
    got = await run(lsp, "hubspot.sandbox.usage", {"account": 123})
    assert got == {"standard": {"used": 0, "available": 1, "limit": 1},
                   "development": {"used": 1, "available": 1, "limit": 2}}
    err = await fails(lsp, "hubspot.sandbox.usage", {"account": "sandbox"})
    assert "production" in err.message


# -- delete -------------------------------------------------------------------------------

async def test_delete_as_the_parent_then_remove_the_entry(lsp, files, fake):
    seed_parent(files, fake)
    got = await run(lsp, "hubspot.sandbox.delete", {"account": "sandbox"})
    assert got == {"accountId": 456, "parentAccountId": 123, "deletedInHubSpot": True, "defaultAccount": 123}
    [req] = non_exchange(fake)
    assert (req["method"], req["path"]) == ("DELETE", "/sandbox-hubs/v1/456")
    assert_authed(req, 123)
    assert fake.sandboxes() == []
    text = files.global_config.read_text()
    assert "name: sandbox" not in text and "accountId: 456" not in text and PAK_SANDBOX not in text
    assert "# end of accounts" in text and "# keep drafts" in text
    assert [a["accountId"] for a in config_yaml(files)["accounts"]] == [123]


async def test_deleting_the_default_moves_it_to_the_parent(lsp, files, fake):
    seed_parent(files, fake, CONFIG.replace("defaultAccount: 123 # the real one", "defaultAccount: 456 # the real one"))
    got = await run(lsp, "hubspot.sandbox.delete", {"account": 456})
    assert got["defaultAccount"] == 123
    assert "defaultAccount: 123 # the real one" in files.global_config.read_text()


async def test_a_sandbox_already_gone_in_hubspot_is_still_removed_locally(lsp, files, fake):
    seed(files, fake)
    fake.fault("/sandbox-hubs/v1/456", "status", status=404, method="DELETE", times=1,
               body={"status": "error", "message": "Sandbox not found", "category": "OBJECT_NOT_FOUND",
                     "subCategory": "SandboxErrors.SANDBOX_NOT_FOUND"})
    got = await run(lsp, "hubspot.sandbox.delete", {"account": "sandbox"})
    assert got["deletedInHubSpot"] is False
    assert [a["accountId"] for a in config_yaml(files)["accounts"]] == [123]


@pytest.mark.parametrize("status", [401, 500])
async def test_a_failed_delete_keeps_the_entry(lsp, files, fake, status):
    seed_parent(files, fake)
    fake.fault("/sandbox-hubs/v1/456", "status", status=status, method="DELETE", times=0)
    err = await fails(lsp, "hubspot.sandbox.delete", {"account": "sandbox"})
    assert err.code == FAILED
    if status == 401:
        assert "parent account prod (123)" in err.message and "hubspot.account.auth" in err.message
    assert files.global_config.read_text().count("accountId: 456") == 1


@pytest.mark.parametrize("text, ident, words", [
    (CONFIG, "prod", ["not a sandbox"]),
    (CONFIG.replace("    parentAccountId: 123\n", ""), "sandbox", ["no parentAccountId"]),
    (CONFIG.replace("parentAccountId: 123", "parentAccountId: 999"), "sandbox", ["999", "not in", "personal-access-key/999"]),
])
async def test_delete_refusals_before_any_call(lsp, files, fake, text, ident, words):
    seed_parent(files, fake, text)
    err = await fails(lsp, "hubspot.sandbox.delete", {"account": ident})
    for w in words:
        assert w in err.message, err.message
    assert fake.requests() == []
    assert files.global_config.read_text() == text


async def test_create_then_delete_round_trip(lsp, files, fake):
    seed_parent(files, fake)
    made = await run(lsp, "hubspot.sandbox.create", {"name": "Round Trip", "type": "standard"})
    assert any(a["name"] == "round-trip" for a in config_yaml(files)["accounts"])
    listed = await run(lsp, "hubspot.account.list", {})
    assert {"accountId": made["accountId"], "parentAccountId": 123}.items() <= next(
        a for a in listed["accounts"] if a["accountId"] == made["accountId"]).items()
    await run(lsp, "hubspot.sandbox.delete", {"account": "round-trip"})
    # Back to the file it was, but for the parent's refreshed token.
    assert without_token_info(files.global_config.read_text()) == without_token_info(CONFIG)
    assert [a["accountId"] for a in config_yaml(files)["accounts"]] == [123, 456]
    assert [s["name"] for s in fake.sandboxes()] == ["Dev Sandbox"]


@pytest.mark.parametrize("prefix, method, body, words", [
    (USAGE, "GET", {"usage": {"STANDARD": {"used": 0}}}, ["usage"]),
    (USAGE, "GET", [1, 2], ["usage"]),
    (CREATE, "POST", {"sandboxHubId": "70000001"}, ["sandboxHubId"]),
    (CREATE, "POST", {"sandboxHubId": -5}, ["sandboxHubId"]),
    (CREATE + "/", "POST", {"personalAccessKey": {}}, ["created in HubSpot", "encodedOAuthRefreshToken"]),
])
async def test_hostile_answers_are_errors_that_say_what_was_wrong(lsp, files, fake, prefix, method, body, words):
    seed_parent(files, fake)
    fake.fault(prefix, "status", status=200, method=method, times=1, body=body)
    err = await fails(lsp, "hubspot.sandbox.create", {"name": "Hostile", "type": "development"})
    assert err.code == FAILED
    for w in words:
        assert w in err.message, err.message
    assert without_token_info(files.global_config.read_text()) == without_token_info(CONFIG)

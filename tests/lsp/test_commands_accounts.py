"""`hubspot.account.auth|list|resolve|info|use|remove` against the fake HubSpot:
what goes on the wire, what the command answers, and what is on disk afterwards."""
import json
import stat

import pytest
import yaml
from lsprotocol import types as T

from cmdkit import (
    CONFIG, EXCHANGE, FAULTS, PAK_NEW, PAK_PROD, PAK_SANDBOX, SANDBOX_ENTRY, account, add_fault, assert_exchange,
    calls, config_yaml, expect_fault_error, seed,
)
from conftest import FAILED, INVALID_PARAMS, by_code, diagnostics, fails, open_doc, run


# -- auth ---------------------------------------------------------------------------------

async def test_auth_creates_the_global_config_0600_with_the_first_account_as_default(lsp, files, fake):
    fake.add_account(789, PAK_NEW, hub_name="My Company, Inc.", account_type="STANDARD")
    assert not files.global_config.exists()
    got = await run(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW})
    assert (got["accountId"], got["name"], got["accountType"]) == (789, "my-company-inc", "STANDARD")
    [req] = fake.requests()
    assert_exchange(req, PAK_NEW, None)  # no portalId on the first exchange
    assert stat.S_IMODE(files.global_config.stat().st_mode) == 0o600
    doc = config_yaml(files)
    assert doc["defaultAccount"] == 789
    [entry] = doc["accounts"]
    assert {k: entry[k] for k in ("name", "accountId", "env", "authType", "accountType", "personalAccessKey")} == {
        "name": "my-company-inc", "accountId": 789, "env": "prod", "authType": "personalaccesskey",
        "accountType": "STANDARD", "personalAccessKey": PAK_NEW,
    }
    assert entry["auth"]["tokenInfo"]["accessToken"].startswith("fake-at-789-")


async def test_auth_appends_a_new_account_in_place_and_keeps_the_default(lsp, files, fake):
    seed(files, fake)
    fake.add_account(789, PAK_NEW, hub_name="Third", account_type="STANDARD")
    got = await run(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW, "name": "third"})
    assert (got["accountId"], got["name"]) == (789, "third")
    text = files.global_config.read_text()
    head, _, rest = CONFIG.partition("# end of accounts\n")
    assert text.startswith(head), text  # every existing byte, comments included, is still there
    assert "# end of accounts" in text
    doc = yaml.safe_load(text)
    assert doc["defaultAccount"] == 123  # not the first account: the default stays
    assert [a["accountId"] for a in doc["accounts"]] == [123, 456, 789]
    assert account(doc, 789)["personalAccessKey"] == PAK_NEW


async def test_auth_make_default_sets_default_account(lsp, files, fake):
    seed(files, fake)
    fake.add_account(789, PAK_NEW, hub_name="Third")
    await run(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW, "name": "third", "makeDefault": True})
    text = files.global_config.read_text()
    assert "defaultAccount: 789 # the real one\n" in text
    assert config_yaml(files)["defaultAccount"] == 789


async def test_auth_of_a_known_account_updates_it_in_place(lsp, files, fake):
    seed(files, fake)
    rotated = "pat-na1-99999999-aaaa-bbbb-cccc-00000000d123"
    fake.add_account(123, rotated, hub_name="Prod Portal", account_type="STANDARD")
    got = await run(lsp, "hubspot.account.auth", {"personalAccessKey": rotated})
    assert (got["accountId"], got["name"]) == (123, "prod")  # the existing name is kept
    text = files.global_config.read_text()
    # Only the key and the token changed: comments, defaultCmsPublishMode and the rest stay.
    assert f"    personalAccessKey: {rotated} # from the PAK page\n" in text, text
    assert "    defaultCmsPublishMode: draft # keep drafts\n" in text
    assert text.startswith("# HubSpot CLI config, edited by hand\ndefaultAccount: 123 # the real one\n")
    assert text.endswith(CONFIG[CONFIG.index("  - name: sandbox"):])
    doc = yaml.safe_load(text)
    assert [a["accountId"] for a in doc["accounts"]] == [123, 456]
    assert account(doc, 123)["auth"]["tokenInfo"]["accessToken"].startswith("fake-at-123-")


async def test_auth_of_a_sandbox_learns_its_parent(lsp, files, fake):
    fake.add_account(555, PAK_NEW, hub_name="Dev Box", account_type="DEVELOPMENT_SANDBOX", parent_hub_id=123)
    await run(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW})
    exchange, self_call = fake.requests()
    assert_exchange(exchange, PAK_NEW, None)
    assert (self_call["method"], self_call["path"]) == ("GET", "/sandbox-hubs/v1/self")
    assert self_call["query"] == [["portalId", "555"]]
    token = account(config_yaml(files), 555)["auth"]["tokenInfo"]["accessToken"]
    assert self_call["headers"]["authorization"] == f"Bearer {token}"
    assert account(config_yaml(files), 555)["parentAccountId"] == 123


async def test_auth_without_a_key_says_where_to_get_one(lsp, files, fake):
    err = await fails(lsp, "hubspot.account.auth", {})
    assert err.code == INVALID_PARAMS
    assert "personalAccessKey" in err.message
    assert "https://app.hubspot.com/l/personal-access-key" in err.message
    assert fake.requests() == []
    assert not files.global_config.exists()


async def test_auth_with_a_rejected_key_changes_nothing(lsp, files, fake):
    seed(files, fake)
    err = await fails(lsp, "hubspot.account.auth", {"personalAccessKey": "pat-na1-not-a-real-key-at-all-0000"})
    assert err.code == FAILED
    assert "personal-access-key" in err.message and "unauthorized" in err.message, err.message
    assert files.global_config.read_text() == CONFIG


@pytest.mark.parametrize("kind", FAULTS)
async def test_auth_faults(lsp, files, fake, kind):
    seed(files, fake)
    fake.add_account(789, PAK_NEW, hub_name="Third")
    add_fault(fake, kind, EXCHANGE, "POST")
    arg = {"personalAccessKey": PAK_NEW, "name": "third"}
    if kind == "429":
        got = await run(lsp, "hubspot.account.auth", arg)
        assert got["accountId"] == 789
        assert len(calls(fake, EXCHANGE)) == 2  # waited as Retry-After said, then retried
        assert [a["accountId"] for a in config_yaml(files)["accounts"]] == [123, 456, 789]
    else:
        await expect_fault_error(lsp, "hubspot.account.auth", arg, kind)
        assert len(calls(fake, EXCHANGE)) == 1  # an exchange is never retried after an error
        assert files.global_config.read_text() == CONFIG


# -- list / resolve ---------------------------------------------------------------------

async def test_list_shows_accounts_default_and_linked(lsp, files, fake):
    seed(files, fake)
    files.write("proj/.hs/settings.json", json.dumps({"accounts": [456], "localDefaultAccount": 456}))
    got = await run(lsp, "hubspot.account.list", {})
    assert got["defaultAccount"] == 123
    assert got["linked"] == [456]
    assert got["localDefaultAccount"] == 456
    assert got["configPath"] == str(files.global_config)
    common = {"authType": "personalaccesskey", "env": "prod", "tokenExpiresAt": None}
    assert got["accounts"] == [
        {"name": "prod", "accountId": 123, "accountType": "STANDARD", "isDefault": True, "parentAccountId": None,
         "isLinked": False, "isLocalDefault": False, **common},
        {"name": "sandbox", "accountId": 456, "accountType": "DEVELOPMENT_SANDBOX", "isDefault": False,
         "parentAccountId": 123, "isLinked": True, "isLocalDefault": True, **common},
    ]
    assert PAK_PROD not in json.dumps(got)
    assert fake.requests() == []  # local commands never call HubSpot


async def test_resolve_follows_settings_then_hsaccount_then_default(lsp, files, fake):
    seed(files, fake)
    sub = files.project / "theme" / "deep"
    sub.mkdir(parents=True)
    got = await run(lsp, "hubspot.account.resolve", {"directory": str(sub)})
    assert (got["accountId"], got["name"], got["source"]) == (123, "prod", "default")
    assert got["path"] == str(files.global_config)

    hsaccount = files.write("proj/theme/.hsaccount", "456")
    got = await run(lsp, "hubspot.account.resolve", {"directory": str(sub)})
    assert (got["accountId"], got["source"], got["path"]) == (456, "hsaccount", str(hsaccount))

    files.write("proj/.hsaccount", "456")
    settings = files.write("proj/.hs/settings.json", json.dumps({"accounts": [123, 456], "localDefaultAccount": 123}))
    got = await run(lsp, "hubspot.account.resolve", {"directory": str(sub)})
    assert (got["accountId"], got["source"], got["path"]) == (123, "settings", str(settings))
    assert fake.requests() == []


# -- info ---------------------------------------------------------------------------------

async def test_info_exchanges_the_key_and_does_not_write(lsp, files, fake):
    seed(files, fake)
    got = await run(lsp, "hubspot.account.info", {"account": "prod"})
    assert got == {"name": "prod", "accountId": 123, "accountType": "STANDARD", "scopes": ["cms.functions.read_write", "files"]}
    [req] = fake.requests()
    assert_exchange(req, PAK_PROD, 123)
    assert files.global_config.read_text() == CONFIG  # as `hs account info`: not written back


async def test_info_without_account_uses_the_account_in_force(lsp, files, fake):
    seed(files, fake)
    files.write("proj/.hs/settings.json", json.dumps({"accounts": [123, 456], "localDefaultAccount": 456}))
    got = await run(lsp, "hubspot.account.info", {})
    assert got["accountId"] == 456 and got["name"] == "sandbox"
    assert_exchange(fake.requests()[0], PAK_SANDBOX, 456)


async def test_info_without_account_and_hsaccount_beats_default(lsp, files, fake):
    seed(files, fake)
    files.write("proj/.hsaccount", "456")
    got = await run(lsp, "hubspot.account.info", {"directory": str(files.project)})
    assert got["accountId"] == 456


async def test_info_of_an_unknown_account_is_an_error_never_the_default(lsp, files, fake):
    seed(files, fake)
    err = await fails(lsp, "hubspot.account.info", {"account": "prdo"})
    assert err.code == INVALID_PARAMS
    assert "prdo" in err.message and "prod" in err.message  # says what there is
    assert fake.requests() == []


@pytest.mark.parametrize("kind", FAULTS)
async def test_info_faults(lsp, files, fake, kind):
    seed(files, fake)
    add_fault(fake, kind, EXCHANGE, "POST")
    if kind == "429":
        got = await run(lsp, "hubspot.account.info", {"account": 123})
        assert got["scopes"] == ["cms.functions.read_write", "files"]
        assert len(calls(fake, EXCHANGE)) == 2
    else:
        err = await expect_fault_error(lsp, "hubspot.account.info", {"account": 123}, kind)
        if kind == "401":
            assert "https://app.hubspot.com/personal-access-key/123" in err.message
    assert files.global_config.read_text() == CONFIG


# -- use ----------------------------------------------------------------------------------

async def test_use_sets_default_account_in_place(lsp, files, fake):
    seed(files, fake)
    got = await run(lsp, "hubspot.account.use", {"account": "sandbox"})
    assert got["accountId"] == 456
    assert files.global_config.read_text() == CONFIG.replace("defaultAccount: 123 # the real one", "defaultAccount: 456 # the real one")
    assert fake.requests() == []


async def test_use_replaces_a_default_portal_that_would_override_it(lsp, files, fake):
    """The CLI lets a `defaultPortal` naming an account override `defaultAccount`: `use` must
    not leave one behind, or the next command still runs against the old account."""
    text = CONFIG.replace("defaultAccount: 123 # the real one\n", "defaultPortal: prod\n")
    seed(files, fake, text)
    await run(lsp, "hubspot.account.use", {"account": "sandbox"})
    expected = text.replace("defaultPortal: prod\n", "").replace("# end of accounts", "defaultAccount: 456\n# end of accounts")
    assert files.global_config.read_text() == expected
    got = await run(lsp, "hubspot.account.resolve", {})
    assert (got["accountId"], got["source"]) == (456, "default")


async def test_use_in_a_linked_directory_sets_local_default(lsp, files, fake):
    seed(files, fake)
    settings = files.write("proj/.hs/settings.json", '{\n  "accounts": [\n    123,\n    456\n  ],\n  "localDefaultAccount": 123\n}')
    got = await run(lsp, "hubspot.account.use", {"account": 456, "directory": str(files.project)})
    assert got["accountId"] == 456
    assert settings.read_text() == '{\n  "accounts": [\n    123,\n    456\n  ],\n  "localDefaultAccount": 456\n}'
    assert files.global_config.read_text() == CONFIG  # the global default is untouched
    got = await run(lsp, "hubspot.account.resolve", {"directory": str(files.project)})
    assert (got["accountId"], got["source"]) == (456, "settings")


async def test_use_of_an_unknown_account_changes_nothing(lsp, files, fake):
    seed(files, fake)
    err = await fails(lsp, "hubspot.account.use", {"account": "999"})
    assert err.code == INVALID_PARAMS and "999" in err.message
    err = await fails(lsp, "hubspot.account.use", {})
    assert err.code == INVALID_PARAMS and "account" in err.message
    assert files.global_config.read_text() == CONFIG


# -- remove -------------------------------------------------------------------------------

PROD_ENTRY = CONFIG[CONFIG.index("  # production\n") + len("  # production\n"):CONFIG.index("  - name: sandbox")]


async def test_remove_a_non_default_account(lsp, files, fake):
    seed(files, fake)
    await run(lsp, "hubspot.account.remove", {"account": "sandbox"})
    assert files.global_config.read_text() == CONFIG.replace(SANDBOX_ENTRY, "")
    assert fake.requests() == []


async def test_remove_the_default_account_clears_default_account(lsp, files, fake):
    seed(files, fake)
    await run(lsp, "hubspot.account.remove", {"account": 123})
    text = files.global_config.read_text()
    doc = yaml.safe_load(text)
    assert "defaultAccount" not in doc
    assert [a["accountId"] for a in doc["accounts"]] == [456]
    assert "# HubSpot CLI config, edited by hand\n" in text and "# end of accounts\n" in text
    assert SANDBOX_ENTRY in text
    assert PROD_ENTRY not in text


async def test_remove_an_unknown_account_is_an_error(lsp, files, fake):
    seed(files, fake)
    err = await fails(lsp, "hubspot.account.remove", {"account": "nope"})
    assert err.code == INVALID_PARAMS and "nope" in err.message
    assert files.global_config.read_text() == CONFIG


async def test_use_of_an_unlinked_account_in_a_linked_directory_sets_the_global_default(lsp, files, fake):
    """As `hs account use` without a terminal: the local default only names linked accounts."""
    seed(files, fake)
    text = '{\n  "accounts": [\n    123\n  ],\n  "localDefaultAccount": 123\n}'
    settings = files.write("proj/.hs/settings.json", text)
    await run(lsp, "hubspot.account.use", {"account": "sandbox", "directory": str(files.project)})
    assert settings.read_text() == text
    assert files.global_config.read_text() == CONFIG.replace("defaultAccount: 123 # the real one", "defaultAccount: 456 # the real one")


async def test_remove_the_default_account_bytes(lsp, files, fake):
    seed(files, fake)
    await run(lsp, "hubspot.account.remove", {"account": "prod"})
    # The comment line directly above the account goes with it; the file's own stays.
    expected = CONFIG.replace("defaultAccount: 123 # the real one\n", "").replace("  # production\n" + PROD_ENTRY, "")
    assert files.global_config.read_text() == expected
    assert expected.startswith("# HubSpot CLI config, edited by hand\n")


async def test_open_documents_are_checked_again_after_a_command_changes_files(lsp, files, fake):
    seed(files, fake)
    settings = files.write("proj/.hs/settings.json", '{\n  "accounts": [123, 456],\n  "localDefaultAccount": 123\n}')
    uri = open_doc(lsp, settings, language="json")
    await diagnostics(lsp, uri, lambda ds: not by_code(ds, "linked-account-unknown"))
    await run(lsp, "hubspot.account.remove", {"account": "sandbox"})
    ds = await diagnostics(lsp, uri, lambda ds: bool(by_code(ds, "linked-account-unknown")))
    [d] = by_code(ds, "linked-account-unknown")
    assert "456" in d.message


async def test_auth_creates_the_hscli_folder_when_missing(lsp, files, fake):
    files.global_config.parent.rmdir()
    fake.add_account(789, PAK_NEW, hub_name="Fresh")
    got = await run(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW})
    assert got["accountId"] == 789
    assert stat.S_IMODE(files.global_config.stat().st_mode) == 0o600
    assert config_yaml(files)["defaultAccount"] == 789


async def test_auth_refuses_a_name_with_whitespace_or_taken(lsp, files, fake):
    seed(files, fake)
    fake.add_account(789, PAK_NEW, hub_name="Fresh")
    err = await fails(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW, "name": "my account"})
    assert err.code == INVALID_PARAMS and "whitespace" in err.message and PAK_NEW not in err.message
    err = await fails(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW, "name": "PROD"})
    assert err.code == INVALID_PARAMS and "prod" in err.message.lower()
    assert files.global_config.read_text() == CONFIG


async def test_auth_of_a_qa_account(lsp, files, fake):
    seed(files, fake)
    fake.add_account(789, PAK_NEW, hub_name="QA Hub")
    got = await run(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW, "env": "QA"})
    assert got["name"] == "qa-hub"
    assert account(config_yaml(files), 789)["env"] == "qa"
    err = await fails(lsp, "hubspot.account.auth", {"env": "qa"})
    assert "https://app.hubspotqa.com/l/personal-access-key" in err.message
    err = await fails(lsp, "hubspot.account.auth", {"personalAccessKey": PAK_NEW, "env": "staging"})
    assert err.code == INVALID_PARAMS and "staging" in err.message


async def test_commands_read_the_config_as_it_is_now(lsp, files, fake):
    """A config changed on disk after the server started (by the CLI, by hand) is what the
    next command sees."""
    seed(files, fake)
    assert [a["accountId"] for a in (await run(lsp, "hubspot.account.list", {}))["accounts"]] == [123, 456]
    files.write_global(CONFIG.replace("defaultAccount: 123", "defaultAccount: 456").replace(SANDBOX_ENTRY, ""))
    got = await run(lsp, "hubspot.account.list", {})
    assert [a["accountId"] for a in got["accounts"]] == [123]
    err = await fails(lsp, "hubspot.secrets.list", {"account": "sandbox"})
    assert err.code == INVALID_PARAMS


# -- files with changes in the editor not saved -------------------------------------------

async def test_a_command_does_not_write_over_unsaved_changes_in_the_editor(lsp, files, fake):
    seed(files, fake)
    unsaved = CONFIG.replace("# end of accounts", "# end of accounts (edited, not saved)")
    open_doc(lsp, files.global_config, unsaved)
    err = await fails(lsp, "hubspot.account.use", {"account": "sandbox"})
    assert err.code == FAILED and "not saved" in err.message and "config.yml" in err.message, err.message
    assert files.global_config.read_text() == CONFIG, "the disk is as it was"
    # Once saved (the disk has the editor's text), the same command goes through.
    files.global_config.write_text(unsaved)
    await run(lsp, "hubspot.account.use", {"account": "sandbox"})
    assert files.global_config.read_text() == unsaved.replace("defaultAccount: 123 # the real one", "defaultAccount: 456 # the real one")


async def test_commands_in_a_row_before_the_editor_reloads_what_the_first_wrote(lsp, files, fake):
    # The config is open and saved; a command writes it; the editor has not reloaded it yet
    # (this client never does) when a second command writes it again. Nothing of the user's
    # is lost, so neither is refused.
    seed(files, fake)
    uri = open_doc(lsp, files.global_config, CONFIG)
    await run(lsp, "hubspot.account.use", {"account": "sandbox"})
    await run(lsp, "hubspot.account.use", {"account": "prod"})
    assert "defaultAccount: 123 # the real one" in files.global_config.read_text()
    # The user then types in the buffer (still the text before both writes): theirs now.
    lsp.text_document_did_change(
        T.DidChangeTextDocumentParams(
            text_document=T.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[T.TextDocumentContentChangeWholeDocument(text=CONFIG + "# typed\n")],
        )
    )
    err = await fails(lsp, "hubspot.account.use", {"account": "sandbox"})
    assert "not saved" in err.message, err.message

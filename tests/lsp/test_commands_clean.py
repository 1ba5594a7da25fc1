"""`hubspot.account.clean` against the fake HubSpot: which accounts HubSpot reports inactive or
missing, what the command removes from the config and which `.hsaccount` files go with them."""
import pytest
import yaml

from cmdkit import CONFIG, EXCHANGE, FAULTS, PAK_NEW, SANDBOX_ENTRY, add_fault, calls, config_yaml, seed
from conftest import open_doc, run


THIRD = f"""  - name: gone
    accountId: 789
    authType: personalaccesskey
    personalAccessKey: {PAK_NEW}
    auth:
      tokenInfo: {{}}
  - name: qa-one
    accountId: 321
    env: qa
    authType: personalaccesskey
    personalAccessKey: pat-na1-qa-key-0000000000000000
    auth:
      tokenInfo: {{}}
"""


def clean_setup(files, fake):
    text = CONFIG.replace("# end of accounts\n", THIRD + "# end of accounts\n")
    seed(files, fake, text)
    fake.add_account(789, PAK_NEW)
    fake.set_portal_state(456, "inactive")
    fake.set_portal_state(789, "missing")
    return text


async def test_clean_removes_inactive_and_missing_portals_and_keeps_the_rest(lsp, files, fake):
    clean_setup(files, fake)
    got = await run(lsp, "hubspot.account.clean", {})
    assert sorted(got["removed"]) == [456, 789]
    # One forced exchange per non-QA account, each with its portalId; the QA one is not tried.
    ex = calls(fake, EXCHANGE)
    assert sorted(int(r["query"][0][1]) for r in ex) == [123, 456, 789]
    for r in ex:
        assert "authorization" not in r["headers"]
    after = files.global_config.read_text()
    doc = yaml.safe_load(after)
    assert [a["accountId"] for a in doc["accounts"]] == [123, 321]
    assert doc["defaultAccount"] == 123
    assert SANDBOX_ENTRY not in after and "name: gone" not in after
    assert "  # production\n" in after and "defaultCmsPublishMode: draft # keep drafts\n" in after and "# end of accounts\n" in after
    assert after.startswith("# HubSpot CLI config, edited by hand\ndefaultAccount: 123 # the real one\n")


async def test_clean_dry_run_reports_and_writes_nothing(lsp, files, fake):
    text = clean_setup(files, fake)
    got = await run(lsp, "hubspot.account.clean", {"dryRun": True})
    assert sorted(got["removed"]) == [456, 789]
    assert files.global_config.read_text() == text


async def test_clean_of_the_default_account_clears_default(lsp, files, fake):
    seed(files, fake)
    fake.set_portal_state(123, "inactive")
    got = await run(lsp, "hubspot.account.clean", {})
    assert got["removed"] == [123]
    doc = config_yaml(files)
    assert "defaultAccount" not in doc
    assert [a["accountId"] for a in doc["accounts"]] == [456]


async def test_clean_deletes_an_hsaccount_that_named_a_removed_account(lsp, files, fake):
    clean_setup(files, fake)
    hsaccount = files.write("proj/.hsaccount", "456")
    await run(lsp, "hubspot.account.clean", {"directory": str(files.project)})
    assert not hsaccount.exists()


async def test_clean_keeps_an_hsaccount_with_changes_in_the_editor(lsp, files, fake):
    clean_setup(files, fake)
    hsaccount = files.write("proj/.hsaccount", "456")
    open_doc(lsp, hsaccount, "123", language="plaintext")  # typed, not saved
    got = await run(lsp, "hubspot.account.clean", {"directory": str(files.project)})
    assert 456 in got["removed"]
    assert hsaccount.read_text() == "456"


@pytest.mark.parametrize("kind", FAULTS)
async def test_clean_faults_keep_the_account(lsp, files, fake, kind):
    """Only the two 'inactive' answers that `hs account clean` acts on (401 PORTAL_NOT_ACTIVE,
    404 INVALID_PORTAL_ID) remove an account; any other failure of its exchange keeps it."""
    seed(files, fake)
    fake.set_portal_state(456, "inactive")
    # The fault hits the first exchange (account 123, the first in the file).
    add_fault(fake, kind, EXCHANGE, "POST", times=1)
    got = await run(lsp, "hubspot.account.clean", {})
    assert got["removed"] == [456]
    doc = config_yaml(files)
    assert [a["accountId"] for a in doc["accounts"]] == [123]
    if kind == "429":
        assert len(calls(fake, EXCHANGE)) == 3  # 123 limited, retried; then 456
    else:
        kept = {k["accountId"]: k["reason"] for k in got.get("kept", [])}
        assert 123 in kept, got


async def test_clean_keeps_an_hsaccount_that_names_a_kept_account(lsp, files, fake):
    """Unlike the CLI (which deletes the nearest .hsaccount whenever it removes anything),
    an override that still names a configured account stays."""
    clean_setup(files, fake)
    hsaccount = files.write("proj/.hsaccount", "123")
    got = await run(lsp, "hubspot.account.clean", {"directory": str(files.project)})
    assert sorted(got["removed"]) == [456, 789]
    assert hsaccount.read_text() == "123"

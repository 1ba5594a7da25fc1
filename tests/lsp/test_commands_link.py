"""`hubspot.account.link|unlink`, `hubspot.override.migrate`, `hubspot.config.migrate`: the
files on disk afterwards, byte for byte where the CLI's format is known (settings.json,
the .gitignore block, unlink, migration; see docs/hubspot-cli.md), and no call to HubSpot."""
import json
import stat
import subprocess

import yaml

from cmdkit import CONFIG, config_yaml, seed
from conftest import FAILED, INVALID_PARAMS, fails, open_doc, run

GITIGNORE_BLOCK = "\n\n# HubSpot link folder\n.hs\n"


def git_init(path):
    subprocess.run(["git", "init", "-q", str(path)], check=True)


def settings_text(accounts, default=None) -> str:
    """`JSON.stringify(settings, null, 2)`: what `hs account link` writes (no trailing newline)."""
    value = {"accounts": accounts}
    if default is not None:
        value["localDefaultAccount"] = default
    return json.dumps(value, indent=2)


async def test_link_one_account_in_a_git_repo(lsp, files, fake):
    seed(files, fake)
    git_init(files.project)
    got = await run(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": [456]})
    settings = files.project / ".hs" / "settings.json"
    # One account and no defaultAccount: it becomes the local default.
    assert settings.read_text() == settings_text([456], 456)
    assert (files.project / ".hs" / "README.txt").is_file()
    assert (files.project / ".gitignore").read_text() == GITIGNORE_BLOCK
    assert got["localDefaultAccount"] == 456 and got["accounts"] == [456]
    assert files.global_config.read_text() == CONFIG
    got = await run(lsp, "hubspot.account.resolve", {"directory": str(files.project)})
    assert (got["accountId"], got["source"]) == (456, "settings")
    assert fake.requests() == []


async def test_link_in_a_subdirectory_extends_the_repo_gitignore(lsp, files, fake):
    seed(files, fake)
    git_init(files.project)
    gitignore = files.write("proj/.gitignore", "node_modules\n")
    sub = files.project / "theme"
    sub.mkdir()
    await run(lsp, "hubspot.account.link", {"directory": str(sub), "accounts": ["prod", "sandbox"], "defaultAccount": "sandbox"})
    assert (sub / ".hs" / "settings.json").read_text() == settings_text([123, 456], 456)
    assert gitignore.read_text() == "node_modules" + GITIGNORE_BLOCK
    assert not (sub / ".gitignore").exists()


async def test_link_two_accounts_without_default_sets_none(lsp, files, fake):
    seed(files, fake)
    await run(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": [123, 456]})
    assert (files.project / ".hs" / "settings.json").read_text() == settings_text([123, 456])


async def test_link_outside_git_writes_no_gitignore(lsp, files, fake):
    seed(files, fake)
    await run(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": [123]})
    assert (files.project / ".hs" / "settings.json").read_text() == settings_text([123], 123)
    assert not (files.project / ".gitignore").exists()


async def test_link_keeps_a_gitignore_that_already_mentions_hs(lsp, files, fake):
    seed(files, fake)
    git_init(files.project)
    gitignore = files.write("proj/.gitignore", "dist/\n.hsaccount\n")
    await run(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": [123]})
    assert gitignore.read_text() == "dist/\n.hsaccount\n"


async def test_link_migrates_an_hsaccount_it_links(lsp, files, fake):
    seed(files, fake)
    hsaccount = files.write("proj/.hsaccount", "456")
    sub = files.project / "sub"
    sub.mkdir()
    got = await run(lsp, "hubspot.account.link", {"directory": str(sub), "accounts": [123, 456]})
    assert not hsaccount.exists()  # found walking up, deleted
    assert (sub / ".hs" / "settings.json").read_text() == settings_text([123, 456], 456)
    assert got["removedHsaccount"] == str(hsaccount)


async def test_link_appends_to_existing_settings_in_place(lsp, files, fake):
    seed(files, fake)
    settings = files.write("proj/.hs/settings.json", settings_text([123], 123))
    await run(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": [456]})
    assert json.loads(settings.read_text()) == {"accounts": [123, 456], "localDefaultAccount": 123}
    assert settings.read_text() == settings_text([123, 456], 123)


async def test_link_errors_change_nothing(lsp, files, fake):
    seed(files, fake)
    err = await fails(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": [999]})
    assert err.code == INVALID_PARAMS and "999" in err.message
    err = await fails(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": []})
    assert err.code == INVALID_PARAMS and "accounts" in err.message
    err = await fails(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": [123], "defaultAccount": "nobody"})
    assert err.code == INVALID_PARAMS and "nobody" in err.message
    assert not (files.project / ".hs").exists()
    files.write("proj/hubspot.config.yml", "portals: []\n")
    err = await fails(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": [123]})
    assert "migrate" in err.message, err.message
    assert not (files.project / ".hs").exists()
    assert fake.requests() == []


async def test_link_writes_nothing_while_a_file_of_it_has_unsaved_changes(lsp, files, fake):
    seed(files, fake)
    git_init(files.project)
    settings = files.write("proj/.hs/settings.json", settings_text([123], 123))
    open_doc(lsp, settings, settings_text([123]), language="json")  # the default taken out, not saved
    err = await fails(lsp, "hubspot.account.link", {"directory": str(files.project), "accounts": [456]})
    assert err.code == FAILED and "not saved" in err.message and "settings.json" in err.message, err.message
    # Nothing of the plan was written: not the settings, not the .gitignore beside them.
    assert settings.read_text() == settings_text([123], 123)
    assert not (files.project / ".gitignore").exists()


# -- unlink -------------------------------------------------------------------------------

async def test_unlink_the_default_makes_the_remaining_one_default(lsp, files, fake):
    seed(files, fake)
    git_init(files.project)
    gitignore = files.write("proj/.gitignore", "node_modules\n")
    settings = files.write("proj/.hs/settings.json", settings_text([123, 456], 456))
    hsaccount = files.write("proj/.hsaccount", "123")
    await run(lsp, "hubspot.account.unlink", {"directory": str(files.project), "accounts": [456]})
    assert settings.read_text() == settings_text([123], 123)
    assert gitignore.read_text() == "node_modules\n" and hsaccount.read_text() == "123"  # untouched


async def test_unlink_everything_keeps_the_file(lsp, files, fake):
    seed(files, fake)
    files.write("proj/.hs/README.txt", "readme")
    settings = files.write("proj/.hs/settings.json", settings_text([123, 456], 456))
    await run(lsp, "hubspot.account.unlink", {"directory": str(files.project), "accounts": [123, "sandbox"]})
    assert settings.read_text() == settings_text([])
    assert (files.project / ".hs" / "README.txt").read_text() == "readme"
    got = await run(lsp, "hubspot.account.resolve", {"directory": str(files.project)})
    assert (got["accountId"], got["source"]) == (123, "default")


async def test_unlink_of_an_account_that_is_not_linked_is_an_error(lsp, files, fake):
    seed(files, fake)
    settings = files.write("proj/.hs/settings.json", settings_text([123], 123))
    err = await fails(lsp, "hubspot.account.unlink", {"directory": str(files.project), "accounts": [456]})
    assert "456" in err.message
    assert settings.read_text() == settings_text([123], 123)
    assert fake.requests() == []


# -- override.migrate -------------------------------------------------------------------

async def test_override_migrate_moves_hsaccount_into_settings(lsp, files, fake):
    seed(files, fake)
    git_init(files.project)
    hsaccount = files.write("proj/.hsaccount", "456")
    got = await run(lsp, "hubspot.override.migrate", {"path": str(hsaccount)})
    assert not hsaccount.exists()
    assert (files.project / ".hs" / "settings.json").read_text() == settings_text([456], 456)
    assert (files.project / ".gitignore").read_text() == GITIGNORE_BLOCK
    assert got["localDefaultAccount"] == 456
    assert files.global_config.read_text() == CONFIG
    assert fake.requests() == []


async def test_override_migrate_into_existing_settings(lsp, files, fake):
    seed(files, fake)
    settings = files.write("proj/.hs/settings.json", settings_text([123], 123))
    hsaccount = files.write("proj/.hsaccount", "456\n")
    await run(lsp, "hubspot.override.migrate", {"path": str(hsaccount)})
    assert settings.read_text() == settings_text([123, 456], 456)
    assert not hsaccount.exists()


async def test_override_migrate_of_an_unknown_account_changes_nothing(lsp, files, fake):
    seed(files, fake)
    hsaccount = files.write("proj/.hsaccount", "999")
    err = await fails(lsp, "hubspot.override.migrate", {"path": str(hsaccount)})
    assert err.code == INVALID_PARAMS and "999" in err.message
    assert hsaccount.read_text() == "999"
    assert not (files.project / ".hs").exists()
    bad = files.write("proj/.hsaccount", "prod")
    err = await fails(lsp, "hubspot.override.migrate", {"path": str(bad)})
    assert ".hsaccount" in err.message
    assert bad.read_text() == "prod"


# -- config.migrate -----------------------------------------------------------------------

LEGACY = """# my legacy config
defaultPortal: legacy-one
defaultMode: draft
httpTimeout: 40000
portals:
  - name: legacy-one # first
    portalId: 333
    authType: personalaccesskey
    personalAccessKey: pat-na1-legacy-0000000000000333
    sandboxAccountType: STANDARD
  - name: legacy-two
    portalId: 123
    authType: personalaccesskey
    personalAccessKey: pat-na1-legacy-0000000000000123
"""


async def test_config_migrate_creates_the_global_config_and_archives(lsp, files, fake):
    legacy = files.write("proj/hubspot.config.yml", LEGACY)
    got = await run(lsp, "hubspot.config.migrate", {"path": str(legacy)})
    assert got["configPath"] == str(files.global_config)
    archived = files.project / "archived.hubspot.config.yml"
    assert got["archivedPath"] == str(archived)
    assert not legacy.exists()
    assert archived.read_text() == LEGACY
    assert stat.S_IMODE(files.global_config.stat().st_mode) == 0o600
    text = files.global_config.read_text()
    doc = yaml.safe_load(text)
    assert doc["defaultAccount"] == 333
    assert doc["defaultCmsPublishMode"] == "draft" and doc["httpTimeout"] == 40000
    assert [a["accountId"] for a in doc["accounts"]] == [333, 123]
    assert doc["accounts"][0]["accountType"] == "STANDARD_SANDBOX"  # the legacy value, normalised
    assert "portals" not in doc and "defaultPortal" not in doc
    assert "# my legacy config" in text and "# first" in text  # comments survive (the CLI loses them)
    assert got["conflicts"] == [] and got["skipped"] == []
    assert fake.requests() == []


async def test_config_migrate_merges_existing_values_winning(lsp, files, fake):
    seed(files, fake)
    legacy = files.write("proj/hubspot.config.yml", LEGACY)
    got = await run(lsp, "hubspot.config.migrate", {"path": str(legacy)})
    assert not legacy.exists() and (files.project / "archived.hubspot.config.yml").read_text() == LEGACY
    doc = config_yaml(files)
    assert doc["defaultAccount"] == 123  # the global value wins
    assert doc["httpTimeout"] == 3000
    assert doc["defaultCmsPublishMode"] == "draft"  # filled from legacy: absent in global
    assert [a["accountId"] for a in doc["accounts"]] == [123, 456, 333]
    assert got["skipped"] == [123]
    conflicts = {c["property"]: (c["kept"], c["ignored"]) for c in got["conflicts"]}
    assert conflicts["httpTimeout"] == (3000, 40000)
    text = files.global_config.read_text()
    assert text.startswith("# HubSpot CLI config, edited by hand\n") and "  # production\n" in text


async def test_config_migrate_of_a_missing_file_is_an_error(lsp, files, fake):
    err = await fails(lsp, "hubspot.config.migrate", {"path": str(files.project / "hubspot.config.yml")})
    assert err.code == INVALID_PARAMS and "hubspot.config.yml" in err.message
    assert not files.global_config.exists()


async def test_local_commands_never_call_hubspot_whatever_it_does(lsp, files, fake):
    """list, resolve, use, remove, link, unlink and both migrations work on files only: with
    every HubSpot endpoint failing (500, slow, rate limited), they still do their job."""
    seed(files, fake)
    for prefix in ("/", "/localdevauth"):
        fake.fault(prefix, "status", status=500)
    d = str(files.project)
    assert (await run(lsp, "hubspot.account.list", {"directory": d}))["defaultAccount"] == 123
    assert (await run(lsp, "hubspot.account.resolve", {"directory": d}))["accountId"] == 123
    await run(lsp, "hubspot.account.link", {"directory": d, "accounts": [123, 456]})
    await run(lsp, "hubspot.account.use", {"account": 456, "directory": d})
    await run(lsp, "hubspot.account.unlink", {"directory": d, "accounts": [123]})
    assert json.loads((files.project / ".hs" / "settings.json").read_text()) == {"accounts": [456], "localDefaultAccount": 456}
    sub = files.project / "sub"
    sub.mkdir()
    hsaccount = files.write("proj/sub/.hsaccount", "123")
    await run(lsp, "hubspot.override.migrate", {"path": str(hsaccount)})
    assert not hsaccount.exists()
    await run(lsp, "hubspot.account.remove", {"account": "sandbox"})
    assert [a["accountId"] for a in config_yaml(files)["accounts"]] == [123]
    legacy = files.write("proj/hubspot.config.yml", LEGACY)
    await run(lsp, "hubspot.config.migrate", {"path": str(legacy)})
    assert [a["accountId"] for a in config_yaml(files)["accounts"]] == [123, 333]
    assert fake.requests() == []


async def test_link_in_a_subdirectory_of_a_linked_directory_rewrites_the_parent_settings(lsp, files, fake):
    """As the CLI does: an existing settings file up the tree is rewritten in place."""
    seed(files, fake)
    settings = files.write("proj/.hs/settings.json", settings_text([123], 123))
    sub = files.project / "a" / "b"
    sub.mkdir(parents=True)
    got = await run(lsp, "hubspot.account.link", {"directory": str(sub), "accounts": [456]})
    assert got["settingsPath"] == str(settings)
    assert settings.read_text() == settings_text([123, 456], 123)
    assert not (sub / ".hs").exists()


async def test_config_migrate_creates_the_hscli_folder(lsp, files, fake):
    files.global_config.parent.rmdir()
    legacy = files.write("proj/hubspot.config.yml", LEGACY)
    await run(lsp, "hubspot.config.migrate", {"path": str(legacy)})
    assert stat.S_IMODE(files.global_config.stat().st_mode) == 0o600
    assert [a["accountId"] for a in config_yaml(files)["accounts"]] == [333, 123]


async def test_paths_are_relative_to_the_workspace(lsp, files, fake):
    seed(files, fake)
    files.write("proj/sub/.hsaccount", "123")
    await run(lsp, "hubspot.override.migrate", {"path": "sub/.hsaccount"})
    assert (files.project / "sub" / ".hs" / "settings.json").read_text() == settings_text([123], 123)
    await run(lsp, "hubspot.account.unlink", {"directory": "sub", "accounts": [123]})
    assert (files.project / "sub" / ".hs" / "settings.json").read_text() == settings_text([])
    files.write("proj/hubspot.config.yml", LEGACY)
    got = await run(lsp, "hubspot.config.migrate", {"path": "hubspot.config.yml"})
    assert got["archivedPath"] == str(files.project / "archived.hubspot.config.yml")


async def test_config_migrate_stops_on_a_global_config_the_cli_refuses(lsp, files, fake):
    # As `hs config migrate`: the global config is validated first; here the
    # second account has no authType, which the CLI refuses ("Account 456 has no authType").
    broken = CONFIG.replace("    authType: personalaccesskey\n    accountType: DEVELOPMENT_SANDBOX\n", "    accountType: DEVELOPMENT_SANDBOX\n")
    assert broken != CONFIG
    seed(files, fake, broken)
    legacy = files.write("proj/hubspot.config.yml", LEGACY)
    err = await fails(lsp, "hubspot.config.migrate", {"path": str(legacy)})
    line = broken[: broken.index("  - name: sandbox")].count("\n") + 1
    assert err.code == FAILED and f"config.yml:{line}:" in err.message and "authType" in err.message, err.message
    assert files.global_config.read_text() == broken and legacy.read_text() == LEGACY, "nothing written"
    # Mended, the merge goes through.
    files.global_config.write_text(CONFIG)
    await run(lsp, "hubspot.config.migrate", {"path": str(legacy)})
    assert not legacy.exists()

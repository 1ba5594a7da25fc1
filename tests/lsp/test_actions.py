"""Code actions as editors request and apply them: the files on disk, byte for byte, after
applying the returned workspace edit (as the editor would) or executing the returned command."""
import pathlib
import stat

import pytest
from lsprotocol import types as T
from pygls.exceptions import JsonRpcException

from conftest import ROOT, VALID, by_code, diagnostics, index_of, open_doc, span, started
from pytest_lsp import client_capabilities

HS_README = (ROOT / "server" / "src" / "hubspot" / "link" / "hs-folder-README.txt").read_text()


# --- applying what the server returns, the way an editor does -----------------------------


def apply_text_edits(text: str, edits) -> str:
    # Edits never overlap; applying from the end keeps earlier offsets valid.
    spans = sorted(((index_of(text, e.range.start), index_of(text, e.range.end), e.new_text) for e in edits), key=lambda s: (s[0], s[1]), reverse=True)
    for start, end, new in spans:
        text = text[:start] + new + text[end:]
    return text


def path_of(uri: str) -> pathlib.Path:
    from urllib.parse import unquote, urlparse

    return pathlib.Path(unquote(urlparse(uri).path))


def apply_workspace_edit(edit: T.WorkspaceEdit):
    """What VS Code does with a WorkspaceEdit, on disk (the files are not dirty in these tests)."""
    if edit.changes:
        for uri, edits in edit.changes.items():
            p = path_of(uri)
            p.write_text(apply_text_edits(p.read_text(), edits))
    for change in edit.document_changes or []:
        if isinstance(change, T.TextDocumentEdit):
            p = path_of(change.text_document.uri)
            p.write_text(apply_text_edits(p.read_text(), change.edits))
        elif isinstance(change, T.CreateFile):
            p = path_of(change.uri)
            p.parent.mkdir(parents=True, exist_ok=True)
            if not p.exists() or (change.options and change.options.overwrite):
                p.write_text("")
        elif isinstance(change, T.DeleteFile):
            p = path_of(change.uri)
            if p.exists() or not (change.options and change.options.ignore_if_not_exists):
                p.unlink()
        elif isinstance(change, T.RenameFile):
            path_of(change.old_uri).rename(path_of(change.new_uri))


async def perform(client, action):
    """Apply an action the way the client would: its edit, then its command."""
    if isinstance(action, T.Command):
        command = action
    else:
        if action.edit:
            apply_workspace_edit(action.edit)
        command = action.command
    if command:
        return await client.workspace_execute_command_async(T.ExecuteCommandParams(command=command.command, arguments=command.arguments))


def read_actions_faithfully(client):
    """lsprotocol reads every code action with a `command` as a bare Command (its hook tests for
    the key, not its type), which would hide exactly what these tests check: tell them apart
    as the protocol does, by whether `command` is a string."""
    from typing import Union

    def hook(obj, _):
        kind = T.Command if isinstance(obj.get("command"), str) else T.CodeAction
        return client.protocol._converter.structure(obj, kind)

    client.protocol._converter.register_structure_hook(Union[T.Command, T.CodeAction], hook)


async def actions_for(client, uri, rng: T.Range, ds=(), only=None):
    read_actions_faithfully(client)
    r = await client.text_document_code_action_async(
        T.CodeActionParams(T.TextDocumentIdentifier(uri), rng, T.CodeActionContext(diagnostics=list(ds), only=only))
    )
    return r or []


async def actions_on(client, path: pathlib.Path, code: str, language="yaml", only=None):
    """Open `path`, wait for a `code` finding, and ask for the actions on the first one."""
    uri = open_doc(client, path, language=language)
    ds = await diagnostics(client, uri, lambda ds: by_code(ds, code))
    d = by_code(ds, code)[0]
    return d, await actions_for(client, uri, d.range, [d], only=only)


def titled(actions, title):
    hits = [a for a in actions if a.title == title]
    assert hits, f"no action {title!r} in {[a.title for a in actions]}"
    return hits[0]


def snapshot(root: pathlib.Path) -> dict:
    """Every file under `root`: relative path -> bytes."""
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file() and ".git/" not in str(p) + "/"}


WHOLE = T.Range(T.Position(0, 0), T.Position(10_000, 0))


# --- quick fixes in the document itself ---------------------------------------------------


async def test_rename_name_with_whitespace(lsp, files):
    text = VALID.replace("name: sandbox", "name: my sandbox")
    path = files.write_global(text)
    d, actions = await actions_on(lsp, path, "name-whitespace")
    fix = titled(actions, 'Rename to "my-sandbox"')
    assert fix.kind == T.CodeActionKind.QuickFix
    assert [x.code for x in fix.diagnostics] == ["name-whitespace"]
    # Only clients that advertise isPreferredSupport hear about it.
    assert fix.is_preferred is (True if lsp.profile == "visual-studio-code" else None)
    if lsp.profile == "visual-studio-code":
        assert fix.edit.document_changes[0].text_document.version == 1
    else:
        assert fix.edit.changes and not fix.edit.document_changes
    await perform(lsp, fix)
    assert path.read_text() == VALID.replace("name: sandbox", "name: my-sandbox")


async def test_settings_json_fixes(lsp, files):
    files.write_global()
    text = '{\n  "accounts": [123, 999],\n  "localDefaultAccount": 456\n}'
    path = files.write("proj/.hs/settings.json", text)
    uri = open_doc(lsp, path, language="json")
    ds = await diagnostics(lsp, uri, lambda ds: by_code(ds, "linked-account-unknown") and by_code(ds, "local-default-not-linked"))
    d = by_code(ds, "linked-account-unknown")[0]
    actions = await actions_for(lsp, uri, d.range, [d])
    assert {"Remove 999 from accounts", "Authenticate…"} <= {a.title for a in actions}
    # Authenticating needs a key the editor integration asks for; a bare client hears where to get one.
    auth = titled(actions, "Authenticate…")
    assert auth.command.command == "hubspot.account.auth" and list(auth.command.arguments) == [{}]
    with pytest.raises(JsonRpcException, match="personal access key"):
        await perform(lsp, auth)
    await perform(lsp, titled(actions, "Remove 999 from accounts"))
    assert path.read_text() == '{\n  "accounts": [123],\n  "localDefaultAccount": 456\n}'


@pytest.mark.parametrize("kind", [T.CodeActionKind.QuickFix, T.CodeActionKind.RefactorRewrite])
async def test_whole_legacy_file_to_the_current_format(lsp, files, kind):
    legacy = "# project\ndefaultPortal: prod\nportals:\n  - name: prod\n    portalId: 123 # main\n    authType: personalaccesskey\n    personalAccessKey: pak-123\n"
    path = files.write("proj/hubspot.config.yml", legacy)
    uri = open_doc(lsp, path)
    ds = await diagnostics(lsp, uri, lambda ds: len(by_code(ds, "deprecated")) == 3)
    if kind == T.CodeActionKind.QuickFix:
        d = by_code(ds, "deprecated")[0]
        actions = await actions_for(lsp, uri, d.range, [d], only=[kind])
    else:
        # The rewrite is offered anywhere in the file, on the comment line too, with no finding there.
        actions = await actions_for(lsp, uri, T.Range(T.Position(0, 3), T.Position(0, 3)), only=[kind])
    assert actions and all(a.kind == kind for a in actions)
    whole = titled(actions, "Convert the whole file to the current format")
    assert len(whole.diagnostics) == 3
    await perform(lsp, whole)
    assert path.read_text() == "# project\ndefaultAccount: 123\naccounts:\n  - name: prod\n    accountId: 123 # main\n    authType: personalaccesskey\n    personalAccessKey: pak-123\n    accountType: STANDARD\n"
    # Never a credential in what the server sent.
    assert "pak-123" not in repr([a.title for a in actions])


async def test_one_key_legacy_renames_are_the_preferred_fix(lsp, files):
    legacy = "defaultMode: draft\naccounts:\n  - name: prod\n    portalId: 123\n    authType: personalaccesskey\n    personalAccessKey: pak-123\n"
    path = files.write("proj/hubspot.config.yml", legacy)
    uri = open_doc(lsp, path)
    ds = await diagnostics(lsp, uri, lambda ds: len(by_code(ds, "deprecated")) == 2)
    for d, title in zip(by_code(ds, "deprecated"), ["Rename defaultMode to defaultCmsPublishMode", "Rename portalId to accountId"]):
        actions = await actions_for(lsp, uri, d.range, [d], only=[T.CodeActionKind.QuickFix])
        rename, whole = titled(actions, title), titled(actions, "Convert the whole file to the current format")
        # Editors apply the preferred fix with one key; only clients that say they can take it hear of it.
        assert rename.is_preferred is (True if lsp.profile == "visual-studio-code" else None)
        assert not whole.is_preferred


async def test_config_permissions_command(lsp, files):
    path = files.write_global()
    path.chmod(0o644)
    d, actions = await actions_on(lsp, path, "config-permissions")
    fix = titled(actions, "Make the config readable by you only (chmod 600)")
    assert fix.command.command == "hubspot.config.fixPermissions" and not fix.edit
    before = path.read_bytes()
    await perform(lsp, fix)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and path.read_bytes() == before
    await diagnostics(lsp, path.as_uri(), lambda ds: not by_code(ds, "config-permissions"))
    # Not a general chmod: only files served as a config.
    other = files.write("proj/notes.txt", "x", mode=0o644)
    with pytest.raises(JsonRpcException, match="not a HubSpot config file"):
        await lsp.workspace_execute_command_async(T.ExecuteCommandParams(command="hubspot.config.fixPermissions", arguments=[{"path": str(other)}]))
    assert stat.S_IMODE(other.stat().st_mode) == 0o644


async def test_config_in_git_gets_a_gitignore_entry(lsp, files):
    (files.project / ".git").mkdir()
    gitignore = files.write("proj/.gitignore", "node_modules\n")
    path = files.write("proj/hubspot.config.yml", VALID)
    d, actions = await actions_on(lsp, path, "config-in-git")
    fix = titled(actions, "Add hubspot.config.yml to .gitignore")
    if lsp.profile == "visual-studio-code":
        # Another file's text edit, versioned only when open.
        change = fix.edit.document_changes[0]
        assert isinstance(change, T.TextDocumentEdit) and change.text_document.version is None
    else:
        assert fix.command.command == "hubspot.config.ignoreInGit"
    await perform(lsp, fix)
    assert gitignore.read_text() == "node_modules\n\n# HubSpot config file\nhubspot.config.yml\n"
    assert path.read_text() == VALID


# --- the multi-file migration of .hsaccount -----------------------------------------------


def hsaccount_project(files):
    files.write_global()
    (files.project / ".git").mkdir()
    files.write("proj/.gitignore", "node_modules\n")
    return files.write("proj/.hsaccount", "456")


EXPECTED_AFTER_MIGRATION = {
    ".gitignore": b"node_modules\n\n# HubSpot link folder\n.hs\n",
    ".hs/README.txt": HS_README.encode(),
    ".hs/settings.json": b'{\n  "accounts": [\n    456\n  ],\n  "localDefaultAccount": 456\n}',
}


async def test_hsaccount_migration(lsp, files):
    path = hsaccount_project(files)
    d, actions = await actions_on(lsp, path, "hsaccount-deprecated", language="plaintext")
    fix = next(a for a in actions if a.title == "Migrate to .hs/settings.json" and a.kind == T.CodeActionKind.QuickFix)
    if lsp.profile == "visual-studio-code":
        # VS Code takes resource operations: the edit does it all, no command.
        assert fix.edit.document_changes and not fix.command
        kinds = [type(c).__name__ for c in fix.edit.document_changes]
        assert "CreateFile" in kinds and "DeleteFile" in kinds
    else:
        # Neovim 0.7 advertises resource operations but not documentChanges: the command.
        assert not fix.edit and fix.command.command == "hubspot.override.migrate"
        assert list(fix.command.arguments) == [{"path": str(path)}]
    await perform(lsp, fix)
    assert snapshot(files.project) == EXPECTED_AFTER_MIGRATION


async def test_hsaccount_migration_as_source_action(lsp, files):
    path = hsaccount_project(files)
    uri = open_doc(lsp, path, language="plaintext")
    await diagnostics(lsp, uri, lambda ds: by_code(ds, "hsaccount-deprecated"))
    actions = await actions_for(lsp, uri, T.Range(T.Position(0, 1), T.Position(0, 1)), only=[T.CodeActionKind.Source])
    assert {a.kind for a in actions} == {T.CodeActionKind.Source}
    titles = [a.title for a in actions]
    assert "Migrate to .hs/settings.json" in titles
    assert "Link prod (123) to this folder" in titles and "Link sandbox (456) to this folder" in titles
    await perform(lsp, titled(actions, "Migrate to .hs/settings.json"))
    assert snapshot(files.project) == EXPECTED_AFTER_MIGRATION


async def test_link_source_action(lsp, files):
    files.write_global()
    text = '{\n  "accounts": [123],\n  "localDefaultAccount": 123\n}'
    path = files.write("proj/.hs/settings.json", text)
    uri = open_doc(lsp, path, language="json")
    await diagnostics(lsp, uri)
    actions = await actions_for(lsp, uri, T.Range(T.Position(0, 0), T.Position(0, 0)), only=[T.CodeActionKind.Source])
    link = titled(actions, "Link sandbox (456) to this folder")
    assert link.command.command == "hubspot.account.link"
    assert list(link.command.arguments) == [{"directory": str(files.project), "accounts": [456]}]
    await perform(lsp, link)
    assert path.read_text() == '{\n  "accounts": [123, 456],\n  "localDefaultAccount": 123\n}'


LEGACY = "# project\nportals:\n  - name: dev\n    portalId: 789 # the dev portal\n    authType: personalaccesskey\n    personalAccessKey: pak-789\n"


@pytest.mark.parametrize("kind", [T.CodeActionKind.QuickFix, T.CodeActionKind.Source])
async def test_legacy_config_migration_creates_the_global_config(lsp, files, kind):
    path = files.write("proj/hubspot.config.yml", LEGACY)
    if kind == T.CodeActionKind.QuickFix:
        d, actions = await actions_on(lsp, path, "legacy-config", only=[kind])
    else:
        # Offered as a source action from anywhere in the file, as the .hsaccount migration is.
        uri = open_doc(lsp, path)
        await diagnostics(lsp, uri, lambda ds: by_code(ds, "legacy-config"))
        actions = await actions_for(lsp, uri, T.Range(T.Position(0, 0), T.Position(0, 0)), only=[kind])
    assert actions and all(a.kind == kind for a in actions)
    fix = titled(actions, "Migrate to the global config")
    # A new global config must be 0600, which no workspace edit can say: the command, everywhere.
    assert not fix.edit and fix.command.command == "hubspot.config.migrate"
    assert list(fix.command.arguments) == [{"path": str(path)}]
    await perform(lsp, fix)
    assert files.global_config.read_text() == "# project\naccounts:\n  - name: dev\n    accountId: 789 # the dev portal\n    authType: personalaccesskey\n    personalAccessKey: pak-789\n    accountType: STANDARD\n"
    assert stat.S_IMODE(files.global_config.stat().st_mode) == 0o600
    assert not path.exists() and (files.project / "archived.hubspot.config.yml").read_text() == LEGACY


async def test_legacy_config_merges_into_the_global_config(lsp, files):
    files.write_global()
    path = files.write("proj/hubspot.config.yml", LEGACY)
    d, actions = await actions_on(lsp, path, "legacy-config-ignored")
    fix = titled(actions, "Migrate to the global config")
    if lsp.profile == "visual-studio-code":
        kinds = [type(c).__name__ for c in fix.edit.document_changes]
        assert kinds == ["TextDocumentEdit", "RenameFile"] and not fix.command
    else:
        assert not fix.edit and fix.command.command == "hubspot.config.migrate"
    await perform(lsp, fix)
    # Merged accounts are written from their data (hubspot::migrate); the global file's own
    # text and comments stay.
    merged = VALID + "  - name: dev\n    accountId: 789\n    authType: personalaccesskey\n    personalAccessKey: pak-789\n    accountType: STANDARD\n"
    assert files.global_config.read_text() == merged
    assert stat.S_IMODE(files.global_config.stat().st_mode) == 0o600
    assert not path.exists() and (files.project / "archived.hubspot.config.yml").read_text() == LEGACY


# --- a client without code action literals ------------------------------------------------


async def test_client_without_literal_support_gets_commands(files):
    caps = client_capabilities("neovim@v0.7.0")
    caps.text_document.code_action.code_action_literal_support = None
    async with started("neovim@v0.7.0", files, capabilities=caps) as client:
        await without_literal_support(client, files)


async def without_literal_support(client, files):
    @client.feature("workspace/applyEdit")
    def _apply(params: T.ApplyWorkspaceEditParams):
        apply_workspace_edit(params.edit)
        return T.ApplyWorkspaceEditResult(applied=True)

    # An edit of the document comes as a command that hands it back with workspace/applyEdit.
    files.write_global()
    text = '{\n  "accounts": [123, 999]\n}'
    settings = files.write("proj/.hs/settings.json", text)
    uri = open_doc(client, settings, language="json")
    await diagnostics(client, uri, lambda ds: by_code(ds, "linked-account-unknown"))
    actions = await actions_for(client, uri, WHOLE)
    remove = next(a for a in actions if a.title == "Remove 999 from accounts")
    assert isinstance(remove, T.Command) and remove.command == "hubspot.edit.apply"
    await perform(client, remove)
    assert settings.read_text() == '{\n  "accounts": [123]\n}'
    settings.unlink()
    settings.parent.rmdir()

    path = hsaccount_project(files)
    uri = open_doc(client, path, language="plaintext")
    await diagnostics(client, uri, lambda ds: by_code(ds, "hsaccount-deprecated"))
    actions = await actions_for(client, uri, WHOLE)
    assert actions and all(isinstance(a, T.Command) for a in actions)
    migrate = next(a for a in actions if a.title == "Migrate to .hs/settings.json")
    assert migrate.command == "hubspot.override.migrate"
    await perform(client, migrate)
    assert snapshot(files.project) == EXPECTED_AFTER_MIGRATION


# --- every other quick fix, applied as the client applies it --------------------------------

GLOBAL = "home/.hscli/config.yml"
SETTINGS = "proj/.hs/settings.json"
HSACCOUNT = "proj/.hsaccount"
NO_TOKEN = "accounts:\n  - name: prod\n    accountId: 123\n    authType: personalaccesskey\n    personalAccessKey: pak-123\n"
STALE = "accounts:\n  - name: prod\n    accountId: 123\n    personalAccessKey: k\n    auth:\n      tokenInfo:\n        accessToken: tok\n        expiresAt: soon\n        refreshToken: r\n"
NUMBERED = VALID.replace("defaultAccount: 123\n", "defaultAccount: 123\nhttpTimeout: 1000\n")
OLD = "# old config\ndefaultPortal: dev # by name\ndefaultMode: draft\nportals:\n  - name: prod\n    portalId: 123 # production\n    authType: personalaccesskey\n    personalAccessKey: pak-123\n  - name: dev\n    portalId: 456\n    sandboxAccountType: DEVELOPER\n    authType: personalaccesskey\n    personalAccessKey: pak-456\n"
BOTH = "defaultMode: draft\ndefaultCmsPublishMode: publish\naccounts:\n  - name: prod\n    accountId: 123\n    portalId: 123\n    accountType: STANDARD\n    sandboxAccountType: STANDARD\n    authType: personalaccesskey\n    personalAccessKey: k\n    auth:\n      tokenInfo: {}\n"
# (title, the file, its text, where to ask (the first occurrence of this text), the file after).
# The settings and .hsaccount cases have VALID as the global config.
EACH_FIX = [
    ("Set defaultAccount to prod (123)", GLOBAL, VALID.replace("defaultAccount: 123", "defaultAccount: 999"), "999", VALID),
    ("Set httpTimeout to 3000", GLOBAL, NUMBERED, "1000", NUMBERED.replace("1000", "3000")),
    ("Write the id as a number", GLOBAL, VALID.replace("accountId: 456", "accountId: '456'"), "'456'", VALID),
    ("Write the name as text", GLOBAL, VALID.replace("name: prod", "name: 789"), "789", VALID.replace("name: prod", "name: '789'")),
    ("Rename the key to defaultAccount", GLOBAL, VALID.replace("defaultAccount:", "defaultAcount:"), "defaultAcount", VALID),
    ("Change to personalaccesskey", GLOBAL, VALID.replace("authType: personalaccesskey\n    accountType: STANDARD", "authType: PersonalAccessKey\n    accountType: STANDARD"), "PersonalAccessKey", VALID),
    ("Add an empty auth.tokenInfo", GLOBAL, NO_TOKEN, "name: prod", NO_TOKEN + "    auth:\n      tokenInfo: {}\n"),
    ("Remove the cached token (a new one is fetched on the next call)", GLOBAL, STALE, "soon", STALE.replace("        accessToken: tok\n        expiresAt: soon\n", "")),
    ("Add authType: personalaccesskey", GLOBAL, STALE, "name: prod", STALE + "    authType: personalaccesskey\n"),
    ("Remove the duplicate 123", SETTINGS, '{\n  "accounts": [456, 123, 123]\n}', ", 123]", '{\n  "accounts": [456, 123]\n}'),
    ("Add 456 to accounts", SETTINGS, '{\n  "accounts": [123],\n  "localDefaultAccount": 456\n}', "456", '{\n  "accounts": [123, 456],\n  "localDefaultAccount": 456\n}'),
    ("Set localDefaultAccount to sandbox (456)", SETTINGS, '{\n  "accounts": [123, 456],\n  "localDefaultAccount": 777\n}', "777", '{\n  "accounts": [123, 456],\n  "localDefaultAccount": 456\n}'),
    ('Replace "sandbox" with its id 456', HSACCOUNT, "sandbox\n", "sandbox", "456\n"),
    ("Set to sandbox (456)", HSACCOUNT, "999\n", "999", "456"),
    # Legacy keys, one at a time (the whole file is converted in its own test above).
    ("Replace defaultPortal with defaultAccount: 456", GLOBAL, OLD, "defaultPortal", OLD.replace("defaultPortal: dev", "defaultAccount: 456")),
    ("Rename defaultMode to defaultCmsPublishMode", GLOBAL, OLD, "defaultMode", OLD.replace("defaultMode:", "defaultCmsPublishMode:")),
    ("Rename portals to accounts", GLOBAL, OLD, "portals", OLD.replace("portals:", "accounts:").replace("portalId", "accountId").replace("pak-123\n", "pak-123\n    accountType: STANDARD\n").replace("sandboxAccountType: DEVELOPER", "accountType: DEVELOPMENT_SANDBOX")),
    ("Rename portalId to accountId", GLOBAL, OLD, "portalId: 456", OLD.replace("portalId: 456", "accountId: 456")),
    ("Replace sandboxAccountType with accountType: DEVELOPMENT_SANDBOX", GLOBAL, OLD, "sandboxAccountType", OLD.replace("sandboxAccountType: DEVELOPER", "accountType: DEVELOPMENT_SANDBOX")),
    ("Remove defaultMode (defaultCmsPublishMode is already set)", GLOBAL, BOTH, "defaultMode", BOTH.replace("defaultMode: draft\n", "")),
    ("Remove portalId (accountId is set)", GLOBAL, BOTH, "portalId", BOTH.replace("    portalId: 123\n", "")),
    ("Remove sandboxAccountType (accountType is set)", GLOBAL, BOTH, "sandboxAccountType", BOTH.replace("    sandboxAccountType: STANDARD\n", "")),
]


@pytest.mark.parametrize("title, rel, text, marker, after", EACH_FIX, ids=[f[0] for f in EACH_FIX])
async def test_each_fix_applied(lsp, files, title, rel, text, marker, after):
    if rel == GLOBAL:
        path = files.write_global(text)
    else:
        files.write_global(VALID)
        path = files.write(rel, text)
    language = {SETTINGS: "json", HSACCOUNT: "plaintext"}.get(rel, "yaml")
    uri = open_doc(lsp, path, language=language)
    rng = span(text, marker)
    inside = lambda d: (d.range.start.line, d.range.start.character) <= (rng.end.line, rng.end.character) and (rng.start.line, rng.start.character) <= (d.range.end.line, d.range.end.character)
    ds = [d for d in await diagnostics(lsp, uri, lambda ds: any(inside(d) for d in ds)) if inside(d)]
    fix = titled(await actions_for(lsp, uri, rng, ds), title)
    assert isinstance(fix, T.CodeAction) and fix.kind == T.CodeActionKind.QuickFix
    await perform(lsp, fix)
    assert path.read_text() == after


async def test_authenticate_an_account_runs_the_auth_command(lsp, files):
    """The action only names the account; the key is what the editor integration asks for, so a
    bare client executing it hears where to get one, and nothing is written."""
    path = files.write_global(NO_TOKEN)
    uri = open_doc(lsp, path)
    ds = await diagnostics(lsp, uri, lambda ds: by_code(ds, "token-info-missing"))
    auth = titled(await actions_for(lsp, uri, span(NO_TOKEN, "name: prod"), by_code(ds, "token-info-missing")), "Authenticate prod…")
    assert auth.command.command == "hubspot.account.auth" and list(auth.command.arguments) == [{"name": "prod"}]
    with pytest.raises(JsonRpcException, match="personal access key"):
        await perform(lsp, auth)
    assert path.read_text() == NO_TOKEN


async def test_migrating_the_legacy_config_that_blocks_a_link(lsp, files):
    """From a settings file that `hs account link` would refuse: the legacy config above it,
    migrated into the global config."""
    files.write_global()
    legacy = files.write("proj/hubspot.config.yml", LEGACY)
    settings = files.write("proj/sub/.hs/settings.json", '{"accounts": [123]}')
    d, actions = await actions_on(lsp, settings, "legacy-config-blocks-link", language="json")
    await perform(lsp, titled(actions, f"Migrate {legacy} to the global config"))
    merged = VALID + "  - name: dev\n    accountId: 789\n    authType: personalaccesskey\n    personalAccessKey: pak-789\n    accountType: STANDARD\n"
    assert files.global_config.read_text() == merged
    assert not legacy.exists() and (files.project / "archived.hubspot.config.yml").read_text() == LEGACY
    assert settings.read_text() == '{"accounts": [123]}'


async def test_migrating_the_legacy_config_an_hsaccount_is_ignored_under(lsp, files):
    """No global config: the legacy file is in force, so the CLI ignores `.hsaccount`; the
    fix migrates that file, creating the global config (0600, so through the command)."""
    legacy = files.write("proj/hubspot.config.yml", LEGACY)
    hsaccount = files.write("proj/.hsaccount", "789")
    d, actions = await actions_on(lsp, hsaccount, "hsaccount-ignored", language="plaintext")
    await perform(lsp, titled(actions, f"Migrate {legacy} to the global config"))
    assert files.global_config.read_text() == "# project\naccounts:\n  - name: dev\n    accountId: 789 # the dev portal\n    authType: personalaccesskey\n    personalAccessKey: pak-789\n    accountType: STANDARD\n"
    assert stat.S_IMODE(files.global_config.stat().st_mode) == 0o600
    assert not legacy.exists() and hsaccount.read_text() == "789"

// The "HubSpot" activity bar container's Accounts view: the tree, what refreshes it, and its
// context and title actions, each running a server command through `runCommand`.

import * as path from 'path';
import * as vscode from 'vscode';
import { onDidChangeRunning } from '../client';
import { onDidRunCommand, runCommand } from '../commands';
import { Args, contextDirectory, errorMessage, isHubSpotFile } from '../paths';
import { Cancelled, confirm, pickDirectory } from '../prompts';
import { AccountNode, AccountsNode } from './accountNodes';
import { AccountsTree } from './accountsTree';

export const ACCOUNTS_VIEW = 'hubspot.accounts';

export function registerAccountsView(ctx: vscode.ExtensionContext): void {
  const tree = new AccountsTree();
  const view = vscode.window.createTreeView(ACCOUNTS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  ctx.subscriptions.push(tree, view);

  // The markers are about one folder: say which (merged into the container's title, a lone
  // view's description does not show, so the message says it too).
  tree.onDidChangeTreeData(() => {
    view.description = tree.folderLabel();
    view.message = tree.problem ?? (tree.folder ? `Links of ${tree.folderLabel()} (the active file's folder)` : undefined);
  });

  // The global config is where the server says it is; watch it, again when that changes.
  let configWatcher: vscode.FileSystemWatcher | undefined;
  let watchedConfig: string | undefined;
  tree.onDidList((list) => {
    const configPath = list.configPath ?? undefined;
    if (configPath === watchedConfig) return;
    configWatcher?.dispose();
    watchedConfig = configPath;
    configWatcher = configPath ? watch(new vscode.RelativePattern(vscode.Uri.file(path.dirname(configPath)), path.basename(configPath)), tree) : undefined;
  });
  ctx.subscriptions.push({ dispose: () => configWatcher?.dispose() });
  ctx.subscriptions.push(watch('**/.hs/settings.json', tree));

  let lastFolder = contextDirectory();
  ctx.subscriptions.push(
    onDidChangeRunning(() => tree.scheduleRefresh()),
    onDidRunCommand((ran) => {
      if (ran.writes) tree.scheduleRefresh();
    }),
    // Links and the local default are about the active folder: follow it.
    vscode.window.onDidChangeActiveTextEditor(() => {
      const folder = contextDirectory();
      if (folder !== lastFolder) {
        lastFolder = folder;
        tree.scheduleRefresh();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => tree.scheduleRefresh()),
    // The server reads an open file's buffer, not the disk: a file reloaded or edited in the
    // editor changes the list only once its text reached the server.
    vscode.workspace.onDidChangeTextDocument((e) => {
      if (e.contentChanges.length > 0 && isHubSpotFile(e.document.uri)) tree.scheduleRefresh();
    }),
  );

  const onAccount = (id: string, run: (n: AccountNode, folder: string | undefined) => Promise<unknown>) =>
    vscode.commands.registerCommand(id, async (n?: AccountsNode) => {
      if (!n || n.kind !== 'account') return;
      try {
        await run(n, tree.folder);
      } catch (e) {
        if (!(e instanceof Cancelled)) void vscode.window.showErrorMessage(`HubSpot: ${errorMessage(e)}`);
      }
    });
  const server = (command: string, arg: Args) => runCommand(command, [arg]);
  const accountOf = (n: AccountNode) => n.account.accountId;

  ctx.subscriptions.push(
    vscode.commands.registerCommand('hubspot.accountsView.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('hubspot.accountsView.authenticate', () => runCommand('hubspot.account.auth', undefined)),
    // `hubspot.account.use` sets the local default of a directory that links the account, and a
    // missing directory is the workspace root: run it in the global config's own folder.
    onAccount('hubspot.accountsView.useAsDefault', (n, folder) =>
      server('hubspot.account.use', { account: accountOf(n), ...where(tree.configPath ? path.dirname(tree.configPath) : folder) }),
    ),
    onAccount('hubspot.accountsView.makeLocalDefault', (n, folder) =>
      server('hubspot.account.use', { account: accountOf(n), directory: needFolder(folder) }),
    ),
    onAccount('hubspot.accountsView.link', (n, folder) =>
      server('hubspot.account.link', { directory: needFolder(folder), accounts: [accountOf(n)] }),
    ),
    onAccount('hubspot.accountsView.unlink', (n, folder) =>
      server('hubspot.account.unlink', { directory: needFolder(folder), accounts: [accountOf(n)] }),
    ),
    vscode.commands.registerCommand('hubspot.accountsView.unlinkUnknown', (n?: AccountsNode) =>
      n && n.kind === 'unknownLinked' ? server('hubspot.account.unlink', { directory: needFolder(tree.folder), accounts: [n.accountId] }) : undefined,
    ),
    onAccount('hubspot.accountsView.info', (n, folder) => server('hubspot.account.info', { account: accountOf(n), ...where(folder) })),
    onAccount('hubspot.accountsView.remove', async (n) => {
      await confirm(`Remove the HubSpot account ${label(n)} from the global config?`, 'Remove');
      return server('hubspot.account.remove', { account: accountOf(n), ...where(tree.folder) });
    }),
    // The gatherers ask for what is missing: the type and name, the confirmation, the secret.
    onAccount('hubspot.accountsView.createSandbox', (n, folder) =>
      server('hubspot.sandbox.create', { account: accountOf(n), ...where(folder) }),
    ),
    onAccount('hubspot.accountsView.deleteSandbox', (n, folder) => server('hubspot.sandbox.delete', { account: accountOf(n), ...where(folder) })),
    onAccount('hubspot.accountsView.sandboxUsage', (n, folder) => server('hubspot.sandbox.usage', { account: accountOf(n), ...where(folder) })),
    onAccount('hubspot.accountsView.addSecret', (n, folder) => server('hubspot.secrets.add', { account: accountOf(n), ...where(folder) })),
    onAccount('hubspot.accountsView.upload', async (n, folder) => {
      const src = await pickDirectory(`Upload to ${label(n)}`);
      return server('hubspot.files.upload', { src, account: accountOf(n), ...where(folder) });
    }),
    // The explorer's folder menu: the account in force for that folder, the destination asked.
    vscode.commands.registerCommand('hubspot.explorer.upload', (uri?: vscode.Uri) => {
      if (!uri || uri.scheme !== 'file') return runCommand('hubspot.files.upload', undefined);
      return server('hubspot.files.upload', { src: uri.fsPath, directory: uri.fsPath });
    }),
  );
  // The first list comes when the client reports it is running (or that it failed to start).
}

function watch(pattern: vscode.GlobPattern, tree: AccountsTree): vscode.FileSystemWatcher {
  const w = vscode.workspace.createFileSystemWatcher(pattern);
  w.onDidChange(() => tree.scheduleRefresh());
  w.onDidCreate(() => tree.scheduleRefresh());
  w.onDidDelete(() => tree.scheduleRefresh());
  return w;
}

/** The `directory` argument: the folder the view lists for, so the same config is in force. */
function where(folder: string | undefined): Args {
  return folder ? { directory: folder } : {};
}

function needFolder(folder: string | undefined): string {
  if (!folder) throw new Error('open a folder or a file first: links are made for the active folder');
  return folder;
}

function label(n: AccountNode): string {
  return n.account.name ? `${n.account.name} (${n.account.accountId})` : String(n.account.accountId);
}

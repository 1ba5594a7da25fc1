// VS Code client for hubspot-ls, the language server for the HubSpot CLI's config files.
//
// - starts the server (setting `hubspot.server.path`, else the binary bundled at
//   `server/hubspot-ls`, else `hubspot-ls` on PATH) over stdio (client.ts);
// - serves the files by path, whatever their language id, as the server recognises them;
// - offers every server command (README, Commands) in the palette, gathering its argument with
//   input boxes and quick picks, and completes the arguments of commands that code actions
//   run when they lack a secret the server cannot know (commands.ts, gatherers.ts, sandbox.ts);
// - shows the account in force for the active file in the status bar (statusBar.ts);
// - shows the configured accounts in the HubSpot activity bar's Accounts view (tree/).
//
// This file is the activation: it creates the parts and wires the events between them.

import * as path from 'path';
import * as vscode from 'vscode';
import { initClient, onDidChangeRunning, restartClient, startClient, stopClient } from './client';
import { SERVER_COMMANDS, initCommands, onDidRunCommand, runCommand } from './commands';
import { globalConfigPath, isHubSpotFile } from './paths';
import { createStatusBar, hideStatus, scheduleStatusRefresh } from './statusBar';
import { registerAccountsView } from './tree/accountsView';

export { SERVER_COMMANDS, keyNeeded, runCommand } from './commands';
export { documentSelector, serverCommand } from './client';
export { FILE_PATTERNS } from './paths';

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  const results = vscode.window.createOutputChannel('HubSpot');
  const serverOutput = vscode.window.createOutputChannel('HubSpot Language Server');
  ctx.subscriptions.push(results, serverOutput);
  createStatusBar(ctx);
  initCommands(ctx, results);
  initClient(ctx, serverOutput, Object.keys(SERVER_COMMANDS), runCommand);

  ctx.subscriptions.push(
    vscode.commands.registerCommand('hubspot.server.restart', () => restartClient()),
    vscode.commands.registerCommand('hubspot.server.showOutput', () => serverOutput.show(true)),
    vscode.workspace.onDidChangeConfiguration(async (e) => {
      if (
        e.affectsConfiguration('hubspot.server') ||
        e.affectsConfiguration('hubspot.configPath') ||
        e.affectsConfiguration('hubspot.apiUrl')
      ) {
        await restartClient();
      } else if (e.affectsConfiguration('hubspot.statusBar')) {
        scheduleStatusRefresh();
      }
    }),
    onDidChangeRunning((running) => (running ? scheduleStatusRefresh() : hideStatus())),
    onDidRunCommand(() => scheduleStatusRefresh()),
    vscode.window.onDidChangeActiveTextEditor(() => scheduleStatusRefresh()),
    vscode.workspace.onDidSaveTextDocument((doc) => {
      if (isHubSpotFile(doc.uri)) scheduleStatusRefresh();
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => scheduleStatusRefresh()),
  );
  const watcher = vscode.workspace.createFileSystemWatcher(`**/{.hsaccount,.hs/settings.json,hubspot.config.yml,hubspot.config.yaml}`);
  watcher.onDidChange(() => scheduleStatusRefresh());
  watcher.onDidCreate(() => scheduleStatusRefresh());
  watcher.onDidDelete(() => scheduleStatusRefresh());
  ctx.subscriptions.push(watcher);
  const globalConfig = globalConfigPath();
  const globalWatcher = vscode.workspace.createFileSystemWatcher(
    new vscode.RelativePattern(vscode.Uri.file(path.dirname(globalConfig)), path.basename(globalConfig)),
  );
  globalWatcher.onDidChange(() => scheduleStatusRefresh());
  globalWatcher.onDidCreate(() => scheduleStatusRefresh());
  globalWatcher.onDidDelete(() => scheduleStatusRefresh());
  ctx.subscriptions.push(globalWatcher);

  registerAccountsView(ctx);
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

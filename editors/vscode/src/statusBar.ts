// The status bar item: the account in force for the active file's directory.

import * as vscode from 'vscode';
import { ExecuteCommandRequest } from 'vscode-languageclient/node';
import { accountLabel } from './accounts';
import { runningClient } from './client';
import { config, contextDirectory, errorMessage, isHubSpotFile } from './paths';

let statusItem: vscode.StatusBarItem;
let statusTimer: NodeJS.Timeout | undefined;
let statusSeq = 0;

export function createStatusBar(ctx: vscode.ExtensionContext): void {
  statusItem = vscode.window.createStatusBarItem('hubspot.account', vscode.StatusBarAlignment.Left, 50);
  statusItem.name = 'HubSpot account';
  statusItem.command = 'hubspot.account.use';
  ctx.subscriptions.push(statusItem);
}

export function hideStatus(): void {
  statusItem.hide();
}

export function scheduleStatusRefresh(): void {
  if (statusTimer) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => void refreshStatus(), 150);
}

async function refreshStatus(): Promise<void> {
  const seq = ++statusSeq;
  const c = runningClient();
  if (!config().get<boolean>('statusBar.enabled', true) || !c || !c.isRunning()) {
    statusItem.hide();
    return;
  }
  const directory = contextDirectory();
  if (!directory) {
    statusItem.hide();
    return;
  }
  const activeIsHubSpot = !!vscode.window.activeTextEditor && isHubSpotFile(vscode.window.activeTextEditor.document.uri);
  try {
    const r = (await c.sendRequest(ExecuteCommandRequest.type, {
      command: 'hubspot.account.resolve',
      arguments: [{ directory }],
    })) as { accountId?: unknown; name?: unknown; source?: unknown; path?: unknown } | null;
    if (seq !== statusSeq) return;
    if (!r || r.accountId === undefined || r.accountId === null) {
      if (activeIsHubSpot) {
        statusItem.text = '$(account) HubSpot: no account';
        statusItem.tooltip = `No HubSpot account is in force for ${directory}`;
        statusItem.show();
      } else {
        statusItem.hide();
      }
      return;
    }
    const name = r.name !== undefined && r.name !== null && r.name !== '' ? String(r.name) : String(r.accountId);
    statusItem.text = `$(account) HubSpot: ${name}`;
    const tip = new vscode.MarkdownString();
    tip.appendMarkdown(`**HubSpot account in force** for \`${directory}\`\n\n`);
    tip.appendMarkdown(`${accountLabel(r)}, from **${String(r.source ?? '?')}**`);
    if (r.path) tip.appendMarkdown(` (\`${String(r.path)}\`)`);
    tip.appendMarkdown('\n\nClick to use another account.');
    statusItem.tooltip = tip;
    statusItem.show();
  } catch (e) {
    if (seq !== statusSeq) return;
    if (activeIsHubSpot) {
      statusItem.text = '$(warning) HubSpot: no account';
      statusItem.tooltip = `HubSpot: ${errorMessage(e)}`;
      statusItem.show();
    } else {
      statusItem.hide();
    }
  }
}

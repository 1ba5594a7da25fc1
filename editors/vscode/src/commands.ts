// Running a server command: gather its argument, execute it, report the result or the error.

import * as vscode from 'vscode';
import { ResponseError } from 'vscode-languageclient/node';
import { AccountEntry, accountLabel } from './accounts';
import { ProgressUpdate, sendRaw } from './client';
import { GATHERERS } from './gatherers';
import { Args, errorMessage } from './paths';
import { Cancelled, askRequired } from './prompts';
import { sandboxResultMessage } from './sandbox';

/** The server's commands (`workspace/executeCommand`), with the titles used in prompts and notifications. */
export const SERVER_COMMANDS: Record<string, string> = {
  'hubspot.account.auth': 'Authenticate account',
  'hubspot.account.list': 'List accounts',
  'hubspot.account.resolve': 'Account in force',
  'hubspot.account.info': 'Account info',
  'hubspot.account.use': 'Use account',
  'hubspot.account.remove': 'Remove account',
  'hubspot.account.clean': 'Remove inactive accounts',
  'hubspot.account.link': 'Link accounts',
  'hubspot.account.unlink': 'Unlink accounts',
  'hubspot.override.migrate': 'Migrate .hsaccount',
  'hubspot.config.migrate': 'Migrate hubspot.config.yml',
  'hubspot.secrets.list': 'List secrets',
  'hubspot.secrets.add': 'Add secret',
  'hubspot.secrets.update': 'Update secret',
  'hubspot.secrets.delete': 'Delete secret',
  'hubspot.files.upload': 'Upload',
  'hubspot.files.fetch': 'Fetch',
  'hubspot.api.request': 'API request',
  'hubspot.sandbox.create': 'Create sandbox',
  'hubspot.sandbox.delete': 'Delete sandbox',
  'hubspot.sandbox.usage': 'Sandbox usage',
};

/** Commands that only read: the views need no refresh after them. */
const READ_ONLY = new Set([
  'hubspot.account.list',
  'hubspot.account.resolve',
  'hubspot.account.info',
  'hubspot.secrets.list',
  'hubspot.sandbox.usage',
]);

/** Commands that take long enough to deserve a notification with the server's `$/progress` reports. */
const WITH_PROGRESS = new Set(['hubspot.sandbox.create', 'hubspot.sandbox.delete']);

let results: vscode.OutputChannel;

/** A command finished, failed or not; `writes` when it may have changed the config, a settings file or HubSpot. */
export interface CommandRan {
  command: string;
  writes: boolean;
}

const ranEmitter = new vscode.EventEmitter<CommandRan>();
export const onDidRunCommand = ranEmitter.event;

export function initCommands(ctx: vscode.ExtensionContext, output: vscode.OutputChannel): void {
  results = output;
  ctx.subscriptions.push(ranEmitter);
}

function ran(command: string): void {
  ranEmitter.fire({ command, writes: !READ_ONLY.has(command) });
}

/**
 * Runs a server command. With no argument (from the palette) every field is gathered with
 * input boxes and quick picks; with an argument (from a code action) only what is missing and
 * cannot be guessed is asked for (a personal access key, a secret's name or value, an account).
 */
export async function runCommand(command: string, args: unknown[] | undefined): Promise<unknown> {
  const given = args && args.length > 0 ? args[0] : undefined;
  const interactive = given === undefined;
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given))) {
    // Not the one JSON object every server command takes: pass it through untouched.
    return report(command, undefined, () => sendRaw(command, args ?? []));
  }
  let arg: Args;
  try {
    const gather = GATHERERS[command];
    arg = gather ? await gather({ ...((given as Args) ?? {}) }, interactive) : { ...((given as Args) ?? {}) };
  } catch (e) {
    if (e instanceof Cancelled) return undefined;
    void vscode.window.showErrorMessage(`HubSpot: ${title(command)}: ${errorMessage(e)}`);
    return undefined;
  }
  const rest = args && args.length > 1 ? args.slice(1) : [];
  return report(command, arg, async (onProgress) => {
    try {
      return await sendRaw(command, [arg, ...rest], onProgress);
    } catch (e) {
      // The server answers an auth without a usable key with an error saying a key is needed:
      // ask for it (masked) and run the command again, once.
      if (command !== 'hubspot.account.auth' || !keyNeeded(e)) throw e;
      arg.personalAccessKey = await askRequired({
        title: title(command),
        prompt: `${errorMessage(e)} Personal access key:`,
        placeHolder: 'pat-na1-…',
        password: true,
      }).catch((c) => {
        throw c instanceof Cancelled ? e : c;
      });
      return sendRaw(command, [arg, ...rest]);
    }
  });
}

/** Does this JSON-RPC error say that a personal access key is needed? */
export function keyNeeded(e: unknown): boolean {
  const m = errorMessage(e);
  return /personal ?access ?key|personalAccessKey|\bkey\b/i.test(m) && /need|required|missing|provide|no key|without/i.test(m);
}

type Run = (onProgress?: (p: ProgressUpdate) => void) => Promise<unknown>;

/** Runs with progress shown: in a notification fed by the server's reports for the long commands, else in the status bar. */
function withProgress(command: string, run: Run): Thenable<unknown> {
  if (!WITH_PROGRESS.has(command)) {
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `HubSpot: ${title(command)}…` }, () => run());
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `HubSpot: ${title(command)}` },
    (progress) => {
      let last = 0;
      return run((p) => {
        if (p.kind === 'end') return;
        // The server reports a percentage so far; VS Code wants the increment.
        const increment = p.percentage !== undefined && p.percentage > last ? p.percentage - last : undefined;
        if (p.percentage !== undefined) last = Math.max(last, p.percentage);
        progress.report({ message: p.message, increment });
      });
    },
  );
}

async function report(command: string, arg: Args | undefined, run: Run): Promise<unknown> {
  let result: unknown;
  try {
    result = await withProgress(command, run);
  } catch (e) {
    const details = e instanceof ResponseError && e.data !== undefined ? e.data : undefined;
    results.appendLine(`[${new Date().toISOString()}] ${command} failed: ${errorMessage(e)}`);
    if (details !== undefined) results.appendLine(JSON.stringify(details, null, 2));
    ran(command);
    const choice = await vscode.window.showErrorMessage(
      `HubSpot: ${title(command)} failed: ${errorMessage(e)}`,
      ...(details !== undefined ? ['Show Details'] : []),
    );
    if (choice === 'Show Details') results.show(true);
    return undefined;
  }
  // Results never hold secrets (the server redacts them); arguments may, so they are not logged.
  results.appendLine(`[${new Date().toISOString()}] ${command}`);
  results.appendLine(JSON.stringify(result, null, 2));
  ran(command);
  void showResult(command, arg ?? {}, result);
  return result;
}

export function title(command: string): string {
  return SERVER_COMMANDS[command] ?? command;
}

function list(items: unknown): string {
  return Array.isArray(items) && items.length > 0 ? items.map(String).join(', ') : 'none';
}

async function showResult(command: string, arg: Args, result: unknown): Promise<void> {
  const r = (result ?? {}) as Record<string, any>;
  let message: string;
  switch (command) {
    case 'hubspot.account.auth':
      message = `Authenticated ${accountLabel(r)}${r.accountType ? `, ${r.accountType}` : ''}.`;
      break;
    case 'hubspot.account.list': {
      const accounts: AccountEntry[] = Array.isArray(r.accounts) ? r.accounts : [];
      message = `${accounts.length} account(s): ${accounts.map((a) => accountLabel(a) + (a.isDefault ? ' [default]' : '')).join(', ') || 'none'}` +
        (Array.isArray(r.linked) && r.linked.length ? `; linked here: ${list(r.linked)}` : '');
      break;
    }
    case 'hubspot.account.resolve':
      message = `Account in force: ${accountLabel(r)}, from ${r.source ?? '?'}${r.path ? ` (${r.path})` : ''}.`;
      break;
    case 'hubspot.account.info':
      message = `${accountLabel(r)}${r.accountType ? `, ${r.accountType}` : ''}; scopes: ${list(r.scopes)}.`;
      break;
    case 'hubspot.account.use':
      message = `Now using ${arg.account ?? 'the account'}${arg.directory ? ` in ${arg.directory}` : ''}.`;
      break;
    case 'hubspot.account.remove':
      message = `Removed ${arg.account}.`;
      break;
    case 'hubspot.account.clean':
      message = `${arg.dryRun ? 'Would remove' : 'Removed'}: ${list(r.removed)}.`;
      break;
    case 'hubspot.account.link':
      message = `Linked ${list(arg.accounts)} to ${arg.directory}.`;
      break;
    case 'hubspot.account.unlink':
      message = `Unlinked ${list(arg.accounts)} from ${arg.directory}.`;
      break;
    case 'hubspot.override.migrate':
      message = `Migrated ${arg.path} to .hs/settings.json.`;
      break;
    case 'hubspot.config.migrate':
      message = `Migrated to ${r.configPath ?? 'the global config'}` +
        (r.archivedPath ? `; the old file is now ${r.archivedPath}` : '') +
        (Array.isArray(r.conflicts) && r.conflicts.length ? `; ${r.conflicts.length} conflict(s) kept the existing value` : '') +
        (Array.isArray(r.skipped) && r.skipped.length ? `; skipped ${list(r.skipped)}` : '') + '.';
      break;
    case 'hubspot.secrets.list':
      message = `Secrets: ${list(r.secrets)}.`;
      break;
    case 'hubspot.secrets.add':
      message = `Added secret ${arg.name}.`;
      break;
    case 'hubspot.secrets.update':
      message = `Updated secret ${arg.name}.`;
      break;
    case 'hubspot.secrets.delete':
      message = `Deleted secret ${arg.name}.`;
      break;
    case 'hubspot.files.upload':
      message = `Uploaded ${Array.isArray(r.uploaded) ? r.uploaded.length : 0} file(s) to ${arg.dest}.`;
      break;
    case 'hubspot.files.fetch':
      message = `Fetched ${Array.isArray(r.written) ? r.written.length : 0} file(s)` +
        (Array.isArray(r.skipped) && r.skipped.length ? `, skipped ${r.skipped.length} existing` : '') + '.';
      break;
    case 'hubspot.api.request': {
      message = `${arg.method ?? 'GET'} ${arg.path}: ${r.status ?? '?'}`;
      const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body, null, 2);
      const doc = await vscode.workspace.openTextDocument({
        content: body ?? '',
        language: typeof r.body === 'string' ? 'plaintext' : 'json',
      });
      await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true });
      break;
    }
    default:
      message = sandboxResultMessage(command, arg, r) ?? `${title(command)}: done.`;
  }
  const choice = await vscode.window.showInformationMessage(`HubSpot: ${message}`, 'Show Details');
  if (choice === 'Show Details') results.show(true);
}

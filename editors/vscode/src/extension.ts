// VS Code client for hubspot-ls, the language server for the HubSpot CLI's config files.
//
// - starts the server (setting `hubspot.server.path`, else the binary bundled at
//   `server/hubspot-ls`, else `hubspot-ls` on PATH) over stdio;
// - serves the files by path, whatever their language id, as the server recognises them;
// - offers every server command (README, Commands) in the palette, gathering its argument with
//   input boxes and quick picks, and completes the arguments of commands that code actions
//   run when they lack a secret the server cannot know (a personal access key, a secret value);
// - shows the account in force for the active file in the status bar.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DocumentFilter,
  ExecuteCommandRequest,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  ResponseError,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

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
};

/** The files the server serves, recognised by path; it ignores every other file. */
export const FILE_PATTERNS = [
  '**/.hscli/config.yml',
  '**/hubspot.config.yml',
  '**/hubspot.config.yaml',
  '**/.hs/settings.json',
  '**/.hsaccount',
];

type Args = Record<string, unknown>;

interface AccountEntry {
  name?: string;
  accountId: number | string;
  authType?: string;
  env?: string;
  accountType?: string;
  isDefault?: boolean;
}

interface AccountList {
  accounts: AccountEntry[];
  defaultAccount?: unknown;
  linked?: Array<number | string>;
}

let context: vscode.ExtensionContext;
let client: LanguageClient | undefined;
let clientStarting: Promise<void> | undefined;
let results: vscode.OutputChannel;
let serverOutput: vscode.OutputChannel;
let statusItem: vscode.StatusBarItem;
/** Palette handlers for the commands the running server did not register itself. */
let fallbackCommands: vscode.Disposable[] = [];

// ---------------------------------------------------------------------------------------------
// Activation and the client's life cycle

export async function activate(ctx: vscode.ExtensionContext): Promise<void> {
  context = ctx;
  results = vscode.window.createOutputChannel('HubSpot');
  serverOutput = vscode.window.createOutputChannel('HubSpot Language Server');
  statusItem = vscode.window.createStatusBarItem('hubspot.account', vscode.StatusBarAlignment.Left, 50);
  statusItem.name = 'HubSpot account';
  statusItem.command = 'hubspot.account.use';
  ctx.subscriptions.push(results, serverOutput, statusItem);

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

  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}

function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('hubspot');
}

function expandPath(p: string): string {
  let out = p.trim();
  if (out === '~' || out.startsWith('~/')) out = path.join(os.homedir(), out.slice(1));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder) out = out.replace(/\$\{workspaceFolder\}/g, folder);
  if (!path.isAbsolute(out) && folder && (out.includes('/') || out.includes('\\'))) out = path.resolve(folder, out);
  return out;
}

/** The server binary: the setting, else the bundled one, else `hubspot-ls` on PATH. */
export function serverCommand(): string {
  const configured = config().get<string>('server.path', '');
  if (configured && configured.trim()) return expandPath(configured);
  const exe = process.platform === 'win32' ? 'hubspot-ls.exe' : 'hubspot-ls';
  const bundled = context.asAbsolutePath(path.join('server', exe));
  if (fs.existsSync(bundled)) {
    try {
      fs.chmodSync(bundled, 0o755); // a .vsix does not always keep the executable bit
    } catch {
      // read-only install: it is executable or it is not; the start will tell
    }
    return bundled;
  }
  return exe;
}

function globalConfigPath(): string {
  const configured = config().get<string>('configPath', '');
  if (configured && configured.trim()) return expandPath(configured);
  const extra = config().get<Record<string, string>>('server.extraEnv', {}) ?? {};
  const fromEnv = extra['HUBSPOT_CONFIG_PATH'] || process.env['HUBSPOT_CONFIG_PATH'];
  if (fromEnv) return expandPath(fromEnv);
  return path.join(os.homedir(), '.hscli', 'config.yml');
}

export function documentSelector(): DocumentFilter[] {
  const selector: DocumentFilter[] = FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern }));
  // The global config named by the setting, or by HUBSPOT_CONFIG_PATH, wherever it is: the
  // server serves that file too.
  const global = globalConfigPath();
  if (!global.replace(/\\/g, '/').endsWith('/.hscli/config.yml')) selector.push({ scheme: 'file', pattern: global });
  return selector;
}

async function startClient(): Promise<void> {
  const extraEnv = config().get<Record<string, unknown>>('server.extraEnv', {}) ?? {};
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [k, v] of Object.entries(extraEnv)) {
    if (v === null || v === undefined) delete env[k];
    else env[k] = String(v);
  }
  const run: Executable = {
    command: serverCommand(),
    transport: TransportKind.stdio,
    options: { env },
  };
  const serverOptions: ServerOptions = { run, debug: run };

  const initializationOptions: Args = {};
  const configPath = config().get<string>('configPath', '');
  if (configPath && configPath.trim()) initializationOptions.configPath = expandPath(configPath);
  const apiUrl = config().get<string>('apiUrl', '');
  if (apiUrl && apiUrl.trim()) initializationOptions.apiUrl = apiUrl.trim();

  const clientOptions: LanguageClientOptions = {
    documentSelector: documentSelector(),
    initializationOptions,
    outputChannel: serverOutput,
    middleware: {
      // Commands run by code actions (and from the palette, for the commands the server
      // registered): complete what the server cannot know, then run and report.
      executeCommand: (command, args) => runCommand(command, args),
    },
  };

  // The id `hubspot` makes the client read `hubspot.trace.server`.
  const c = new LanguageClient('hubspot', 'HubSpot Language Server', serverOptions, clientOptions);
  client = c;
  c.onDidChangeState((e) => {
    if (e.newState === State.Running) scheduleStatusRefresh();
    else if (e.newState === State.Stopped) statusItem.hide();
  });
  clientStarting = (async () => {
    try {
      await c.start();
    } catch (e) {
      void vscode.window
        .showErrorMessage(
          `HubSpot: could not start the language server (${run.command}): ${errorMessage(e)}. ` +
            'Set "hubspot.server.path" to the hubspot-ls binary.',
          'Open Settings',
          'Show Output',
        )
        .then((choice) => {
          if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'hubspot.server');
          if (choice === 'Show Output') serverOutput.show(true);
        });
    }
    await registerFallbackCommands();
    scheduleStatusRefresh();
  })();
  await clientStarting;
}

/** Registers palette handlers for the server commands that the server did not register. */
async function registerFallbackCommands(): Promise<void> {
  disposeFallbackCommands();
  const existing = new Set(await vscode.commands.getCommands(true));
  for (const command of Object.keys(SERVER_COMMANDS)) {
    if (!existing.has(command)) {
      fallbackCommands.push(vscode.commands.registerCommand(command, (...args: unknown[]) => runCommand(command, args)));
    }
  }
}

function disposeFallbackCommands(): void {
  for (const d of fallbackCommands) d.dispose();
  fallbackCommands = [];
}

async function stopClient(): Promise<void> {
  const c = client;
  client = undefined;
  clientStarting = undefined;
  // Before the next client registers the server's commands, which must not be taken.
  disposeFallbackCommands();
  if (c) {
    try {
      await c.stop();
    } catch {
      // it was not running
    }
  }
}

async function restartClient(): Promise<void> {
  await stopClient();
  await startClient();
}

async function readyClient(): Promise<LanguageClient> {
  if (clientStarting) await clientStarting;
  if (!client || !client.isRunning()) {
    throw new Error('the HubSpot language server is not running (see "HubSpot: Show the language server\'s output")');
  }
  return client;
}

/** Sends `workspace/executeCommand` and returns the result. */
async function execute<T = unknown>(command: string, arg: Args): Promise<T> {
  const c = await readyClient();
  return (await c.sendRequest(ExecuteCommandRequest.type, { command, arguments: [arg] })) as T;
}

// ---------------------------------------------------------------------------------------------
// Running a command: gather, execute, report

class Cancelled extends Error {}

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
  return report(command, arg, async () => {
    try {
      return await sendRaw(command, [arg, ...rest]);
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

async function sendRaw(command: string, args: unknown[]): Promise<unknown> {
  const c = await readyClient();
  return c.sendRequest(ExecuteCommandRequest.type, { command, arguments: args });
}

async function report(command: string, arg: Args | undefined, run: () => Promise<unknown>): Promise<unknown> {
  let result: unknown;
  try {
    result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: `HubSpot: ${title(command)}…` },
      run,
    );
  } catch (e) {
    const details = e instanceof ResponseError && e.data !== undefined ? e.data : undefined;
    results.appendLine(`[${new Date().toISOString()}] ${command} failed: ${errorMessage(e)}`);
    if (details !== undefined) results.appendLine(JSON.stringify(details, null, 2));
    const choice = await vscode.window.showErrorMessage(
      `HubSpot: ${title(command)} failed: ${errorMessage(e)}`,
      ...(details !== undefined ? ['Show Details'] : []),
    );
    if (choice === 'Show Details') results.show(true);
    scheduleStatusRefresh();
    return undefined;
  }
  // Results never hold secrets (the server redacts them); arguments may, so they are not logged.
  results.appendLine(`[${new Date().toISOString()}] ${command}`);
  results.appendLine(JSON.stringify(result, null, 2));
  scheduleStatusRefresh();
  void showResult(command, arg ?? {}, result);
  return result;
}

function title(command: string): string {
  return SERVER_COMMANDS[command] ?? command;
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

function accountLabel(a: { name?: unknown; accountId?: unknown } | undefined): string {
  if (!a) return 'no account';
  if (a.name !== undefined && a.name !== null && a.name !== '') return `${a.name} (${a.accountId})`;
  return String(a.accountId);
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
      message = `${title(command)}: done.`;
  }
  const choice = await vscode.window.showInformationMessage(`HubSpot: ${message}`, 'Show Details');
  if (choice === 'Show Details') results.show(true);
}

// ---------------------------------------------------------------------------------------------
// Prompts

interface TextOptions {
  title: string;
  prompt: string;
  placeHolder?: string;
  value?: string;
  password?: boolean;
  optional?: boolean;
  validate?: (v: string) => string | undefined;
}

/** An input box; cancel throws, an empty optional answer gives undefined. */
async function askText(o: TextOptions): Promise<string | undefined> {
  const v = await vscode.window.showInputBox({
    title: `HubSpot: ${o.title}`,
    prompt: o.prompt,
    placeHolder: o.placeHolder,
    value: o.value,
    password: o.password ?? false,
    ignoreFocusOut: true,
    validateInput: (text) => {
      if (!o.optional && text.trim() === '') return 'Required.';
      if (text.trim() !== '' && o.validate) return o.validate(text.trim());
      return undefined;
    },
  });
  if (v === undefined) throw new Cancelled();
  const t = v.trim();
  return t === '' ? undefined : t;
}

async function askRequired(o: TextOptions): Promise<string> {
  const v = await askText({ ...o, optional: false });
  if (v === undefined) throw new Cancelled();
  return v;
}

async function pick<T extends vscode.QuickPickItem>(items: T[], titleText: string, placeHolder: string): Promise<T> {
  const choice = await vscode.window.showQuickPick(items, {
    title: `HubSpot: ${titleText}`,
    placeHolder,
    ignoreFocusOut: true,
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!choice) throw new Cancelled();
  return choice;
}

async function pickMany<T extends vscode.QuickPickItem>(items: T[], titleText: string, placeHolder: string): Promise<T[]> {
  const choice = await vscode.window.showQuickPick(items, {
    title: `HubSpot: ${titleText}`,
    placeHolder,
    ignoreFocusOut: true,
    canPickMany: true,
    matchOnDescription: true,
  });
  if (!choice || choice.length === 0) throw new Cancelled();
  return choice;
}

async function confirm(message: string, action: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true }, action);
  if (choice !== action) throw new Cancelled();
}

/** The directory that commands act for: the active file's folder, else the first workspace folder. */
function contextDirectory(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') {
    const p = doc.uri.fsPath;
    // A file inside `.hs/` belongs to the folder that holds `.hs/`.
    const dir = path.dirname(p);
    return path.basename(dir) === '.hs' ? path.dirname(dir) : dir;
  }
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

async function pickDirectory(titleText: string): Promise<string> {
  type Item = vscode.QuickPickItem & { dir?: string; browse?: boolean };
  const items: Item[] = [];
  const seen = new Set<string>();
  const add = (dir: string | undefined, label: string) => {
    if (!dir || seen.has(dir)) return;
    seen.add(dir);
    items.push({ label, description: dir, dir });
  };
  add(contextDirectory(), '$(file-directory) Folder of the active file');
  for (const f of vscode.workspace.workspaceFolders ?? []) {
    if (f.uri.scheme === 'file') add(f.uri.fsPath, `$(root-folder) ${f.name}`);
  }
  items.push({ label: '$(folder-opened) Choose a folder…', browse: true });
  const choice = items.length === 1 ? items[0] : await pick(items, titleText, 'Folder');
  if (choice.browse) {
    const uris = await vscode.window.showOpenDialog({
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      openLabel: 'Select',
      title: `HubSpot: ${titleText}`,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    if (!uris || uris.length === 0) throw new Cancelled();
    return uris[0].fsPath;
  }
  return choice.dir!;
}

async function listAccounts(directory?: string): Promise<AccountList> {
  const arg: Args = {};
  if (directory) arg.directory = directory;
  const r = await execute<AccountList>('hubspot.account.list', arg);
  return { accounts: Array.isArray(r?.accounts) ? r.accounts : [], defaultAccount: r?.defaultAccount, linked: r?.linked ?? [] };
}

type AccountItem = vscode.QuickPickItem & { account?: AccountEntry; inForce?: boolean };

function accountItems(l: AccountList): AccountItem[] {
  const linked = new Set((l.linked ?? []).map(String));
  return l.accounts.map((a) => ({
    label: a.name ? String(a.name) : String(a.accountId),
    description: [
      a.name ? String(a.accountId) : undefined,
      a.isDefault ? 'default' : undefined,
      linked.has(String(a.accountId)) ? 'linked' : undefined,
      a.accountType,
    ]
      .filter(Boolean)
      .join(' · '),
    detail: [a.authType ? `auth: ${a.authType}` : undefined, a.env ? `env: ${a.env}` : undefined].filter(Boolean).join(', ') || undefined,
    account: a,
  }));
}

/** How an account is named in a command's `account` argument: its name, else its id. */
function accountRef(a: AccountEntry): string {
  return a.name ? String(a.name) : String(a.accountId);
}

/** Picks an account; with `allowInForce`, also offers "the account in force" (undefined). */
async function pickAccount(titleText: string, directory: string | undefined, allowInForce: boolean): Promise<string | undefined> {
  const l = await listAccounts(directory);
  const items: AccountItem[] = [];
  if (allowInForce) items.push({ label: '$(target) The account in force here', description: directory, inForce: true });
  items.push(...accountItems(l));
  if (items.length === 0) throw new Error('no accounts are configured: run "HubSpot: Authenticate an account" first');
  const choice = await pick(items, titleText, 'Account');
  return choice.inForce ? undefined : accountRef(choice.account!);
}

/** For commands whose `account` is optional: asked only from the palette, when there is a choice. */
async function optionalAccount(arg: Args, interactive: boolean, titleText: string): Promise<void> {
  if (arg.directory === undefined) {
    const dir = contextDirectory();
    if (dir) arg.directory = dir;
  }
  if (interactive && arg.account === undefined) {
    // Only to offer a choice: when the list cannot be had, the account in force is used.
    const l = await listAccounts(arg.directory as string | undefined).catch(() => undefined);
    if (l && l.accounts.length > 1) {
      const a = await pickAccount(titleText, arg.directory as string | undefined, true);
      if (a !== undefined) arg.account = a;
    }
  }
}

async function findFile(glob: string, basenames: string[], titleText: string): Promise<string> {
  const active = vscode.window.activeTextEditor?.document.uri;
  if (active && active.scheme === 'file' && basenames.includes(path.basename(active.fsPath))) return active.fsPath;
  const found = await vscode.workspace.findFiles(glob, '**/node_modules/**', 50);
  if (found.length === 0) throw new Error(`no ${basenames.join(' or ')} in the workspace: open one first`);
  if (found.length === 1) return found[0].fsPath;
  const choice = await pick(
    found.map((u) => ({ label: vscode.workspace.asRelativePath(u), description: u.fsPath, path: u.fsPath })),
    titleText,
    'File',
  );
  return choice.path;
}

function isHubSpotFile(uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file') return false;
  const p = uri.fsPath.replace(/\\/g, '/');
  const base = path.basename(p);
  if (base === '.hsaccount' || base === 'hubspot.config.yml' || base === 'hubspot.config.yaml') return true;
  if (p.endsWith('/.hs/settings.json') || p.endsWith('/.hscli/config.yml')) return true;
  return path.resolve(uri.fsPath) === path.resolve(globalConfigPath());
}

const SECRET_NAME = /^[A-Za-z0-9_]+$/;

function validateSecretName(v: string): string | undefined {
  return SECRET_NAME.test(v) ? undefined : 'Letters, digits and underscores only.';
}

async function secretNames(arg: Args): Promise<string[] | undefined> {
  try {
    const r = await execute<{ secrets?: unknown[] }>('hubspot.secrets.list', {
      ...(arg.account !== undefined ? { account: arg.account } : {}),
      ...(arg.directory !== undefined ? { directory: arg.directory } : {}),
    });
    return Array.isArray(r?.secrets) ? r.secrets.map(String) : undefined;
  } catch {
    return undefined; // offline or not allowed: type the name instead
  }
}

async function pickSecretName(arg: Args, titleText: string): Promise<string> {
  const names = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Window, title: 'HubSpot: listing secrets…' },
    () => secretNames(arg),
  );
  if (names && names.length > 0) {
    return (await pick(names.map((n) => ({ label: n })), titleText, 'Secret')).label;
  }
  return askRequired({ title: titleText, prompt: 'Secret name', validate: validateSecretName });
}

// ---------------------------------------------------------------------------------------------
// One gatherer per command: fills in the fields that are missing.

type Gatherer = (arg: Args, interactive: boolean) => Promise<Args>;

const GATHERERS: Record<string, Gatherer> = {
  'hubspot.account.auth': async (arg, interactive) => {
    const t = 'Authenticate account';
    if (arg.personalAccessKey === undefined || arg.personalAccessKey === '') {
      arg.personalAccessKey = await askRequired({
        title: t,
        prompt: 'Personal access key (HubSpot: Settings › Integrations › Private apps › Personal access key)',
        placeHolder: 'pat-na1-…',
        password: true,
      });
    }
    if (interactive) {
      const name = await askText({
        title: t,
        prompt: 'Account name (optional; no spaces)',
        optional: true,
        validate: (v) => (/\s/.test(v) ? 'Account names cannot contain whitespace.' : undefined),
      });
      if (name !== undefined) arg.name = name;
      const env = await pick(
        [
          { label: 'prod', description: 'api.hubapi.com' },
          { label: 'qa', description: 'api.hubapiqa.com (HubSpot internal)' },
        ],
        t,
        'Environment',
      );
      if (env.label !== 'prod') arg.env = env.label;
      const def = await pick([{ label: 'No', value: false }, { label: 'Yes', value: true }], t, 'Make it the default account?');
      if (def.value) arg.makeDefault = true;
    }
    return arg;
  },

  'hubspot.account.list': async (arg) => {
    if (arg.directory === undefined) {
      const dir = contextDirectory();
      if (dir) arg.directory = dir;
    }
    return arg;
  },

  'hubspot.account.resolve': async (arg, interactive) => {
    if (arg.directory === undefined) {
      const dir = contextDirectory();
      arg.directory = dir ?? (interactive ? await pickDirectory('Account in force') : undefined);
      if (arg.directory === undefined) throw new Error('open a folder or a file first');
    }
    return arg;
  },

  'hubspot.account.info': async (arg, interactive) => {
    await optionalAccount(arg, interactive, 'Account info');
    return arg;
  },

  'hubspot.account.use': async (arg, interactive) => {
    if (arg.directory === undefined && interactive) {
      const dir = contextDirectory();
      if (dir) arg.directory = dir;
    }
    if (arg.account === undefined) arg.account = await pickAccount('Use account', arg.directory as string | undefined, false);
    return arg;
  },

  'hubspot.account.remove': async (arg, interactive) => {
    if (arg.account === undefined) arg.account = await pickAccount('Remove account', undefined, false);
    if (interactive) await confirm(`Remove the HubSpot account ${arg.account} from the global config?`, 'Remove');
    return arg;
  },

  'hubspot.account.clean': async (arg, interactive) => {
    if (interactive && arg.dryRun === undefined) {
      const c = await pick(
        [
          { label: 'Preview', description: 'list the inactive accounts without removing them', dryRun: true },
          { label: 'Remove inactive accounts', dryRun: false },
        ],
        'Remove inactive accounts',
        'Accounts the API reports inactive',
      );
      arg.dryRun = c.dryRun;
    }
    return arg;
  },

  'hubspot.account.link': async (arg) => {
    if (arg.directory === undefined) arg.directory = await pickDirectory('Link accounts');
    if (arg.accounts === undefined) {
      const l = await listAccounts(arg.directory as string);
      const linked = new Set((l.linked ?? []).map(String));
      const items = accountItems(l).map((i) => ({ ...i, picked: linked.has(String(i.account!.accountId)) }));
      if (items.length === 0) throw new Error('no accounts are configured: run "HubSpot: Authenticate an account" first');
      const chosen = await pickMany(items, 'Link accounts', `Accounts to link to ${arg.directory}`);
      arg.accounts = chosen.map((i) => i.account!.accountId);
      if (chosen.length > 1 && arg.defaultAccount === undefined) {
        const def = await pick(
          [{ label: '(none)', description: 'no local default', account: undefined as AccountEntry | undefined }, ...chosen],
          'Link accounts',
          'Local default account',
        );
        if (def.account) arg.defaultAccount = def.account.accountId;
      }
    }
    return arg;
  },

  'hubspot.account.unlink': async (arg) => {
    if (arg.directory === undefined) arg.directory = await pickDirectory('Unlink accounts');
    if (arg.accounts === undefined) {
      const l = await listAccounts(arg.directory as string);
      const linked = new Set((l.linked ?? []).map(String));
      const items: AccountItem[] = accountItems(l).filter((i) => linked.has(String(i.account!.accountId)));
      for (const id of linked) {
        if (!items.some((i) => String(i.account!.accountId) === id)) {
          items.push({ label: id, description: 'not in the global config', account: { accountId: id } });
        }
      }
      if (items.length === 0) throw new Error(`no accounts are linked to ${arg.directory}`);
      const chosen = await pickMany(items, 'Unlink accounts', `Accounts to unlink from ${arg.directory}`);
      arg.accounts = chosen.map((i) => {
        const id = i.account!.accountId;
        return typeof id === 'string' && /^\d+$/.test(id) ? Number(id) : id;
      });
    }
    return arg;
  },

  'hubspot.override.migrate': async (arg) => {
    if (arg.path === undefined) arg.path = await findFile('**/.hsaccount', ['.hsaccount'], 'Migrate .hsaccount');
    return arg;
  },

  'hubspot.config.migrate': async (arg, interactive) => {
    if (arg.path === undefined) {
      arg.path = await findFile('**/hubspot.config.{yml,yaml}', ['hubspot.config.yml', 'hubspot.config.yaml'], 'Migrate hubspot.config.yml');
    }
    if (interactive) {
      await confirm(
        `Migrate ${arg.path} into the global config? Values already there win; the old file is renamed archived.hubspot.config.yml.`,
        'Migrate',
      );
    }
    return arg;
  },

  'hubspot.secrets.list': async (arg, interactive) => {
    await optionalAccount(arg, interactive, 'List secrets');
    return arg;
  },

  'hubspot.secrets.add': async (arg, interactive) => {
    await optionalAccount(arg, interactive, 'Add secret');
    if (arg.name === undefined || arg.name === '') {
      arg.name = await askRequired({ title: 'Add secret', prompt: 'Secret name', placeHolder: 'MY_API_KEY', validate: validateSecretName });
    }
    if (arg.value === undefined) {
      arg.value = await askRequired({ title: 'Add secret', prompt: `Value of ${arg.name}`, password: true });
    }
    return arg;
  },

  'hubspot.secrets.update': async (arg, interactive) => {
    await optionalAccount(arg, interactive, 'Update secret');
    if (arg.name === undefined || arg.name === '') arg.name = await pickSecretName(arg, 'Update secret');
    if (arg.value === undefined) {
      arg.value = await askRequired({ title: 'Update secret', prompt: `New value of ${arg.name}`, password: true });
    }
    return arg;
  },

  'hubspot.secrets.delete': async (arg, interactive) => {
    await optionalAccount(arg, interactive, 'Delete secret');
    if (arg.name === undefined || arg.name === '') arg.name = await pickSecretName(arg, 'Delete secret');
    if (interactive) await confirm(`Delete the secret ${arg.name}?`, 'Delete');
    return arg;
  },

  'hubspot.files.upload': async (arg, interactive) => {
    if (arg.src === undefined) {
      const active = vscode.window.activeTextEditor?.document.uri;
      const items: Array<vscode.QuickPickItem & { kind2: string }> = [];
      if (active && active.scheme === 'file') items.push({ label: '$(file) The active file', description: active.fsPath, kind2: 'active' });
      items.push({ label: '$(file) A file…', kind2: 'file' }, { label: '$(folder) A folder…', kind2: 'folder' });
      const c = await pick(items, 'Upload', 'What to upload');
      if (c.kind2 === 'active') {
        arg.src = active!.fsPath;
      } else {
        const uris = await vscode.window.showOpenDialog({
          canSelectFiles: c.kind2 === 'file',
          canSelectFolders: c.kind2 === 'folder',
          canSelectMany: false,
          openLabel: 'Upload',
          defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
        });
        if (!uris || uris.length === 0) throw new Cancelled();
        arg.src = uris[0].fsPath;
      }
    }
    if (arg.dest === undefined) {
      arg.dest = await askRequired({
        title: 'Upload',
        prompt: 'Destination in the Design Manager',
        value: path.basename(String(arg.src)),
      });
    }
    await optionalAccount(arg, interactive, 'Upload');
    return arg;
  },

  'hubspot.files.fetch': async (arg, interactive) => {
    if (arg.src === undefined) {
      arg.src = await askRequired({ title: 'Fetch', prompt: 'File or folder in the Design Manager', placeHolder: 'my-theme' });
    }
    if (arg.dest === undefined) {
      const uris = await vscode.window.showOpenDialog({
        canSelectFiles: false,
        canSelectFolders: true,
        canSelectMany: false,
        openLabel: 'Fetch here',
        defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
      });
      if (!uris || uris.length === 0) throw new Cancelled();
      arg.dest = uris[0].fsPath;
    }
    if (interactive && arg.overwrite === undefined) {
      const o = await pick(
        [
          { label: 'Keep existing files', value: false },
          { label: 'Overwrite existing files', value: true },
        ],
        'Fetch',
        'Files that already exist locally',
      );
      if (o.value) arg.overwrite = true;
    }
    await optionalAccount(arg, interactive, 'Fetch');
    return arg;
  },

  'hubspot.api.request': async (arg, interactive) => {
    if (arg.path === undefined) {
      arg.path = await askRequired({
        title: 'API request',
        prompt: 'Path',
        placeHolder: '/account-info/v3/details',
        validate: (v) => (v.startsWith('/') ? undefined : 'Starts with /'),
      });
    }
    if (interactive && arg.method === undefined) {
      const m = await pick(['GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((label) => ({ label })), 'API request', 'Method');
      arg.method = m.label;
    }
    const method = String(arg.method ?? 'GET').toUpperCase();
    if (interactive && arg.data === undefined && (method === 'POST' || method === 'PUT' || method === 'PATCH')) {
      const data = await askText({
        title: 'API request',
        prompt: 'JSON body (optional)',
        optional: true,
        validate: (v) => {
          try {
            JSON.parse(v);
            return undefined;
          } catch (e) {
            return `Not JSON: ${errorMessage(e)}`;
          }
        },
      });
      if (data !== undefined) arg.data = JSON.parse(data);
    }
    await optionalAccount(arg, interactive, 'API request');
    return arg;
  },
};

// ---------------------------------------------------------------------------------------------
// Status bar: the account in force for the active file's directory

let statusTimer: NodeJS.Timeout | undefined;
let statusSeq = 0;

function scheduleStatusRefresh(): void {
  if (statusTimer) clearTimeout(statusTimer);
  statusTimer = setTimeout(() => void refreshStatus(), 150);
}

async function refreshStatus(): Promise<void> {
  const seq = ++statusSeq;
  const c = client;
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

// The language client: starting hubspot-ls over stdio, restarting it when its settings change,
// and sending it `workspace/executeCommand`.

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import {
  DocumentFilter,
  ExecuteCommandParams,
  ExecuteCommandRequest,
  Executable,
  LanguageClient,
  LanguageClientOptions,
  ServerOptions,
  State,
  TransportKind,
  WorkDoneProgress,
  WorkDoneProgressBegin,
  WorkDoneProgressReport,
  WorkDoneProgressEnd,
} from 'vscode-languageclient/node';
import { Args, FILE_PATTERNS, config, errorMessage, expandPath, globalConfigPath } from './paths';

export type CommandRunner = (command: string, args: unknown[] | undefined) => Promise<unknown>;

let context: vscode.ExtensionContext;
let serverOutput: vscode.OutputChannel;
let runCommand: CommandRunner;
let client: LanguageClient | undefined;
let clientStarting: Promise<void> | undefined;
let commandNames: string[] = [];
/** Palette handlers for the commands the running server did not register itself. */
let fallbackCommands: vscode.Disposable[] = [];
let progressSeq = 0;

/** Fires `true` when the server is running, `false` when it stopped. */
const runningEmitter = new vscode.EventEmitter<boolean>();
export const onDidChangeRunning = runningEmitter.event;

/**
 * Sets what the client needs from activation: the extension's context, the server's output
 * channel, the server's command names and the runner that gathers their arguments.
 */
export function initClient(ctx: vscode.ExtensionContext, output: vscode.OutputChannel, commands: string[], runner: CommandRunner): void {
  context = ctx;
  serverOutput = output;
  commandNames = commands;
  runCommand = runner;
  ctx.subscriptions.push(runningEmitter);
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

export function documentSelector(): DocumentFilter[] {
  const selector: DocumentFilter[] = FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern }));
  // The global config named by the setting, or by HUBSPOT_CONFIG_PATH, wherever it is: the
  // server serves that file too.
  const global = globalConfigPath();
  if (!global.replace(/\\/g, '/').endsWith('/.hscli/config.yml')) selector.push({ scheme: 'file', pattern: global });
  return selector;
}

export async function startClient(): Promise<void> {
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
    if (e.newState === State.Running) runningEmitter.fire(true);
    else if (e.newState === State.Stopped) runningEmitter.fire(false);
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
    runningEmitter.fire(c.isRunning());
  })();
  await clientStarting;
}

/** Registers palette handlers for the server commands that the server did not register. */
async function registerFallbackCommands(): Promise<void> {
  disposeFallbackCommands();
  const existing = new Set(await vscode.commands.getCommands(true));
  for (const command of commandNames) {
    if (!existing.has(command)) {
      fallbackCommands.push(vscode.commands.registerCommand(command, (...args: unknown[]) => runCommand(command, args)));
    }
  }
}

function disposeFallbackCommands(): void {
  for (const d of fallbackCommands) d.dispose();
  fallbackCommands = [];
}

export async function stopClient(): Promise<void> {
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

export async function restartClient(): Promise<void> {
  await stopClient();
  await startClient();
}

/** The client when it is running now, without waiting for a start. */
export function runningClient(): LanguageClient | undefined {
  return client && client.isRunning() ? client : undefined;
}

async function readyClient(): Promise<LanguageClient> {
  if (clientStarting) await clientStarting;
  if (!client || !client.isRunning()) {
    throw new Error('the HubSpot language server is not running (see "HubSpot: Show the language server\'s output")');
  }
  return client;
}

/** Sends `workspace/executeCommand` with one argument and returns the result. */
export async function execute<T = unknown>(command: string, arg: Args): Promise<T> {
  return (await sendRaw(command, [arg])) as T;
}

export type ProgressUpdate = WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd;

/**
 * Sends `workspace/executeCommand` as given. With `onProgress`, the request carries a
 * workDoneToken and the server's `$/progress` reports for it go to `onProgress`.
 */
export async function sendRaw(command: string, args: unknown[], onProgress?: (p: ProgressUpdate) => void): Promise<unknown> {
  const c = await readyClient();
  const params: ExecuteCommandParams = { command, arguments: args };
  if (!onProgress) return c.sendRequest(ExecuteCommandRequest.type, params);
  const token = `hubspot-ls-${process.pid}-${++progressSeq}`;
  const listening = c.onProgress(WorkDoneProgress.type, token, onProgress);
  try {
    return await c.sendRequest(ExecuteCommandRequest.type, { ...params, workDoneToken: token });
  } finally {
    listening.dispose();
  }
}

// Where things are: the extension's settings, the global config, the files the server serves,
// and the folder that commands and the Accounts view act for.

import * as os from 'os';
import * as path from 'path';
import * as vscode from 'vscode';

/** The one JSON object argument every server command takes. */
export type Args = Record<string, unknown>;

/** The files the server serves, recognised by path; it ignores every other file. */
export const FILE_PATTERNS = [
  '**/.hscli/config.yml',
  '**/hubspot.config.yml',
  '**/hubspot.config.yaml',
  '**/.hs/settings.json',
  '**/.hsaccount',
];

export function config(): vscode.WorkspaceConfiguration {
  return vscode.workspace.getConfiguration('hubspot');
}

export function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function expandPath(p: string): string {
  let out = p.trim();
  if (out === '~' || out.startsWith('~/')) out = path.join(os.homedir(), out.slice(1));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  if (folder) out = out.replace(/\$\{workspaceFolder\}/g, folder);
  if (!path.isAbsolute(out) && folder && (out.includes('/') || out.includes('\\'))) out = path.resolve(folder, out);
  return out;
}

/** The global config as the settings name it; the server's `configPath` is the authority. */
export function globalConfigPath(): string {
  const configured = config().get<string>('configPath', '');
  if (configured && configured.trim()) return expandPath(configured);
  const extra = config().get<Record<string, string>>('server.extraEnv', {}) ?? {};
  const fromEnv = extra['HUBSPOT_CONFIG_PATH'] || process.env['HUBSPOT_CONFIG_PATH'];
  if (fromEnv) return expandPath(fromEnv);
  return path.join(os.homedir(), '.hscli', 'config.yml');
}

export function isHubSpotFile(uri: vscode.Uri): boolean {
  if (uri.scheme !== 'file') return false;
  const p = uri.fsPath.replace(/\\/g, '/');
  const base = path.basename(p);
  if (base === '.hsaccount' || base === 'hubspot.config.yml' || base === 'hubspot.config.yaml') return true;
  if (p.endsWith('/.hs/settings.json') || p.endsWith('/.hscli/config.yml')) return true;
  return path.resolve(uri.fsPath) === path.resolve(globalConfigPath());
}

/** The directory that commands act for: the active file's folder, else the first workspace folder. */
export function contextDirectory(): string | undefined {
  const doc = vscode.window.activeTextEditor?.document;
  if (doc && doc.uri.scheme === 'file') {
    const p = doc.uri.fsPath;
    // A file inside `.hs/` belongs to the folder that holds `.hs/`.
    const dir = path.dirname(p);
    return path.basename(dir) === '.hs' ? path.dirname(dir) : dir;
  }
  return vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
}

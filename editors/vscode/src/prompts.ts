// Input boxes, quick picks and confirmations. Each throws `Cancelled` when the user backs out,
// so a command's gathering stops there without an error message.

import * as path from 'path';
import * as vscode from 'vscode';
import { contextDirectory } from './paths';

export class Cancelled extends Error {}

export interface TextOptions {
  title: string;
  prompt: string;
  placeHolder?: string;
  value?: string;
  password?: boolean;
  optional?: boolean;
  validate?: (v: string) => string | undefined;
}

/** An input box; cancel throws, an empty optional answer gives undefined. */
export async function askText(o: TextOptions): Promise<string | undefined> {
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

export async function askRequired(o: TextOptions): Promise<string> {
  const v = await askText({ ...o, optional: false });
  if (v === undefined) throw new Cancelled();
  return v;
}

export async function pick<T extends vscode.QuickPickItem>(items: T[], titleText: string, placeHolder: string): Promise<T> {
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

export async function pickMany<T extends vscode.QuickPickItem>(items: T[], titleText: string, placeHolder: string): Promise<T[]> {
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

/** A modal warning with one action button; anything but that button cancels. */
export async function confirm(message: string, action: string): Promise<void> {
  const choice = await vscode.window.showWarningMessage(message, { modal: true }, action);
  if (choice !== action) throw new Cancelled();
}

export async function pickDirectory(titleText: string): Promise<string> {
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

export async function findFile(glob: string, basenames: string[], titleText: string): Promise<string> {
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

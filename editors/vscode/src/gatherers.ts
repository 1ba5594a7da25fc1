// One gatherer per server command: fills in the fields of its argument that are missing, with
// input boxes and quick picks. From the palette (`interactive`) every field is asked for; from a
// code action or the Accounts view, only what cannot be guessed.

import * as path from 'path';
import * as vscode from 'vscode';
import { AccountEntry, AccountItem, accountItems, listAccounts, optionalAccount, pickAccount } from './accounts';
import { execute } from './client';
import { Args, contextDirectory, errorMessage } from './paths';
import { Cancelled, askRequired, askText, confirm, findFile, pick, pickDirectory, pickMany } from './prompts';
import { SANDBOX_GATHERERS } from './sandbox';

export type Gatherer = (arg: Args, interactive: boolean) => Promise<Args>;

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

export const GATHERERS: Record<string, Gatherer> = {
  ...SANDBOX_GATHERERS,

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

// The accounts as `hubspot.account.list` describes them, and the pickers built on that list.

import * as vscode from 'vscode';
import { execute } from './client';
import { Args, contextDirectory } from './paths';
import { pick } from './prompts';

/** One account of `hubspot.account.list` (the fields the server adds for sandboxes are optional, for older servers). */
export interface AccountEntry {
  name?: string;
  accountId: number | string;
  authType?: string;
  env?: string;
  accountType?: string;
  isDefault?: boolean;
  parentAccountId?: number | null;
  /** ISO 8601, from the config's `auth.tokenInfo.expiresAt`; never the token itself. */
  tokenExpiresAt?: string | null;
  isLinked?: boolean;
  isLocalDefault?: boolean;
}

export interface AccountList {
  accounts: AccountEntry[];
  defaultAccount?: unknown;
  linked?: Array<number | string>;
  localDefaultAccount?: number | null;
  /** The global config the list was read from. */
  configPath?: string | null;
}

export async function listAccounts(directory?: string): Promise<AccountList> {
  const arg: Args = {};
  if (directory) arg.directory = directory;
  const r = await execute<AccountList>('hubspot.account.list', arg);
  const linked = r?.linked ?? [];
  const linkedIds = new Set(linked.map(String));
  // A server without the per-account `isLinked` still says which ids are linked.
  const accounts = (Array.isArray(r?.accounts) ? r.accounts : []).map((a) =>
    a.isLinked === undefined ? { ...a, isLinked: linkedIds.has(String(a.accountId)) } : a,
  );
  return { ...r, accounts, linked };
}

const TYPE_LABELS: Record<string, string> = {
  STANDARD: 'production',
  STANDARD_SANDBOX: 'standard sandbox',
  DEVELOPMENT_SANDBOX: 'development sandbox',
  DEVELOPER_TEST: 'developer test',
  APP_DEVELOPER: 'app developer',
};

/** The account's type in words; the CLI takes an account without `accountType` for production. */
export function accountTypeLabel(a: AccountEntry): string {
  const t = a.accountType;
  if (!t) return 'production';
  return TYPE_LABELS[t] ?? t.toLowerCase().replace(/_/g, ' ');
}

/** Can it parent a sandbox? Production: STANDARD or no `accountType`. */
export function isProduction(a: AccountEntry): boolean {
  return !a.accountType || a.accountType === 'STANDARD';
}

export function isSandbox(a: AccountEntry): boolean {
  return a.accountType === 'STANDARD_SANDBOX' || a.accountType === 'DEVELOPMENT_SANDBOX';
}

export type TokenState = { kind: 'valid'; until: Date } | { kind: 'expired'; at: Date } | { kind: 'none' };

export function tokenState(a: AccountEntry, now: Date = new Date()): TokenState {
  const at = a.tokenExpiresAt ? new Date(a.tokenExpiresAt) : undefined;
  if (!at || isNaN(at.getTime())) return { kind: 'none' };
  return at.getTime() > now.getTime() ? { kind: 'valid', until: at } : { kind: 'expired', at };
}

/** "valid until 2030-01-01 00:00 UTC" / "expired" / "none". */
export function tokenStateLabel(s: TokenState): string {
  if (s.kind === 'none') return 'none';
  if (s.kind === 'expired') return 'expired';
  return `valid until ${s.until.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function accountLabel(a: { name?: unknown; accountId?: unknown } | undefined): string {
  if (!a) return 'no account';
  if (a.name !== undefined && a.name !== null && a.name !== '') return `${a.name} (${a.accountId})`;
  return String(a.accountId);
}

/** How an account is named in a command's `account` argument: its name, else its id. */
export function accountRef(a: AccountEntry): string {
  return a.name ? String(a.name) : String(a.accountId);
}

export type AccountItem = vscode.QuickPickItem & { account?: AccountEntry; inForce?: boolean };

export function accountItems(l: AccountList): AccountItem[] {
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

/**
 * Picks an account; with `allowInForce`, also offers "the account in force" (undefined).
 * `only` keeps the accounts a command can take; `none` is the error when it keeps none.
 */
export async function pickAccount(
  titleText: string,
  directory: string | undefined,
  allowInForce: boolean,
  only?: (a: AccountEntry, l: AccountList) => boolean,
  none = 'no accounts are configured: run "HubSpot: Authenticate an account" first',
): Promise<string | undefined> {
  const l = await listAccounts(directory);
  const items: AccountItem[] = [];
  if (allowInForce) items.push({ label: '$(target) The account in force here', description: directory, inForce: true });
  items.push(...accountItems(l).filter((i) => !only || only(i.account!, l)));
  if (items.length === 0) throw new Error(none);
  const choice = await pick(items, titleText, 'Account');
  return choice.inForce ? undefined : accountRef(choice.account!);
}

/** For commands whose `account` is optional: asked only from the palette, when there is a choice. */
export async function optionalAccount(arg: Args, interactive: boolean, titleText: string): Promise<void> {
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

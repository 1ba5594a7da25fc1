// The Accounts view's rows: the accounts of `hubspot.account.list` as a forest, each account
// under its parent when the parent is configured too, with what each row shows and allows.

import * as vscode from 'vscode';
import { AccountEntry, AccountList, accountTypeLabel, isProduction, isSandbox, tokenState, tokenStateLabel } from '../accounts';

export interface AccountNode {
  kind: 'account';
  account: AccountEntry;
  children: AccountNode[];
  /** The parent is configured: the server can delete this sandbox as its parent. */
  parentConfigured: boolean;
}

/** An id the folder's settings link that the global config lacks. */
export interface UnknownLinkedNode {
  kind: 'unknownLinked';
  accountId: number | string;
}

export type AccountsNode = AccountNode | UnknownLinkedNode;

/** Nests each account under its configured parent; accounts in a parent cycle stay at the top. */
export function buildForest(list: AccountList): AccountsNode[] {
  const byId = new Map<string, AccountNode>();
  for (const a of list.accounts) {
    byId.set(String(a.accountId), { kind: 'account', account: a, children: [], parentConfigured: false });
  }
  const nodes = [...byId.values()];
  const parentOf = (n: AccountNode): AccountNode | undefined => {
    const p = n.account.parentAccountId;
    if (p === null || p === undefined || String(p) === String(n.account.accountId)) return undefined;
    return byId.get(String(p));
  };
  // Only nodes reachable from a root are nested; a cycle (a config error) would hide them.
  const reached = new Set<AccountNode>();
  const attach = (n: AccountNode) => {
    reached.add(n);
    for (const c of nodes) {
      if (!reached.has(c) && parentOf(c) === n) {
        c.parentConfigured = true;
        n.children.push(c);
        attach(c);
      }
    }
  };
  const roots = nodes.filter((n) => !parentOf(n));
  roots.forEach(attach);
  for (const n of nodes) {
    if (!reached.has(n)) {
      n.parentConfigured = parentOf(n) !== undefined;
      roots.push(n);
      attach(n);
    }
  }
  const configured = new Set(byId.keys());
  const unknown: UnknownLinkedNode[] = (list.linked ?? [])
    .filter((id) => !configured.has(String(id)))
    .map((id) => ({ kind: 'unknownLinked', accountId: id }));
  return [...roots, ...unknown];
}

/** Words for the row: id, type, env, the markers, the token state. */
export function accountDescription(a: AccountEntry, now?: Date): string {
  const parts = [String(a.accountId), accountTypeLabel(a)];
  if (a.env) parts.push(a.env);
  if (a.isDefault) parts.push('default');
  if (a.isLocalDefault) parts.push('local default');
  else if (a.isLinked) parts.push('linked');
  parts.push(`token ${tokenStateLabel(tokenState(a, now))}`);
  return parts.join(' · ');
}

/**
 * The `contextValue`: space-separated words the menus' `when` clauses match with
 * `viewItem =~ /\bword\b/`, so each action shows only where it applies.
 */
export function contextValue(n: AccountNode, hasFolder: boolean): string {
  const a = n.account;
  const words = ['hubspotAccount', a.isDefault ? 'default' : 'notDefault'];
  if (hasFolder) {
    words.push(a.isLinked ? 'linked' : 'unlinked');
    if (a.isLinked && !a.isLocalDefault) words.push('canBeLocalDefault');
  }
  if (isProduction(a)) words.push('production');
  if (isSandbox(a) && n.parentConfigured) words.push('deletableSandbox');
  return words.join(' ');
}

function icon(a: AccountEntry): vscode.ThemeIcon {
  const color = a.isDefault ? new vscode.ThemeColor('charts.yellow') : undefined;
  if (a.isDefault) return new vscode.ThemeIcon('star-full', color);
  if (isSandbox(a)) return new vscode.ThemeIcon('beaker');
  if (a.accountType === 'DEVELOPER_TEST') return new vscode.ThemeIcon('debug-alt');
  if (a.accountType === 'APP_DEVELOPER') return new vscode.ThemeIcon('code');
  return new vscode.ThemeIcon('organization');
}

function tooltip(a: AccountEntry, folder: string | undefined): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  const row = (k: string, v: unknown) => md.appendMarkdown(`${k}: ${String(v)}  \n`);
  md.appendMarkdown(`**${a.name ?? a.accountId}**  \n`);
  row('Account id', a.accountId);
  row('Type', accountTypeLabel(a));
  if (a.env) row('Environment', a.env);
  if (a.authType) row('Authentication', a.authType);
  if (a.parentAccountId != null) row('Parent account', a.parentAccountId);
  row('Token', tokenStateLabel(tokenState(a)));
  row('Default account', a.isDefault ? 'yes' : 'no');
  if (folder) {
    md.appendMarkdown(`Linked to \`${folder}\`: ${a.isLinked ? 'yes' : 'no'}`);
    if (a.isLocalDefault) md.appendMarkdown(' (its local default)');
  }
  return md;
}

export function treeItem(n: AccountsNode, folder: string | undefined): vscode.TreeItem {
  if (n.kind === 'unknownLinked') {
    const item = new vscode.TreeItem(String(n.accountId), vscode.TreeItemCollapsibleState.None);
    item.description = 'linked · not in the global config';
    item.tooltip = `Account ${n.accountId} is linked to ${folder ?? 'this folder'} but the global config lacks it: authenticate it, or unlink it.`;
    item.iconPath = new vscode.ThemeIcon('warning');
    item.contextValue = 'hubspotUnknownLinked';
    item.accessibilityInformation = { label: `${item.label}, ${item.description}` };
    return item;
  }
  const a = n.account;
  const state = n.children.length > 0 ? vscode.TreeItemCollapsibleState.Expanded : vscode.TreeItemCollapsibleState.None;
  const item = new vscode.TreeItem(a.name ? String(a.name) : String(a.accountId), state);
  item.description = accountDescription(a);
  item.tooltip = tooltip(a, folder);
  item.iconPath = icon(a);
  item.contextValue = contextValue(n, folder !== undefined);
  item.accessibilityInformation = { label: `${item.label}, ${item.description}` };
  return item;
}

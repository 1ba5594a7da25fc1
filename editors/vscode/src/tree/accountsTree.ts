// The data behind the Accounts view: `hubspot.account.list` for the active folder, fetched
// again on demand (debounced) and turned into rows.

import * as path from 'path';
import * as vscode from 'vscode';
import { AccountList, listAccounts } from '../accounts';
import { runningClient } from '../client';
import { contextDirectory, errorMessage } from '../paths';
import { AccountNode, AccountsNode, buildForest, treeItem } from './accountNodes';

export class AccountsTree implements vscode.TreeDataProvider<AccountsNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<AccountsNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly listed = new vscode.EventEmitter<AccountList>();
  /** Fires with each list read, so the view can watch the global config it names. */
  readonly onDidList = this.listed.event;

  private roots: AccountsNode[] = [];
  /** The folder the list was asked for: links and the local default are about it. */
  folder: string | undefined;
  /** The global config the list came from (null: accounts from environment variables). */
  configPath: string | undefined;
  /** Why there is no list (the server is not running, or it failed), shown as the view's message. */
  problem: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private seq = 0;

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.changed.dispose();
    this.listed.dispose();
  }

  /** Asks for the list again soon; a burst of file events makes one request. */
  scheduleRefresh(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), 150);
  }

  async refresh(): Promise<void> {
    const seq = ++this.seq;
    const folder = contextDirectory();
    if (!runningClient()) {
      this.set(seq, [], folder, 'The HubSpot language server is not running.');
      return;
    }
    try {
      const list = await listAccounts(folder);
      if (seq !== this.seq) return;
      this.configPath = list.configPath ?? undefined;
      this.set(seq, buildForest(list), folder, undefined);
      this.listed.fire(list);
    } catch (e) {
      this.set(seq, [], folder, `Could not list the accounts: ${errorMessage(e)}`);
    }
  }

  private set(seq: number, roots: AccountsNode[], folder: string | undefined, problem: string | undefined): void {
    if (seq !== this.seq) return; // a newer refresh is under way
    this.roots = roots;
    this.folder = folder;
    this.problem = problem;
    this.changed.fire(undefined);
  }

  folderLabel(): string | undefined {
    return this.folder ? path.basename(this.folder) : undefined;
  }

  getTreeItem(n: AccountsNode): vscode.TreeItem {
    return treeItem(n, this.folder);
  }

  getChildren(n?: AccountsNode): AccountsNode[] {
    if (!n) return this.roots;
    return n.kind === 'account' ? n.children : [];
  }

  getParent(n: AccountsNode): AccountsNode | undefined {
    const find = (nodes: AccountsNode[], parent: AccountNode | undefined): AccountsNode | undefined => {
      for (const c of nodes) {
        if (c === n) return parent;
        if (c.kind === 'account') {
          const hit = find(c.children, c);
          if (hit) return hit;
        }
      }
      return undefined;
    };
    return find(this.roots, undefined);
  }
}

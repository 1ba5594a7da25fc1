// The sandbox commands (`hubspot.sandbox.create`, `.delete`, `.usage`): what they ask for and
// how their results read.

import type { Gatherer } from './gatherers';
import { AccountEntry, AccountList, accountLabel, accountTypeLabel, isProduction, isSandbox, listAccounts, pickAccount } from './accounts';
import { Args, contextDirectory } from './paths';
import { askRequired, confirm, pick } from './prompts';

export const SANDBOX_TYPES = [
  { label: 'Development sandbox', type: 'development', description: 'for building and testing apps and CMS assets' },
  { label: 'Standard sandbox', type: 'standard', description: 'a copy of the production account for testing changes' },
];

function hasConfiguredParent(a: AccountEntry, l: AccountList): boolean {
  return isSandbox(a) && a.parentAccountId != null && l.accounts.some((p) => String(p.accountId) === String(a.parentAccountId));
}

function withDirectory(arg: Args): void {
  if (arg.directory === undefined) {
    const dir = contextDirectory();
    if (dir) arg.directory = dir;
  }
}

export const SANDBOX_GATHERERS: Record<string, Gatherer> = {
  'hubspot.sandbox.create': async (arg, interactive) => {
    const t = 'Create sandbox';
    withDirectory(arg);
    if (arg.account === undefined && interactive) {
      arg.account = await pickAccount(t, arg.directory as string | undefined, true, (a) => isProduction(a), 'no production account is configured to create a sandbox in');
    }
    if (arg.type === undefined) arg.type = (await pick(SANDBOX_TYPES, t, 'Type of sandbox')).type;
    if (arg.name === undefined || arg.name === '') {
      arg.name = await askRequired({
        title: t,
        prompt: 'Sandbox name (the config names it in lowercase, spaces as -)',
        placeHolder: 'Orbit Dev Box',
      });
    }
    return arg;
  },

  'hubspot.sandbox.delete': async (arg) => {
    withDirectory(arg);
    if (arg.account === undefined) {
      arg.account = await pickAccount(
        'Delete sandbox',
        arg.directory as string | undefined,
        false,
        hasConfiguredParent,
        'no sandbox whose parent account is configured: a sandbox is deleted as its parent',
      );
    }
    // Always asked, wherever it comes from: the sandbox and its data are gone in HubSpot.
    const l = await listAccounts(arg.directory as string | undefined).catch(() => undefined);
    const entry = l?.accounts.find((a) => String(a.accountId) === String(arg.account) || a.name === arg.account);
    await confirm(
      `Delete the sandbox ${entry ? accountLabel(entry) : arg.account} in HubSpot and remove it from the config? This cannot be undone.`,
      'Delete',
    );
    return arg;
  },

  'hubspot.sandbox.usage': async (arg, interactive) => {
    withDirectory(arg);
    if (arg.account === undefined && interactive) {
      const a = await pickAccount('Sandbox usage', arg.directory as string | undefined, true, (x) => isProduction(x));
      if (a !== undefined) arg.account = a;
    }
    return arg;
  },
};

interface Usage {
  used?: unknown;
  available?: unknown;
  limit?: unknown;
}

function usageText(kind: string, u: Usage | undefined): string {
  if (!u) return `${kind}: unknown`;
  return `${kind} ${u.used ?? '?'} of ${u.limit ?? '?'} used (${u.available ?? '?'} left)`;
}

/** The notification text for a sandbox command's result, or undefined for another command. */
export function sandboxResultMessage(command: string, arg: Args, r: Record<string, any>): string | undefined {
  switch (command) {
    case 'hubspot.sandbox.create':
      return `Created the ${accountTypeLabel({ accountId: r.accountId, accountType: r.accountType })} ${r.name ?? arg.name} (${r.accountId})` +
        ` under ${r.parentAccountId ?? arg.account ?? 'its parent'}.`;
    case 'hubspot.sandbox.delete':
      return `Deleted the sandbox ${arg.account} (${r.accountId ?? '?'})` +
        (r.deletedInHubSpot === false ? '; HubSpot no longer had it, so only the config entry was removed' : '') +
        (r.defaultAccount != null ? `; the default account is ${r.defaultAccount}` : '') + '.';
    case 'hubspot.sandbox.usage':
      return `Sandboxes of ${arg.account ?? 'the account in force'}: ${usageText('standard', r.standard)}, ${usageText('development', r.development)}.`;
    default:
      return undefined;
  }
}

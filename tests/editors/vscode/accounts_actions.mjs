// The Accounts view's actions end to end, after accounts_view.mjs and the palette scenario:
// link / unlink / make local default for the active folder (its .hs/settings.json on disk),
// unlink a linked id the global config lacks (its own row), show info, remove (declined, then
// confirmed), add secret, upload a folder from the tree and from the explorer (the fake's
// /__fake/uploads), the title bar's Authenticate… and Refresh, and the global config's watcher
// on its own.
//
// Run by test_vscode.mjs (which owns code-server, the fake and the helpers passed in `t`).

import fs from 'node:fs';
import path from 'node:path';
import { makeTree, rowNamed } from './accounts_view.mjs';
import { filesUnder, makeUi, uploadsUnder } from './ui_helpers.mjs';

export const TREE_KEY = 'pat-na1-77777777-7777-7777-7777-777777777777';
// An id linked to a folder that no configured account (and no account of the fake) has.
const UNKNOWN_ID = 424242;

export async function accountsActionsScenario(t) {
  const { page, check, waitFor, openFile, fakeAdmin, home, ws } = t;
  const ui = makeUi(t);
  const { runPalette, pickRow, answer, modal, clearNotifications, notification, expectNotShown } = ui;
  const { rowLocator, contextMenu, chooseMenuItem, waitRows, treeRows } = makeTree(t);
  const configPath = path.join(home, '.hscli/config.yml');
  const config = () => fs.readFileSync(configPath, 'utf8');
  const appSettings = path.join(ws, 'app/.hs/settings.json');
  const appLinks = () => (fs.existsSync(appSettings) ? JSON.parse(fs.readFileSync(appSettings, 'utf8')) : undefined);
  const marker = (rows, name) => (rowNamed(rows, name)?.text ?? '').match(/\b(local default|linked)\b/)?.[1];

  async function showView() {
    if (!(await rowLocator('prod-portal').isVisible().catch(() => false))) {
      await page.locator('.activitybar .action-item [aria-label^="HubSpot"]').first().click();
    }
    await waitFor('the Accounts view with prod-portal', () => rowLocator('prod-portal').isVisible());
  }

  /** Clicks the view's title-bar action `label` (Authenticate…, Refresh). */
  async function titleAction(label) {
    await page.locator('#workbench\\.parts\\.sidebar .title').first().hover();
    const action = page.locator(`#workbench\\.parts\\.sidebar .action-label[aria-label="${label}"]`).first();
    await waitFor(`the title action ${label}`, () => action.isVisible());
    await action.click();
  }

  /** Opens a file of `folder` so that the view lists for it, and waits for its title to say so. */
  async function actFor(rel) {
    await openFile(rel);
    await showView();
    const folder = path.basename(path.dirname(rel));
    await waitFor(`the view to list for ${folder}`, async () =>
      (await page.locator('#workbench\\.parts\\.sidebar').innerText()).includes(`Links of ${folder}`),
    );
  }

  await check('Accounts view: "Link to the current folder" on sandbox, then prod-portal, writes app/.hs/settings.json', async () => {
    await actFor('app/app.txt');
    const before = await treeRows();
    if (marker(before, 'sandbox') || marker(before, 'prod-portal')) throw new Error(`app/ links accounts already: ${JSON.stringify(before)}`);
    await contextMenu('sandbox');
    await chooseMenuItem('Link to the current folder');
    await waitFor('789012 linked in app/.hs/settings.json', () => appLinks()?.accounts?.includes(789012));
    await waitRows('sandbox marked in the view', (r) => marker(r, 'sandbox'));
    await contextMenu('prod-portal');
    await chooseMenuItem('Link to the current folder');
    await waitFor('123456 linked too', () => appLinks()?.accounts?.includes(123456) && appLinks().accounts.includes(789012));
    await waitRows('prod-portal marked in the view', (r) => marker(r, 'prod-portal'));
  });

  await check('Accounts view: "Make local default" on a linked account writes localDefaultAccount', async () => {
    // Whichever of the two is not the local default yet is offered the action.
    const rows = await treeRows();
    const name = marker(rows, 'prod-portal') === 'linked' ? 'prod-portal' : 'sandbox';
    const id = name === 'prod-portal' ? 123456 : 789012;
    const menu = await contextMenu(name);
    if (!menu.includes('Make local default')) throw new Error(`${name}'s menu: ${JSON.stringify(menu)}`);
    await chooseMenuItem('Make local default');
    await waitFor(`localDefaultAccount ${id} on disk`, () => appLinks()?.localDefaultAccount === id);
    await waitRows(`${name} marked local default`, (r) => marker(r, name) === 'local default');
  });

  await check('Accounts view: "Unlink from the current folder" on sandbox removes it from app/.hs/settings.json', async () => {
    await contextMenu('sandbox');
    await chooseMenuItem('Unlink from the current folder');
    await waitFor('789012 gone from app/.hs/settings.json', () => appLinks() && !JSON.stringify(appLinks()).includes('789012'));
    if (!appLinks().accounts.includes(123456)) throw new Error(`prod-portal was unlinked too: ${JSON.stringify(appLinks())}`);
    await waitRows('sandbox unmarked in the view', (r) => rowNamed(r, 'sandbox') && !marker(r, 'sandbox'));
  });

  await check(`Accounts view: ${UNKNOWN_ID}, linked to app/ but not in the global config, has a row whose "Unlink from the current folder" removes it`, async () => {
    const links = appLinks();
    fs.writeFileSync(appSettings, JSON.stringify({ ...links, accounts: [...links.accounts, UNKNOWN_ID] }, null, 2) + '\n');
    await waitRows(`a ${UNKNOWN_ID} row saying it is not in the global config`, (r) =>
      /linked · not in the global config/.test(rowNamed(r, String(UNKNOWN_ID))?.text ?? ''),
    );
    const menu = await contextMenu(String(UNKNOWN_ID));
    if (!menu.includes('Unlink from the current folder')) throw new Error(`${UNKNOWN_ID}'s menu: ${JSON.stringify(menu)}`);
    if (menu.some((l) => /^(Show info|Remove|Add secret|Upload a folder|Link to)/.test(l))) throw new Error(`${UNKNOWN_ID}'s menu offers a configured account's actions: ${JSON.stringify(menu)}`);
    await chooseMenuItem('Unlink from the current folder');
    await waitFor(`${UNKNOWN_ID} gone from app/.hs/settings.json`, () => appLinks() && !JSON.stringify(appLinks()).includes(String(UNKNOWN_ID)));
    if (!appLinks().accounts.includes(123456)) throw new Error(`prod-portal was unlinked too: ${JSON.stringify(appLinks())}`);
    await waitRows(`the ${UNKNOWN_ID} row to leave the view`, (r) => rowNamed(r, 'prod-portal') && !rowNamed(r, String(UNKNOWN_ID)));
  });

  await check('Accounts view: "Show info" on prod-portal shows its name, id and scopes, never a key or token', async () => {
    await clearNotifications();
    await contextMenu('prod-portal');
    await chooseMenuItem('Show info');
    const n = await notification(/HubSpot: prod-portal \(123456\)/);
    for (const s of ['cms.functions.read_write', 'files', 'sandboxes.write']) if (!n.includes(s)) throw new Error(`scope ${s} missing: ${n}`);
    if (/pat-na1|fake-access-token|accessToken|personalAccessKey/.test(n)) throw new Error(`a credential is in the notification: ${n}`);
  });

  await check('Accounts view: "Add secret…" on new-portal stores it in HubSpot; the value is in no notification', async () => {
    const value = 'tr33-s3cr3t-789';
    await clearNotifications();
    await contextMenu('new-portal');
    await chooseMenuItem('Add secret');
    await answer(/Secret name/, 'TREE_SECRET');
    await answer(/Value of TREE_SECRET/, value, { masked: true });
    await notification(/HubSpot: Added secret TREE_SECRET\./);
    const held = await fakeAdmin('GET', '/__fake/secrets/555555');
    if (held.values.TREE_SECRET !== value) throw new Error(`new-portal's secrets in HubSpot: ${JSON.stringify(held.names)}`);
    if ((await t.notifications()).some((n) => n.includes(value))) throw new Error('the value is in a notification');
    await expectNotShown(value, 'the secret value');
  });

  const siteFiles = filesUnder(path.join(ws, 'site'));
  const sameFiles = (got) => got.size === siteFiles.size && [...siteFiles].every(([p, b]) => got.get(p) === b);

  await check('Accounts view: "Upload a folder…" on prod-portal uploads site/ (the fake has every file)', async () => {
    await actFor('site/index.html');
    await clearNotifications();
    await contextMenu('prod-portal');
    await chooseMenuItem('Upload a folder');
    await pickRow('Folder of the active file');
    await answer(/Destination in the Design Manager/, 'tree-upload');
    await notification(new RegExp(`HubSpot: Uploaded ${siteFiles.size} file\\(s\\) to tree-upload\\.`));
    const got = uploadsUnder((await fakeAdmin('GET', '/__fake/uploads')).uploads, 123456, 'tree-upload');
    if (!sameFiles(got)) throw new Error(`HubSpot got ${JSON.stringify([...got.keys()])}, site/ has ${JSON.stringify([...siteFiles.keys()])}`);
  });

  await check('explorer: "Upload to HubSpot…" on the site folder uploads it to the account in force there', async () => {
    await clearNotifications();
    await runPalette('HubSpot: Show the account in force here');
    const inForce = Number((await notification(/HubSpot: Account in force:/)).match(/\((\d+)\)/)[1]);
    await clearNotifications();
    await runPalette('View: Show Explorer');
    const row = page.locator('.explorer-folders-view .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: /^site$/ }) }).first();
    await waitFor('the explorer row of site/', () => row.isVisible());
    await row.click({ button: 'right' });
    await waitFor('the explorer context menu', async () => (await page.locator('.context-view .monaco-menu .action-item').count()) > 0);
    await chooseMenuItem('Upload to HubSpot');
    await answer(/Destination in the Design Manager/, 'explorer-upload');
    await notification(new RegExp(`HubSpot: Uploaded ${siteFiles.size} file\\(s\\) to explorer-upload\\.`));
    const got = uploadsUnder((await fakeAdmin('GET', '/__fake/uploads')).uploads, inForce, 'explorer-upload');
    if (!sameFiles(got)) throw new Error(`HubSpot (hub ${inForce}) got ${JSON.stringify([...got.keys()])}`);
  });

  await check('Accounts view: the title bar\'s "Authenticate…" adds tree-portal from a key typed masked', async () => {
    await showView();
    await clearNotifications();
    await titleAction('Authenticate…');
    await answer(/Personal access key/, TREE_KEY, { masked: true });
    await answer(/Account name/, 'tree-portal');
    await pickRow('prod');
    await pickRow('No');
    await notification(/HubSpot: Authenticated tree-portal \(777777\)/);
    if (!/- name: tree-portal\n\s+accountId: 777777\n/.test(config())) throw new Error('tree-portal is not in the global config');
    await waitRows('a tree-portal row', (r) => rowNamed(r, 'tree-portal'));
    await expectNotShown(TREE_KEY, 'the key');
  });

  await check('Accounts view: "Remove…" declined leaves tree-portal in the config and the view', async () => {
    const before = config();
    await contextMenu('tree-portal');
    await chooseMenuItem('Remove');
    await modal(/Remove the HubSpot account tree-portal \(777777\) from the global config\?/, 'Cancel');
    // A server command after it: had the removal been sent, it would be written by the time
    // this answer is shown.
    await clearNotifications();
    await runPalette('HubSpot: Show the account in force here');
    await notification(/HubSpot: Account in force:/);
    if (config() !== before) throw new Error('the config changed though the removal was declined');
    if (!rowNamed(await treeRows(), 'tree-portal')) throw new Error('tree-portal left the view');
  });

  await check('Accounts view: "Remove…" confirmed takes tree-portal out of the config and the view', async () => {
    await clearNotifications();
    await contextMenu('tree-portal');
    await chooseMenuItem('Remove');
    await modal(/Remove the HubSpot account tree-portal \(777777\)/, 'Remove');
    await notification(/HubSpot: Removed 777777\./);
    if (/tree-portal|777777/.test(config())) throw new Error('tree-portal is still in the config');
    await waitRows('tree-portal to leave the view', (r) => rowNamed(r, 'prod-portal') && !rowNamed(r, 'tree-portal'));
  });

  // The server reads an open file's buffer: no editor may hold the global config from here on.
  await runPalette('View: Close All Editors');
  await waitFor('no editor open', async () => (await page.locator('.tabs-container .tab').count()) === 0);
  // The view lists again for the workspace's folder: that refresh must be over before the
  // checks below, or it would show their changes in Refresh's place.
  await waitFor('the view to list for the workspace folder', async () =>
    (await page.locator('#workbench\\.parts\\.sidebar').innerText()).includes(`Links of ${path.basename(ws)}`),
  );

  await check('Accounts view: "Refresh" shows a config edited on disk behind the extension\'s back', async () => {
    await showView();
    // Written through a second hard link outside the workspace: the file changes, but no
    // watcher of the folder sees an event, so only Refresh can bring it.
    const link = path.join(path.dirname(ws), 'config-behind-the-back.yml');
    fs.rmSync(link, { force: true });
    fs.linkSync(configPath, link);
    try {
      const text = config();
      if (!text.includes('- name: new-portal\n')) throw new Error('no new-portal entry to rename');
      fs.writeFileSync(link, text.replace('- name: new-portal\n', '- name: refreshed-portal\n'));
    } finally {
      fs.rmSync(link, { force: true });
    }
    if (!config().includes('refreshed-portal')) throw new Error('the write did not reach the config');
    if (rowNamed(await treeRows(), 'refreshed-portal')) throw new Error('the view changed before Refresh: the write was seen by a watcher');
    await titleAction('Refresh');
    await waitRows('a refreshed-portal row and no new-portal', (r) => rowNamed(r, 'refreshed-portal') && !rowNamed(r, 'new-portal'));
  });

  await check('Accounts view: the global config edited on disk, no command run, updates the view (its watcher)', async () => {
    fs.writeFileSync(configPath, config().replace('- name: refreshed-portal\n', '- name: watched-portal\n'));
    await waitRows('a watched-portal row', (r) => rowNamed(r, 'watched-portal') && !rowNamed(r, 'refreshed-portal'));
  });
}

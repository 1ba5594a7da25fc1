// The HubSpot activity bar's Accounts view in code-server: the fixture's accounts with their
// nesting and markers, then a sandbox created and deleted through the rows' context menus
// against the fake HubSpot, checked in the tree, in the global config on disk and in the fake.
//
// Run by test_vscode.mjs (which owns code-server, the fake and the helpers passed in `t`).

import fs from 'node:fs';
import path from 'node:path';
import { fillQuickInput, makeUi } from './ui_helpers.mjs';

const ROWS = '.customview-tree .monaco-list-row';
const SANDBOX_NAME = 'Orbit Dev Box';
const SANDBOX_CONFIG_NAME = 'orbit-dev-box';

/** The copied fixture's "my sandbox" becomes a sandbox of prod-portal (a line after line 27, which other checks use). */
export function prepareFixture(home) {
  const file = path.join(home, '.hscli/config.yml');
  const text = fs.readFileSync(file, 'utf8');
  const marker = '    accountType: STANDARD_SANDBOX\n';
  if (!text.includes(marker)) throw new Error('the fixture config has no STANDARD_SANDBOX account to give a parent');
  fs.writeFileSync(file, text.replace(marker, `${marker}    parentAccountId: 123456\n`));
}

/** The Accounts view's rows: text (label and description), nesting level, in order. */
async function treeRows(page) {
  return page.locator(ROWS).evaluateAll((rows) =>
    rows.map((r) => ({
      text: (r.getAttribute('aria-label') || r.innerText || '').replace(/\s+/g, ' ').trim(),
      level: Number(r.getAttribute('aria-level') || '0'),
    })),
  );
}

/** The row whose label (the text before the first comma) is `name`. */
export function rowNamed(rows, name) {
  return rows.find((r) => r.text.split(',')[0].trim() === name);
}

/** The label of the nearest row above `name` one level up: its parent in the tree. */
function parentOf(rows, name) {
  const i = rows.findIndex((r) => r.text.split(',')[0].trim() === name);
  if (i < 0) return undefined;
  for (let j = i - 1; j >= 0; j--) if (rows[j].level === rows[i].level - 1) return rows[j].text.split(',')[0].trim();
  return null;
}

function configEntry(home, name) {
  // The entry of `name` in the global config on disk, as its lines up to the next entry.
  const text = fs.readFileSync(path.join(home, '.hscli/config.yml'), 'utf8');
  const m = text.match(new RegExp(`^  - name: ${name}\\n((?:    .*\\n?)*)`, 'm'));
  return m ? m[0] : undefined;
}

/** The view's row helpers: a row by its label, its context menu, a menu entry, waiting for rows. */
export function makeTree(t) {
  const { page, waitFor, closeWidgets } = t;

  const rowLocator = (name) =>
    page.locator(ROWS).filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) }).first();

  /** Right-clicks `name`'s row and returns the context menu's entries. */
  async function contextMenu(name) {
    await closeWidgets();
    await rowLocator(name).click({ button: 'right' });
    return waitFor(`the context menu of ${name}`, async () => {
      const items = await page.locator('.context-view .monaco-menu .action-item .action-label').allInnerTexts();
      const labels = items.map((s) => s.trim()).filter(Boolean);
      return labels.length ? labels : false;
    });
  }

  // VS Code's menus run an entry on their own mouse and key handling, which a synthetic click
  // does not always reach: point at the entry, wait for the menu to focus it, press Enter.
  async function chooseMenuItem(label) {
    const item = page.locator('.context-view .monaco-menu .action-item', { hasText: label }).first();
    await item.hover();
    await waitFor(`the menu entry "${label}" to be focused`, async () => /\bfocused\b/.test((await item.getAttribute('class')) || ''));
    await page.keyboard.press('Enter');
    await waitFor('the context menu to close', async () => (await page.locator('.context-view .monaco-menu').count()) === 0);
  }

  /** Widens the side bar so the rows' descriptions show whole (screenshots, readable rows). */
  async function widenSideBar() {
    const bar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
    if (!bar || bar.width >= 700) return;
    // The sash on the side bar's right edge: the vertical one nearest to it.
    const x = await page.locator('.monaco-sash.vertical').evaluateAll((sashes, edge) => {
      let best;
      for (const el of sashes) {
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        const mid = r.left + r.width / 2;
        if (best === undefined || Math.abs(mid - edge) < Math.abs(best - edge)) best = mid;
      }
      return best;
    }, bar.x + bar.width);
    if (x === undefined) throw new Error('no sash beside the side bar');
    const y = bar.y + bar.height / 2;
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x + 200, y, { steps: 5 });
    await page.mouse.move(760, y, { steps: 5 });
    await page.mouse.up();
    await waitFor('the side bar to widen', async () => ((await page.locator('#workbench\\.parts\\.sidebar').boundingBox())?.width ?? 0) >= 600);
  }

  async function waitRows(what, pred) {
    let last = [];
    try {
      return await waitFor(what, async () => {
        last = await treeRows(page);
        return pred(last) ? last : false;
      });
    } catch (e) {
      throw new Error(`${e.message.split('; last seen')[0]}; the view shows: ${JSON.stringify(last.map((r) => `${'  '.repeat(Math.max(0, r.level - 1))}${r.text}`))}`);
    }
  }

  return { rowLocator, contextMenu, chooseMenuItem, widenSideBar, waitRows, treeRows: () => treeRows(page) };
}

export async function accountsViewScenario(t) {
  const { page, check, waitFor, screenshot, notifications, runPaletteCommand, closeWidgets, quickInputVisible, openFile, fakeAdmin, home, artifacts } = t;
  const { contextMenu, chooseMenuItem, widenSideBar, waitRows } = makeTree(t);
  const { clearNotifications, notification } = makeUi(t);

  await check('Accounts view: the HubSpot activity bar view lists the accounts, a sandbox under its parent, with the default and linked markers', async () => {
    // The folder the view is about is the active file's: the linked project.
    await openFile('project/.hs/settings.json');
    // An earlier check left this buffer edited (completion); the disk's links are the ones to show.
    await runPaletteCommand('File: Revert File');
    await waitFor('settings.json to read as on disk', async () => {
      const title = await page.title();
      return !/^[●•*]/.test(title);
    });
    await page.locator('.activitybar .action-item [aria-label^="HubSpot"]').first().click();
    await widenSideBar();
    // Nesting is part of the state waited for: a refresh can show a row before its parent.
    const rows = await waitRows(
      'rows for prod-portal, sandbox and my-sandbox nested under prod-portal',
      (r) => rowNamed(r, 'prod-portal') && rowNamed(r, 'sandbox') && parentOf(r, 'my-sandbox') === 'prod-portal',
    );
    const prod = rowNamed(rows, 'prod-portal').text;
    if (!/123456/.test(prod) || !/production/.test(prod) || !/\bdefault\b/.test(prod)) throw new Error(`prod-portal's row: ${prod}`);
    if (!/local default|linked/.test(prod)) throw new Error(`prod-portal is linked to project but its row says: ${prod}`);
    // Its token was refreshed by the commands above: valid for a while, whatever the fixture said.
    if (!/token valid until \d{4}-\d\d-\d\d \d\d:\d\d UTC/.test(prod)) throw new Error(`prod-portal's token state: ${prod}`);
    const dev = rowNamed(rows, 'sandbox').text;
    if (/\blinked\b|\bdefault\b/.test(dev)) throw new Error(`the unlinked, non-default sandbox is marked: ${dev}`);
    if (!/development sandbox/.test(dev)) throw new Error(`sandbox's type: ${dev}`);
    if (!/standard sandbox/.test(rowNamed(rows, 'my-sandbox').text)) throw new Error(`my-sandbox's type: ${rowNamed(rows, 'my-sandbox').text}`);
    // 789012's parent is not configured: it stays at the top.
    if (rowNamed(rows, 'sandbox').level !== 1) throw new Error('sandbox (no configured parent) is nested');
    const linkedNew = rows.find((r) => /555555/.test(r.text));
    if (!linkedNew || !/\blinked\b/.test(linkedNew.text)) throw new Error(`555555, linked to project, is not marked linked: ${JSON.stringify(linkedNew)}`);
  });

  await check('Accounts view: each row offers only its actions (create sandbox and sandbox usage on production, delete sandbox on a sandbox)', async () => {
    const prodMenu = await contextMenu('prod-portal');
    await closeWidgets();
    const sandboxMenu = await contextMenu('my-sandbox');
    await closeWidgets();
    const problems = [];
    if (!prodMenu.some((l) => l.startsWith('Create sandbox'))) problems.push(`prod-portal lacks Create sandbox: ${prodMenu}`);
    if (prodMenu.some((l) => l.startsWith('Delete sandbox'))) problems.push('prod-portal offers Delete sandbox');
    if (!prodMenu.includes('Sandbox usage')) problems.push(`prod-portal lacks Sandbox usage: ${prodMenu}`);
    if (prodMenu.includes('Use as default')) problems.push('prod-portal, the default, offers Use as default');
    if (!sandboxMenu.some((l) => l.startsWith('Delete sandbox'))) problems.push(`my-sandbox lacks Delete sandbox: ${sandboxMenu}`);
    if (sandboxMenu.some((l) => l.startsWith('Create sandbox'))) problems.push('my-sandbox offers Create sandbox');
    if (sandboxMenu.includes('Sandbox usage')) problems.push('my-sandbox offers Sandbox usage');
    if (!sandboxMenu.includes('Use as default')) problems.push('my-sandbox lacks Use as default');
    if (problems.length) throw new Error(problems.join('; '));
  });

  await check(`Accounts view: "Create sandbox…" on prod-portal creates "${SANDBOX_NAME}", nested under it and in the config`, async () => {
    await contextMenu('prod-portal');
    await chooseMenuItem('Create sandbox');
    const devRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Development sandbox' }).first();
    await waitFor('the sandbox type quick pick with its "Development sandbox" row', async () => (await quickInputVisible()) && devRow.isVisible());
    await devRow.click();
    await waitFor('the sandbox name prompt', async () => /Sandbox name/.test(await page.locator('.quick-input-widget').innerText()));
    await fillQuickInput(page, waitFor, SANDBOX_NAME, 'the sandbox name prompt');
    await page.keyboard.press('Enter');
    await waitFor('the Created notification', async () => {
      const all = await notifications();
      const err = all.find((n) => /HubSpot: .*failed/i.test(n));
      if (err) throw new Error(`the notification says: ${err}`);
      return all.find((n) => /HubSpot: Created the development sandbox/.test(n)) || false;
    });
    // Nested under its parent, waited for as one state (a refresh can show the row first).
    const rows = await waitRows(`a ${SANDBOX_CONFIG_NAME} row under prod-portal`, (r) => parentOf(r, SANDBOX_CONFIG_NAME) === 'prod-portal');
    if (!/development sandbox/.test(rowNamed(rows, SANDBOX_CONFIG_NAME).text)) throw new Error(`its row: ${rowNamed(rows, SANDBOX_CONFIG_NAME).text}`);
    const entry = await waitFor(`${SANDBOX_CONFIG_NAME} in the config on disk`, () => configEntry(home, SANDBOX_CONFIG_NAME) || false);
    if (!/parentAccountId: 123456/.test(entry) || !/accountType: DEVELOPMENT_SANDBOX/.test(entry)) throw new Error(`the config entry: ${entry}`);
    const fake = await fakeAdmin('GET', '/__fake/sandboxes');
    if (!fake.sandboxes.some((s) => s.name === SANDBOX_NAME && Number(s.parentHubId) === 123456)) throw new Error(`HubSpot has: ${JSON.stringify(fake)}`);
    // The view as a user sees it, for the docs and the artifacts.
    await closeWidgets();
    const bar = await page.locator('#workbench\\.parts\\.sidebar').boundingBox();
    // The activity bar and the view's top rows: what docs/accounts-view.png shows.
    await page.screenshot({ path: path.join(artifacts, 'vscode-accounts-view.png'), clip: { x: 0, y: 0, width: bar.x + bar.width, height: Math.min(bar.height, 300) } });
    await screenshot('accounts-view-with-new-sandbox');
  });

  await check(`Accounts view: "Delete sandbox…" on ${SANDBOX_CONFIG_NAME} asks, deletes it in HubSpot and it leaves the tree and the config`, async () => {
    const fake0 = await fakeAdmin('GET', '/__fake/sandboxes');
    const created = fake0.sandboxes.find((s) => s.name === SANDBOX_NAME);
    await contextMenu(SANDBOX_CONFIG_NAME);
    await chooseMenuItem('Delete sandbox');
    const dialog = page.locator('.monaco-dialog-box');
    await waitFor('the modal confirmation', async () => (await dialog.isVisible()) && /Delete the sandbox/.test(await dialog.innerText()));
    await screenshot('delete-sandbox-confirmation');
    await dialog.locator('.monaco-button', { hasText: /^Delete$/ }).first().click();
    await waitRows(`${SANDBOX_CONFIG_NAME} to leave the view`, (r) => rowNamed(r, 'prod-portal') && !rowNamed(r, SANDBOX_CONFIG_NAME));
    await waitFor(`${SANDBOX_CONFIG_NAME} to leave the config on disk`, () => !configEntry(home, SANDBOX_CONFIG_NAME));
    const fake = await fakeAdmin('GET', '/__fake/sandboxes');
    const after = fake.sandboxes.find((s) => created && s.sandboxHubId === created.sandboxHubId);
    if (after && !/delet/i.test(String(after.status))) throw new Error(`HubSpot still has it: ${JSON.stringify(after)}`);
    await screenshot('accounts-view-after-delete');
  });

  await check('Accounts view: a sandbox named like a configured account is refused with the server\'s message, and nothing changes', async () => {
    const configBefore = fs.readFileSync(path.join(home, '.hscli/config.yml'), 'utf8');
    await contextMenu('prod-portal');
    await chooseMenuItem('Create sandbox');
    const stdRow = page.locator('.quick-input-list .monaco-list-row', { hasText: 'Standard sandbox' }).first();
    await waitFor('the sandbox type quick pick with its "Standard sandbox" row', async () => (await quickInputVisible()) && stdRow.isVisible());
    await stdRow.click();
    await waitFor('the sandbox name prompt', async () => /Sandbox name/.test(await page.locator('.quick-input-widget').innerText()));
    await fillQuickInput(page, waitFor, 'My Sandbox', 'the sandbox name prompt');
    await page.keyboard.press('Enter');
    const n = await waitFor('the error notification', async () => (await notifications()).find((x) => /HubSpot: Create sandbox failed/.test(x)) || false);
    if (!/my-sandbox/.test(n)) throw new Error(`the error does not name the clashing account: ${n}`);
    const rows = await treeRows(page);
    if (rows.filter((r) => r.text.split(',')[0].trim() === 'my-sandbox').length !== 1) throw new Error(`the view changed: ${JSON.stringify(rows)}`);
    if (fs.readFileSync(path.join(home, '.hscli/config.yml'), 'utf8') !== configBefore) throw new Error('the config changed');
  });

  await check('palette: "HubSpot: Sandbox usage" picks among production accounts and reports both kinds', async () => {
    await runPaletteCommand('HubSpot: Sandbox usage');
    const rows = await waitFor('the account picker', async () => {
      if (!(await quickInputVisible())) return false;
      const r = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
      return r.some((x) => x.includes('prod-portal')) ? r : false;
    });
    if (rows.some((r) => /my-sandbox|789012/.test(r))) throw new Error(`the picker offers sandboxes: ${JSON.stringify(rows)}`);
    await page.locator('.quick-input-list .monaco-list-row', { hasText: 'prod-portal' }).first().click();
    const n = await waitFor('the usage notification', async () => {
      const all = await notifications();
      const err = all.find((x) => /HubSpot: Sandbox usage failed/.test(x));
      if (err) throw new Error(`the notification says: ${err}`);
      return all.find((x) => /Sandboxes of prod-portal/.test(x)) || false;
    });
    if (!/standard \d+ of 1 used.*development \d+ of 2 used/.test(n)) throw new Error(`the notification says: ${n}`);
  });

  await check('Accounts view: "Sandbox usage" on prod-portal reports both kinds without asking for the account', async () => {
    await clearNotifications();
    await contextMenu('prod-portal');
    await chooseMenuItem('Sandbox usage');
    // The view passes the row's id (unambiguous, unlike a name), and the notification names it so.
    const n = await notification(/Sandboxes of 123456:/, 'the usage notification');
    if (!/standard \d+ of 1 used.*development \d+ of 2 used/.test(n)) throw new Error(`the notification says: ${n}`);
    if (await quickInputVisible()) throw new Error(`a picker is open: ${await page.locator('.quick-input-widget').innerText()}`);
  });

  await check('Accounts view: a .hs/settings.json changed on disk refreshes the view (sandbox becomes linked)', async () => {
    const settings = path.join(path.dirname(home), 'project/.hs/settings.json');
    const before = await treeRows(page);
    if (/\blinked\b/.test(rowNamed(before, 'sandbox')?.text ?? '')) throw new Error('sandbox is linked already');
    fs.writeFileSync(settings, JSON.stringify({ accounts: [123456, 555555, 789012], localDefaultAccount: 123456 }, null, 2) + '\n');
    await waitRows('the sandbox row to say linked', (r) => /\blinked\b/.test(rowNamed(r, 'sandbox')?.text ?? ''));
  });

  // The project links sandbox now: "Use as default" must still set the global default, not the project's.
  await check('Accounts view: "Use as default" on sandbox makes it the global default (config and rows)', async () => {
    await contextMenu('sandbox');
    await chooseMenuItem('Use as default');
    await waitRows('the sandbox row to say default and prod-portal not', (r) =>
      /\bdefault\b/.test((rowNamed(r, 'sandbox')?.text ?? '').replace('local default', '')) &&
      !/\bdefault\b/.test((rowNamed(r, 'prod-portal')?.text ?? '').replace('local default', '')),
    );
    const config = fs.readFileSync(path.join(home, '.hscli/config.yml'), 'utf8');
    if (!/^defaultAccount: (sandbox|789012)\s*$/m.test(config)) throw new Error(`the config's defaultAccount: ${config.match(/^defaultAccount:.*$/m)}`);
    const settings = JSON.parse(fs.readFileSync(path.join(path.dirname(home), 'project/.hs/settings.json'), 'utf8'));
    if (settings.localDefaultAccount !== 123456) throw new Error(`the project's local default changed: ${JSON.stringify(settings)}`);
  });
}

// hubspot-ls in real VS Code: code-server (npm) in headless Debian Chromium, driven by
// playwright-core, with the extension installed from its .vsix.
//
//   node tests/editors/vscode/test_vscode.mjs --vsix editors/vscode/hubspot-ls-linux-x64.vsix \
//        --fake target/debug/fake-hubspot [--artifacts target/editor-artifacts] [--keep]
//
// The .vsix bundles the server (npm run package): no hubspot.server.path is set and no
// hubspot-ls is on PATH, so what answers is the binary inside the extension, as for a user.
//
// Needs node >= 22 (code-server 4.139), /usr/bin/chromium, tests/editors/node_modules.
// Every check looks at what a user sees (Problems rows, the suggest widget, the quick-fix
// menu, the status bar, notifications). A failed check prints its reason and the path of a
// screenshot; the last line is `vscode: N passed, N failed`; exit 1 if any failed.

import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { accountsActionsScenario, TREE_KEY } from './accounts_actions.mjs';
import { accountsViewScenario, prepareFixture } from './accounts_view.mjs';
import { PALETTE_KEY, paletteScenario, prepareWorkspace } from './palette_commands.mjs';
import { fillQuickInput } from './ui_helpers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..', '..');
const editorsTests = path.resolve(here, '..');

function argValue(name, fallback) {
  const i = process.argv.indexOf(name);
  return i >= 0 && i + 1 < process.argv.length ? process.argv[i + 1] : fallback;
}

const vsix = path.resolve(argValue('--vsix', path.join(repo, 'editors/vscode/hubspot-ls-linux-x64.vsix')));
const artifacts = path.resolve(argValue('--artifacts', path.join(repo, 'target/editor-artifacts')));
const keep = process.argv.includes('--keep');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';
const codeServer = path.join(editorsTests, 'node_modules/.bin/code-server');
const T = Number(process.env.VSCODE_TEST_TIMEOUT_MS || 20000); // per UI wait
// The longer deadlines of one-off steps, derived from T so that a larger T lengthens them too
// (each at least its old fixed value): the fake HubSpot's start, the extension's install.
const FAKE_START_MS = Math.max(T, 30000);
const INSTALL_MS = Math.max(6 * T, 120000);

fs.mkdirSync(artifacts, { recursive: true });
// This run's screenshots and logs only.
for (const f of fs.readdirSync(artifacts)) {
  if (/^vscode-.*\.(png|log)$/.test(f) || f === 'code-server.log') fs.rmSync(path.join(artifacts, f), { force: true });
}

let passed = 0;
let failed = 0;
let shotCount = 0;
let page;

function log(s) {
  process.stdout.write(s + '\n');
}

async function screenshot(name) {
  if (!page) return undefined;
  const file = path.join(artifacts, `vscode-${String(++shotCount).padStart(2, '0')}-${name}.png`);
  try {
    await page.screenshot({ path: file });
    return file;
  } catch {
    return undefined;
  }
}

/** Runs one check: PASS, or FAIL with the reason and a screenshot of the moment. */
async function check(name, fn) {
  const slug = name.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '').toLowerCase().slice(0, 60);
  const t0 = Date.now();
  try {
    await fn();
    const shot = await screenshot(slug);
    passed++;
    log(`PASS vscode: ${name} (${Date.now() - t0} ms)${shot ? ` [${path.relative(repo, shot)}]` : ''}`);
  } catch (e) {
    const shot = await screenshot(`FAIL-${slug}`);
    failed++;
    log(`FAIL vscode: ${name}: ${e && e.message ? e.message : e}${shot ? `\n     screenshot: ${shot}` : ''}`);
  }
}

/** Polls `fn` until it returns a truthy value; throws `what` (with the last value seen) on time-out. */
// Every wait polls for a state; none is shorter than the configurable deadline T (a longer
// one is kept where a first start needs it), so a loaded machine only makes a run slower.
async function waitFor(what, fn, timeout = T, interval = 200) {
  timeout = Math.max(timeout, T);
  const end = Date.now() + timeout;
  let last;
  let lastError;
  while (Date.now() < end) {
    try {
      last = await fn();
      if (last) return last;
    } catch (e) {
      lastError = e;
    }
    await new Promise((r) => setTimeout(r, interval));
  }
  const seen = lastError ? `; last error: ${lastError.message}` : last !== undefined ? `; last seen: ${JSON.stringify(last)}` : '';
  throw new Error(`timed out after ${timeout} ms waiting for ${what}${seen}`);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// ---------------------------------------------------------------------------------------------
// The machine: a temp home with a broken global config, a project, code-server's own dirs.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'hubspot-ls-vscode-'));
const ws = path.join(tmp, 'ws'); // the workspace: home/ (HOME) and project/
const home = path.join(ws, 'home');
fs.cpSync(path.join(editorsTests, 'fixtures'), ws, { recursive: true });
fs.chmodSync(path.join(home, '.hscli/config.yml'), 0o600);
prepareFixture(home); // a sandbox with its parent, for the Accounts view
prepareWorkspace(ws); // folders to upload, fetch into and link (palette and view scenarios)
const userData = path.join(tmp, 'code-server/data');
const extDir = path.join(tmp, 'code-server/extensions');
const xdg = path.join(tmp, 'xdg');
for (const d of [userData, extDir, xdg, path.join(userData, 'User')]) fs.mkdirSync(d, { recursive: true });

const env = {
  ...process.env,
  HOME: home,
  XDG_CONFIG_HOME: path.join(xdg, 'config'),
  XDG_DATA_HOME: path.join(xdg, 'data'),
  XDG_CACHE_HOME: path.join(xdg, 'cache'),
  XDG_STATE_HOME: path.join(xdg, 'state'),
  HUBSPOT_LS_LOG: process.env.HUBSPOT_LS_LOG || 'info',
};
// No hubspot-ls on PATH: the server that answers must be the one bundled in the .vsix.
env.PATH = (env.PATH || '').split(path.delimiter).filter((d) => d && !fs.existsSync(path.join(d, 'hubspot-ls'))).join(path.delimiter);
delete env.HUBSPOT_CONFIG_PATH;
delete env.USE_ENVIRONMENT_HUBSPOT_CONFIG;
delete env.VSCODE_IPC_HOOK_CLI;

// The fake HubSpot (tests/fake-hubspot) answers the commands' API calls: the extension's
// `hubspot.apiUrl` points the server at it, so secrets and authentication really complete.
const fakeBin = argValue('--fake', '');
if (!fakeBin || !fs.existsSync(fakeBin)) throw new Error(`--fake <fake-hubspot binary> is required (got ${JSON.stringify(fakeBin)})`);
const fake = spawn(fakeBin, ['--port', '0', '--parent-pid', String(process.pid)], { stdio: ['ignore', 'pipe', 'inherit'] });
const fakeUrl = await new Promise((resolve, reject) => {
  let buf = '';
  const timer = setTimeout(() => reject(new Error(`fake-hubspot did not start within ${FAKE_START_MS} ms`)), FAKE_START_MS);
  fake.stdout.on('data', (d) => {
    buf += d;
    const m = buf.match(/listening on (http:\/\/\S+)/);
    if (m) {
      clearTimeout(timer);
      resolve(m[1]);
    }
  });
  fake.on('exit', (c) => reject(new Error(`fake-hubspot exited with ${c}`)));
});
async function fakeAdmin(method, p, body) {
  const r = await fetch(fakeUrl + p, { method, headers: { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  if (!r.ok) throw new Error(`fake-hubspot ${method} ${p}: ${r.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
// The fixture's accounts, by their keys, and the one settings.json links without a config entry.
const NEW_PORTAL_KEY = 'pat-na1-55555555-5555-5555-5555-555555555555';
await fakeAdmin('POST', '/__fake/accounts', [
  { hubId: 123456, personalAccessKey: 'pat-na1-00000000-0000-0000-0000-000000000000', hubName: 'Prod Portal', accountType: 'STANDARD' },
  { hubId: 789012, personalAccessKey: 'pat-na1-11111111-1111-1111-1111-111111111111', hubName: 'Sandbox', accountType: 'DEVELOPMENT_SANDBOX' },
  { hubId: 555555, personalAccessKey: NEW_PORTAL_KEY, hubName: 'New Portal', accountType: 'STANDARD' },
  // Authenticated later from the palette and from the Accounts view's title bar.
  { hubId: 666666, personalAccessKey: PALETTE_KEY, hubName: 'Palette Portal', accountType: 'STANDARD' },
  { hubId: 777777, personalAccessKey: TREE_KEY, hubName: 'Tree Portal', accountType: 'STANDARD' },
]);

// code-server is a remote window: machine-scoped settings (hubspot.apiUrl is
// machine-overridable) count only in the remote ("Machine") settings, as in any remote window.
fs.mkdirSync(path.join(userData, 'Machine'), { recursive: true });
fs.writeFileSync(path.join(userData, 'Machine/settings.json'), JSON.stringify({ 'hubspot.apiUrl': fakeUrl }, null, 2));
fs.writeFileSync(
  path.join(userData, 'User/settings.json'),
  JSON.stringify(
    {
      'hubspot.trace.server': 'messages',
      'workbench.startupEditor': 'none',
      'workbench.tips.enabled': false,
      'workbench.welcomePage.walkthroughs.openOnInstall': false,
      'workbench.enableExperiments': false,
      'security.workspace.trust.enabled': false,
      'telemetry.telemetryLevel': 'off',
      'extensions.ignoreRecommendations': true,
      'extensions.autoCheckUpdates': false,
      'extensions.autoUpdate': false,
      'update.mode': 'none',
      'chat.disableAIFeatures': true,
      'chat.commandCenter.enabled': false,
      'workbench.secondarySideBar.defaultVisibility': 'hidden',
      'git.enabled': false,
      'editor.minimap.enabled': false,
      'editor.suggest.showStatusBar': true,
      'files.autoSave': 'off',
      'window.commandCenter': false,
    },
    null,
    2,
  ),
);

let cs; // code-server, leader of its own process group
let browser;

function stopCodeServer() {
  if (!cs || cs.exitCode !== null) return;
  try {
    process.kill(-cs.pid, 'SIGTERM');
  } catch {
    // already gone
  }
}

function killCodeServerHard() {
  if (!cs) return;
  try {
    process.kill(-cs.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

process.on('exit', killCodeServerHard);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    killCodeServerHard();
    process.exit(2);
  });
}

// ---------------------------------------------------------------------------------------------
// UI helpers

const mod = 'Control';

async function focusEditor() {
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().click({ position: { x: 200, y: 5 } });
}

async function quickInputVisible() {
  return page.locator('.quick-input-widget').evaluate((el) => el && getComputedStyle(el).display !== 'none').catch(() => false);
}

async function closeWidgets() {
  for (let i = 0; i < 3; i++) await page.keyboard.press('Escape');
}

/** Opens `rel` (relative to the workspace) with Quick Open (typing `query`), waiting for its row before choosing it. */
async function openFile(rel, query = rel) {
  const base = path.basename(rel);
  const parent = path.basename(path.dirname(rel));
  // Already open: its tab (Quick Open's list keeps re-rendering rows of open, modified files).
  // Labels read in one pass: a row read one by one can vanish between count and read, and a
  // read of a vanished one waits out the whole deadline.
  const tabs = page.locator('.tabs-container .tab');
  const labels = await tabs.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label') || e.innerText));
  const tab = labels.findIndex((label) => label.split(/[,\n]/)[0].trim() === base);
  let viaTab = false;
  if (tab >= 0) {
    await closeWidgets();
    await tabs.nth(tab).click();
    viaTab = true;
  }
  for (let attempt = 1; !viaTab; attempt++) {
    await closeWidgets();
    await page.keyboard.press(`${mod}+KeyP`);
    await waitFor('the Quick Open box', () => quickInputVisible());
    await fillQuickInput(page, waitFor, query, 'the Quick Open box');
    let row;
    try {
      // The file's row: its name as label, its folder as description. A locator found afresh
      // at each use, since the list keeps re-rendering (rows of open, modified files).
      const match = page.locator('.quick-input-list .monaco-list-row').filter({ hasText: base }).filter({ hasText: parent });
      row = await waitFor(`a Quick Open row for ${rel}`, async () => ((await match.count()) > 0 ? match.first() : false));
    } catch (e) {
      // The first search of a fresh window can come back empty: type the query again.
      if (attempt >= 3) throw e;
      continue;
    }
    try {
      // Bounded by T like every wait: a row that stays unclickable (re-rendered, covered) falls
      // through to the Enter / search-again retry below once T has passed.
      await row.click({ timeout: T });
    } catch (e) {
      // The list re-rendered under the pointer: Enter on the focused row if it is the file,
      // else search again.
      const focused = await page.locator('.quick-input-list .monaco-list-row.focused').first().innerText().catch(() => '');
      if (focused.includes(base) && focused.includes(parent)) {
        await page.keyboard.press('Enter');
        break;
      }
      if (attempt >= 3) throw e;
      continue;
    }
    break;
  }
  await waitFor(`the editor for ${rel} (window title and breadcrumbs)`, async () => {
    const title = await page.title();
    const crumbs = await page.locator('.breadcrumbs-control').first().innerText().catch(() => '');
    return title.replace(/^[●•*]\s*/, '').startsWith(base) && crumbs.includes(parent) ? title : false;
  });
  await waitFor(`the text of ${rel} in the editor`, async () =>
    (await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText()).trim().length > 0,
  );
}

/** Ctrl+G line:col. */
async function gotoLine(line, col) {
  await focusEditor();
  await page.keyboard.press(`${mod}+KeyG`);
  await waitFor('the Go to Line box', () => quickInputVisible());
  await fillQuickInput(page, waitFor, `:${line}:${col}`, 'the Go to Line box');
  await page.keyboard.press('Enter');
  await waitFor(`the cursor at ${line}:${col}`, async () => {
    const txt = await page.locator('.statusbar-item', { hasText: /Ln \d+, Col \d+/ }).first().innerText();
    return txt.includes(`Ln ${line}, Col ${col}`) ? txt : false;
  });
}

async function openProblems() {
  const panelVisible = await page.locator('.markers-panel').isVisible().catch(() => false);
  if (!panelVisible) {
    await page.keyboard.press(`${mod}+Shift+KeyM`);
    await waitFor('the Problems panel', () => page.locator('.markers-panel').isVisible());
  }
}

/** The Problems panel's rows, as text. */
async function problemRows() {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
    rows.map((r) => (r.innerText || '').replace(/\s+/g, ' ').trim() + ' ' + (r.getAttribute('aria-label') || '')),
  );
}

/** Waits until the Problems panel has a row mentioning every one of `parts` (strings or RegExps). */
async function expectProblem(parts, timeout = T) {
  await openProblems();
  return waitFor(
    `a Problems row with ${parts.map(String).join(' + ')}`,
    async () => {
      const rows = await problemRows();
      const hit = rows.find((r) => parts.every((p) => (p instanceof RegExp ? p.test(r) : r.includes(p))));
      return hit || (rows.length ? false : undefined);
    },
    timeout,
  ).catch(async (e) => {
    const rows = await problemRows().catch(() => []);
    throw new Error(`${e.message.split('; last seen')[0]}; rows: ${JSON.stringify(rows)}`);
  });
}

async function suggestRows() {
  return page
    .locator('.editor-widget.suggest-widget.visible .monaco-list-row')
    .evaluateAll((rows) => rows.map((r) => (r.getAttribute('aria-label') || r.innerText || '').replace(/\s+/g, ' ').trim()));
}

/** The active editor's visible text, with Monaco's non-breaking spaces made plain. */
async function editorText() {
  const t = await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().innerText();
  return t.replace(/\u00a0/g, ' ');
}

const ACTION_ROWS = '.action-widget .monaco-list-row, .context-view .monaco-list-row';

/** Ctrl+. at the cursor: the rows of the quick-fix menu (throws what VS Code says when there are none). */
async function openQuickFixMenu() {
  let pressedAt = 0;
  return waitFor('the quick-fix menu', async () => {
    const rows = await page
      .locator(ACTION_ROWS)
      .evaluateAll((els) => els.map((e) => (e.innerText || e.getAttribute('aria-label') || '').replace(/\s+/g, ' ').trim()));
    if (rows.length) return rows;
    // A busy workbench can lose the key (a code-action request answered before the diagnostics it
    // fixes arrived): press again, now and then, until the menu is there.
    if (Date.now() - pressedAt > 5000) {
      await page.keyboard.press(`${mod}+Period`);
      pressedAt = Date.now();
    }
    const msg = await page.locator('.monaco-editor-overlaymessage').allInnerTexts().catch(() => []);
    if (msg.some((m) => m.trim())) throw new Error(`VS Code says: ${msg.join(' ').trim()}`);
    return false;
  });
}

/** Picks the quick-fix menu row for which `match(text)` holds; throws with the menu's rows otherwise. */
async function chooseQuickFix(rows, match, what) {
  const idx = rows.findIndex(match);
  if (idx < 0) throw new Error(`no quick fix ${what}: ${JSON.stringify(rows)}`);
  await page.locator(ACTION_ROWS).nth(idx).click();
}

async function notifications() {
  return page.locator('.notifications-toasts .notification-toast, .notifications-center .notification-list-item').evaluateAll((els) =>
    els.map((e) => (e.innerText || '').replace(/\s+/g, ' ').trim()),
  );
}

/** Runs a palette command by its title, waiting for the row before Enter. */
async function runPaletteCommand(titleText) {
  await closeWidgets();
  await page.keyboard.press('F1');
  await waitFor('the command palette', () => quickInputVisible());
  await fillQuickInput(page, waitFor, `>${titleText}`, 'the command palette');
  await waitFor(`the palette row "${titleText}"`, async () => {
    const rows = await page.locator('.quick-input-list .monaco-list-row').allInnerTexts();
    return rows.some((r) => r.includes(titleText)) ? rows : false;
  });
  await page.keyboard.press('Enter');
}

// ---------------------------------------------------------------------------------------------

async function main() {
  for (const [what, p] of [
    ['the .vsix (npm run package in editors/vscode)', vsix],
    ['code-server (tests/editors/install.sh)', codeServer],
    ['chromium (apt-get install chromium)', chromiumPath],
  ]) {
    if (!fs.existsSync(p)) throw new Error(`missing ${what}: ${p}`);
  }
  log(`vscode: workspace ${ws}, artifacts ${artifacts}`);

  // Install the extension the way a user does.
  const installOut = execFileSync(codeServer, ['--extensions-dir', extDir, '--user-data-dir', userData, '--install-extension', vsix], {
    env,
    encoding: 'utf8',
    timeout: INSTALL_MS,
  });
  if (!/successfully installed|already installed/i.test(installOut)) throw new Error(`extension install said: ${installOut}`);
  const installed = fs.readdirSync(extDir).filter((d) => d.startsWith('hubspot-ls.hubspot-ls'));
  if (installed.length === 0) throw new Error(`the extension is not in ${extDir}: ${fs.readdirSync(extDir)}`);
  const bundled = path.join(extDir, installed[0], 'server', 'hubspot-ls');
  if (!fs.existsSync(bundled)) throw new Error(`the .vsix has no bundled server (expected ${bundled})`);

  const port = await freePort();
  const csLog = fs.openSync(path.join(artifacts, 'code-server.log'), 'w');
  cs = spawn(
    codeServer,
    [
      '--auth', 'none',
      '--bind-addr', `127.0.0.1:${port}`,
      '--user-data-dir', userData,
      '--extensions-dir', extDir,
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
      '--reconnection-grace-time', '5',
      ws,
    ],
    { env, detached: true, stdio: ['ignore', csLog, csLog] },
  );
  const base = `http://127.0.0.1:${port}`;
  await waitFor('code-server to answer /healthz', async () => {
    if (cs.exitCode !== null) throw new Error(`code-server exited with ${cs.exitCode} (see ${artifacts}/code-server.log)`);
    const r = await fetch(`${base}/healthz`).catch(() => null);
    return r && r.ok;
  }, 60000);

  browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    timeout: Math.max(T, 30000), // Playwright's own default launch deadline is a fixed 30 s
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      // playwright gives every launch a fresh temporary profile (its own --user-data-dir)
    ],
  });
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  page = await context.newPage();
  // Every Playwright action, locator read and screenshot without a timeout of its own (clicks,
  // hovers, innerText, here and in the scenario files) waits on T (at least Playwright's own
  // 30 s), not on a fixed default; the workbench's first load as long as the first-start waits below.
  page.setDefaultTimeout(Math.max(T, 30000));
  page.setDefaultNavigationTimeout(Math.max(T, 60000));
  const consoleErrors = [];
  page.on('pageerror', (e) => consoleErrors.push(String(e)));

  await page.goto(`${base}/?folder=${encodeURIComponent(ws)}`);
  await check('the workbench loads with the workspace', async () => {
    await waitFor('the workbench', () => page.locator('.monaco-workbench').isVisible(), 60000);
    await waitFor('the explorer or the status bar', () => page.locator('#workbench\\.parts\\.statusbar').isVisible(), 30000);
    // The extension host must be up before typing: wait for the explorer to list the workspace.
    await waitFor('the explorer listing the workspace', async () => (await page.locator('.explorer-folders-view .monaco-list-row').count()) > 0);
  });

  // 1. The broken global config: diagnostics with codes in the Problems panel.
  await check('global config: Problems shows `type` for httpTimeout: fast', async () => {
    // HOME is <ws>/home, so VS Code shows the folder as ~/.hscli: search for that part.
    await openFile('home/.hscli/config.yml', '.hscli/config.yml');
    await expectProblem(['httpTimeout', /\btype\b/], 45000); // first file: extension activation + server start
  });
  await check('global config: Problems shows `unknown-key` for colour', async () => {
    await expectProblem(['colour', 'unknown-key']);
  });
  await check('global config: the server is hubspot-ls (source in the Problems row)', async () => {
    await expectProblem(['hubspot-ls', 'httpTimeout']);
  });

  // The name with a space and its quick fix, from the Ctrl+. menu (the lightbulb's menu):
  // exactly `Rename to "my-sandbox"`; applied, the buffer reads my-sandbox and the row goes.
  await check('global config: Problems shows `name-whitespace` for "my sandbox"', async () => {
    await expectProblem(['name-whitespace', 'my sandbox']);
  });
  await check('global config: Ctrl+. on `name: my sandbox` applies "Rename to \"my-sandbox\"" and name-whitespace goes', async () => {
    await gotoLine(27, 13);
    const before = await editorText();
    if (!before.includes('name: my sandbox')) throw new Error(`line 27 is not the account "my sandbox": ${JSON.stringify(before.slice(0, 200))}`);
    const rows = await openQuickFixMenu();
    await screenshot('quickfix-menu-rename');
    await chooseQuickFix(rows, (r) => r.includes('Rename to "my-sandbox"'), 'titled Rename to "my-sandbox"');
    const after = await waitFor('the editor to read `name: my-sandbox`', async () => {
      const t = await editorText();
      return t.includes('name: my-sandbox') && !t.includes('my sandbox') ? t : false;
    });
    // Only the name changed: every other line is as it was (compared as sorted lines: Monaco
    // may reuse line elements out of order).
    const lines = (t) => t.split('\n').sort().join('\n');
    if (lines(after.replace('name: my-sandbox', 'name: my sandbox')) !== lines(before)) {
      throw new Error(`the quick fix changed more than the name: ${JSON.stringify(after)}`);
    }
    await waitFor('name-whitespace to leave the Problems panel', async () => {
      const r = await problemRows();
      return !r.some((x) => x.includes('name-whitespace')) && r.some((x) => x.includes('unknown-key'));
    });
    // Saved, as a user would: the commands below write this file on disk, and an unsaved
    // buffer (whose text the server uses) would hide their change.
    await page.keyboard.press(`${mod}+S`);
    await waitFor('config.yml saved', () => fs.readFileSync(path.join(home, '.hscli/config.yml'), 'utf8').includes('name: my-sandbox'));
  });

  // 2. settings.json: an unknown linked id, then completion of account ids.
  await check('settings.json: Problems shows `linked-account-unknown` for 555555', async () => {
    await openFile('project/.hs/settings.json');
    await expectProblem(['555555', 'linked-account-unknown']);
  });
  // Its "Authenticate…" quick fix, before the completion below edits this buffer.
  await authActionScenario();
  await check('settings.json: Ctrl+Space after "localDefaultAccount": lists 789012 sandbox', async () => {
    await gotoLine(3, 26);
    await page.keyboard.press('Shift+End');
    await page.keyboard.press('Delete');
    await page.keyboard.press(`${mod}+Space`);
    let rows;
    try {
      rows = await waitFor('the suggest widget with 789012', async () => {
        const r = await suggestRows();
        return r.some((x) => x.includes('789012')) ? r : r.length ? false : undefined;
      });
    } catch (e) {
      // Trigger again once: the first request may race the edit.
      await page.keyboard.press('Escape');
      await page.keyboard.press(`${mod}+Space`);
      rows = await waitFor('the suggest widget with 789012 (second try)', async () => {
        const r = await suggestRows();
        return r.some((x) => x.includes('789012')) ? r : r.length ? false : undefined;
      });
    }
    await screenshot('completion-widget');
    if (!rows.some((r) => r.includes('789012') && r.includes('sandbox'))) {
      // The name may be in the details pane of the focused row; look at the whole widget.
      const widget = await page.locator('.editor-widget.suggest-widget.visible').innerText();
      if (!widget.includes('sandbox')) throw new Error(`no completion entry shows the name sandbox: ${JSON.stringify(rows)}`);
    }
    await page.keyboard.press('Escape');
  });

  // 3. .hsaccount holding a name: the diagnostic and its quick fix.
  await check('.hsaccount: Problems shows `hsaccount-invalid` for a name', async () => {
    await openFile('project/theme/.hsaccount');
    await expectProblem(['hsaccount-invalid', 'prod-portal']);
  });
  await check('.hsaccount: Ctrl+. offers a quick fix writing 123456, and applying it fixes the file', async () => {
    await gotoLine(1, 1);
    const actions = await openQuickFixMenu();
    await screenshot('quickfix-menu');
    await chooseQuickFix(actions, (a) => a.includes('123456'), 'mentions 123456');
    await waitFor('the editor to read 123456', async () => {
      const text = await editorText();
      return text.includes('123456') ? text : false;
    });
    await waitFor('hsaccount-invalid to leave the Problems panel', async () => {
      const rows = await problemRows();
      return !rows.some((r) => r.includes('hsaccount-invalid'));
    });
  });

  // 4. The extension's own UI.
  await check('status bar shows the account in force (HubSpot: prod-portal)', async () => {
    await openFile('project/.hs/settings.json');
    let shown;
    await waitFor('a HubSpot status bar item naming prod-portal', async () => {
      const items = await page.locator('#workbench\\.parts\\.statusbar .statusbar-item').allInnerTexts();
      shown = items.find((t) => t.includes('HubSpot'));
      return shown && shown.includes('prod-portal') ? shown : false;
    }).catch((e) => {
      throw new Error(`${e.message.split('; last seen')[0]}; the status bar shows: ${shown === undefined ? 'no HubSpot item' : JSON.stringify(shown.trim())}`);
    });
  });
  await check('palette: "HubSpot: Authenticate an account" asks for the key in a masked input', async () => {
    await runPaletteCommand('HubSpot: Authenticate an account');
    await waitFor('a password input box', async () => {
      const type = await page.locator('.quick-input-widget .quick-input-box input').first().getAttribute('type');
      return type === 'password';
    });
    await page.keyboard.press('Escape');
  });
  await check('palette: "HubSpot: Add secret" asks the name in plain text, then the value masked', async () => {
    await runPaletteCommand('HubSpot: Add secret');
    // With several accounts, an account picker comes first: keep the account in force.
    const widgetText = () => page.locator('.quick-input-widget').innerText().catch(() => '');
    await waitFor('the account picker or the name prompt', async () => {
      const t = await widgetText();
      return (await quickInputVisible()) && (/account in force/i.test(t) || /Secret name/.test(t));
    });
    if (/account in force/i.test(await widgetText())) {
      await page.keyboard.press('Enter');
    }
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await waitFor('the "Secret name" prompt', async () => /Secret name/.test(await widgetText()));
    if ((await input.getAttribute('type')) === 'password') throw new Error('the secret name is masked');
    await fillQuickInput(page, waitFor, 'MY_TOKEN', 'the "Secret name" prompt');
    await page.keyboard.press('Enter');
    await waitFor('the "Value of MY_TOKEN" prompt', async () => /Value of MY_TOKEN/.test(await widgetText()));
    if ((await input.getAttribute('type')) !== 'password') throw new Error('the secret value is not masked');
    await fillQuickInput(page, waitFor, 's3cr3t-value-123', 'the secret value prompt');
    await screenshot('secret-value-masked');
    await page.keyboard.press('Enter');
    const n = await waitFor('a notification about the secret', async () => {
      const all = await notifications();
      return all.find((t) => /HubSpot: (Added secret|Add secret failed)/.test(t)) || false;
    });
    const everything = (await notifications()).join(' ') + (await page.locator('body').innerText());
    if (everything.includes('s3cr3t-value-123')) throw new Error('the secret value is visible on screen');
    if (!/Added secret MY_TOKEN/.test(n)) throw new Error(`the notification says: ${n}`);
    // The account in force is prod-portal (123456): the value reached HubSpot there.
    const stored = await fakeAdmin('GET', '/__fake/secrets/123456');
    if (!stored || !stored.values || stored.values.MY_TOKEN !== 's3cr3t-value-123') throw new Error(`HubSpot holds: ${JSON.stringify(stored && stored.names)}`);
  });
  await check('palette: "HubSpot: List accounts" shows both accounts in a notification', async () => {
    await runPaletteCommand('HubSpot: List accounts');
    await waitFor('a notification listing prod-portal and sandbox', async () => {
      const n = await notifications();
      const hit = n.find((t) => t.includes('prod-portal') && t.includes('sandbox'));
      if (hit) return hit;
      const err = n.find((t) => /HubSpot/.test(t) && /failed|not found|error/i.test(t));
      if (err) throw new Error(`the notification says: ${err}`);
      return false;
    });
  });

  // 5. The Accounts view (accounts_view.mjs).
  const helpers = {
    page, check, waitFor, screenshot, notifications, runPaletteCommand, closeWidgets, quickInputVisible, openFile, fakeAdmin, home, artifacts,
    ws, editorText, expectProblem, serverBinary: bundled, T,
  };
  await accountsViewScenario(helpers);

  // 6. Every palette command (palette_commands.mjs), then the view's other actions (accounts_actions.mjs).
  await paletteScenario(helpers);
  await accountsActionsScenario(helpers);

  if (consoleErrors.length) log(`vscode: page errors (not failures): ${consoleErrors.slice(0, 5).join(' | ')}`);
}

/**
 * An "Authenticate…" quick fix on a linked id the global config lacks: its command is
 * hubspot.account.auth without a key, so the extension asks for the key (masked), the server
 * exchanges it with (fake) HubSpot and adds the account, and the finding goes away.
 */
async function authActionScenario() {
  await check('auth code action: Ctrl+. on 555555 → Authenticate → masked key → account added → linked-account-unknown goes', async () => {
    await openFile('project/.hs/settings.json');
    await expectProblem(['555555', 'linked-account-unknown'], 45000);
    // `  "accounts": [123456, 555555],`: the finding's range starts at Ln 2, Col 24.
    await gotoLine(2, 27);
    const rows = await openQuickFixMenu();
    await chooseQuickFix(rows, (r) => /^Authenticate/.test(r), 'titled Authenticate…');
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await waitFor('a masked key input', async () => (await quickInputVisible()) && (await input.getAttribute('type')) === 'password');
    await screenshot('auth-key');
    await fillQuickInput(page, waitFor, NEW_PORTAL_KEY, 'the key prompt');
    await page.keyboard.press('Enter');
    const n = await waitFor('the Authenticated notification', async () => {
      const all = await notifications();
      const err = all.find((t) => /HubSpot: .*failed/i.test(t));
      if (err) throw new Error(`the notification says: ${err}`);
      return all.find((t) => /HubSpot: Authenticated/.test(t)) || false;
    });
    await waitFor('linked-account-unknown for 555555 to leave the Problems panel', async () => {
      const r = await problemRows();
      return !r.some((x) => x.includes('555555') && x.includes('linked-account-unknown'));
    });
    const config = fs.readFileSync(path.join(home, '.hscli/config.yml'), 'utf8');
    if (!/accountId: 555555/.test(config)) throw new Error('the account is not in the global config');
    const screen = (await notifications()).join(' ') + (await page.locator('body').innerText());
    if (screen.includes(NEW_PORTAL_KEY)) throw new Error('the key is visible on screen');
    log(`     (${n})`);
  });
}

let fatal;
const started = Date.now();
try {
  await main();
} catch (e) {
  fatal = e;
  const shot = await screenshot('FATAL');
  failed++;
  log(`FAIL vscode: harness: ${e && e.stack ? e.stack : e}${shot ? `\n     screenshot: ${shot}` : ''}`);
} finally {
  // The server's log, as the extension's output channel recorded it, for failures.
  try {
    const logs = path.join(userData, 'logs');
    const found = [];
    const walk = (d) => {
      for (const f of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, f.name);
        if (f.isDirectory()) walk(p);
        else if (/HubSpot/.test(f.name)) found.push(p);
      }
    };
    if (fs.existsSync(logs)) walk(logs);
    for (const f of found) fs.copyFileSync(f, path.join(artifacts, `vscode-output-${path.basename(f)}`));
  } catch {
    // logs are a convenience
  }
  if (browser) await browser.close().catch(() => {});
  fake.kill();
  stopCodeServer();
  if (cs) {
    const gone = await waitFor('code-server to stop', () => cs.exitCode !== null || cs.signalCode !== null, T, 100).catch(() => false);
    if (!gone) log(`vscode: code-server did not stop on SIGTERM within ${T} ms; killing its process group`);
    killCodeServerHard(); // whatever of the group is left (extension host, language server)
  }
  if (!keep) fs.rmSync(tmp, { recursive: true, force: true });
  else log(`vscode: kept ${tmp}`);
}
log(`vscode: finished in ${((Date.now() - started) / 1000).toFixed(1)} s`);
log(`vscode: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 && !fatal ? 0 : 1);

// Every palette command of the extension (package.json `contributes.commands` without a
// `when: false` palette entry) run in code-server as a user runs it, each checked where a user
// would notice it: the files on disk, the fake HubSpot's state (its /__fake admin API), the
// notification's text, an editor's content, the Problems panel, the output panel.
//
// Run by test_vscode.mjs after the Accounts view scenario; the helpers come in `t`.

import fs from 'node:fs';
import path from 'node:path';
import { filesUnder, fillQuickInput, makeUi, serverPids, uploadsUnder } from './ui_helpers.mjs';

export const PALETTE_KEY = 'pat-na1-66666666-6666-6666-6666-666666666666';
const SCOPES = ['cms.functions.read_write', 'files', 'sandboxes.write'];

/** Files the palette and view scenarios upload, fetch into or act for, beside the fixture's. */
export function prepareWorkspace(ws) {
  fs.mkdirSync(path.join(ws, 'site/css'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'site/index.html'), '<!doctype html>\n<title>site for hubspot-ls</title>\n');
  fs.writeFileSync(path.join(ws, 'site/css/main.css'), 'body { color: #ff7a59; }\n');
  fs.mkdirSync(path.join(ws, 'fetched'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'fetched/README.txt'), 'files fetched from the fake HubSpot land here\n');
  fs.mkdirSync(path.join(ws, 'linked'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'linked/linked.txt'), 'a folder the palette links accounts to\n');
  fs.mkdirSync(path.join(ws, 'app'), { recursive: true });
  fs.writeFileSync(path.join(ws, 'app/app.txt'), 'a folder with no HubSpot file, for links made from the Accounts view\n');
}

export async function paletteScenario(t) {
  const { page, check, waitFor, openFile, fakeAdmin, home, ws, editorText, expectProblem, serverBinary } = t;
  const ui = makeUi(t);
  const { runPalette, pickRow, pickMany, answer, modal, clearNotifications, notification, expectNotShown } = ui;
  const configPath = path.join(home, '.hscli/config.yml');
  const config = () => fs.readFileSync(configPath, 'utf8');
  const readJson = (p) => JSON.parse(fs.readFileSync(p, 'utf8'));
  const projectSettings = path.join(ws, 'project/.hs/settings.json');
  const linkedSettings = path.join(ws, 'linked/.hs/settings.json');

  await check('palette: "Show the account in force here" names prod-portal for the project', async () => {
    await openFile('project/.hs/settings.json');
    await clearNotifications();
    await runPalette('HubSpot: Show the account in force here');
    const n = await notification(/HubSpot: Account in force:/);
    if (!/Account in force: prod-portal \(123456\), from \S/.test(n)) throw new Error(`the notification says: ${n}`);
  });

  await check('palette: "Account info" on new-portal shows its name, id and scopes, and no key', async () => {
    await clearNotifications();
    await runPalette('HubSpot: Account info');
    await pickRow('new-portal');
    const n = await notification(/HubSpot: new-portal \(555555\)/);
    const scopes = n.match(/scopes: (.+?)\.(?:\s|$)/);
    if (!scopes || scopes[1].split(', ').sort().join() !== SCOPES.join()) throw new Error(`the scopes shown: ${n}`);
    if (/pat-na1|accessToken|fake-access-token/.test(n)) throw new Error(`a credential is in the notification: ${n}`);
  });

  await fakeAdmin('POST', '/__fake/secrets/123456', { key: 'OTHER_SECRET', secret: 'other-value' });
  await check('palette: "List secrets" lists the secrets HubSpot holds for the account in force', async () => {
    const held = (await fakeAdmin('GET', '/__fake/secrets/123456')).names;
    await clearNotifications();
    await runPalette('HubSpot: List secrets');
    await pickRow('The account in force here');
    const n = await notification(/HubSpot: Secrets:/);
    const shown = n.match(/Secrets: ([^.]*)\./)[1].split(', ').sort();
    if (shown.join() !== [...held].sort().join() || held.length < 2) throw new Error(`HubSpot holds ${JSON.stringify(held)}; the notification says: ${n}`);
    if (/other-value|s3cr3t/.test(n)) throw new Error(`a secret value is in the notification: ${n}`);
  });

  await check('palette: "Update secret" picks MY_TOKEN, asks the new value masked, and HubSpot has it', async () => {
    const value = 'n3w-s3cr3t-456';
    await clearNotifications();
    await runPalette('HubSpot: Update secret');
    await pickRow('The account in force here');
    await pickRow('MY_TOKEN');
    await answer(/New value of MY_TOKEN/, value, { masked: true });
    await notification(/HubSpot: Updated secret MY_TOKEN\./);
    const held = await fakeAdmin('GET', '/__fake/secrets/123456');
    if (held.values.MY_TOKEN !== value) throw new Error(`HubSpot's MY_TOKEN is not the new value (names: ${JSON.stringify(held.names)})`);
    await expectNotShown(value, 'the new value');
  });

  await check('palette: "Delete secret" asks for confirmation and HubSpot no longer has OTHER_SECRET', async () => {
    await clearNotifications();
    await runPalette('HubSpot: Delete secret');
    await pickRow('The account in force here');
    await pickRow('OTHER_SECRET');
    await modal(/Delete the secret OTHER_SECRET\?/, 'Delete');
    await notification(/HubSpot: Deleted secret OTHER_SECRET\./);
    const held = await fakeAdmin('GET', '/__fake/secrets/123456');
    if (held.names.includes('OTHER_SECRET') || !held.names.includes('MY_TOKEN')) throw new Error(`HubSpot holds ${JSON.stringify(held.names)}`);
  });

  await check('palette: "API request" POSTs a JSON body and opens the response in an editor', async () => {
    await clearNotifications();
    await runPalette('HubSpot: API request');
    await answer(/Path/, '/crm/v3/objects/contacts');
    await pickRow('POST');
    await answer(/JSON body/, '{"email":"ada@example.com"}');
    await pickRow('prod-portal');
    await notification(/HubSpot: POST \/crm\/v3\/objects\/contacts: 200/);
    // The fake echoes the request: the editor shows what reached HubSpot.
    const text = await waitFor('an editor with the echoed request', async () => {
      const t = await editorText();
      return t.includes('"/crm/v3/objects/contacts"') ? t : false;
    });
    if (!/"method": "POST"/.test(text) || !/"email": "ada@example\.com"/.test(text)) throw new Error(`the editor shows: ${text}`);
    await runPalette('View: Revert and Close Editor');
  });

  await check('palette: "Use account" in the project sets its local default to new-portal (.hs/settings.json on disk)', async () => {
    await openFile('project/.hs/settings.json');
    await clearNotifications();
    await runPalette('HubSpot: Use account (set default)');
    await pickRow('new-portal');
    await notification(/HubSpot: Now using new-portal/);
    await waitFor('localDefaultAccount 555555 on disk', () => readJson(projectSettings).localDefaultAccount === 555555);
    if (!/^defaultAccount: (sandbox|789012)\s*$/m.test(config())) throw new Error('the global default changed too');
  });

  await check('palette: "Upload to the Design Manager" uploads the active file to prod-portal (the fake has its bytes)', async () => {
    await openFile('site/index.html');
    await clearNotifications();
    await runPalette('HubSpot: Upload to the Design Manager');
    await pickRow(/The active file$/);
    await answer(/Destination in the Design Manager/, 'palette/index.html');
    await pickRow('prod-portal');
    await notification(/HubSpot: Uploaded 1 file\(s\) to palette\/index\.html\./);
    const got = uploadsUnder((await fakeAdmin('GET', '/__fake/uploads')).uploads, 123456, 'palette');
    const want = fs.readFileSync(path.join(ws, 'site/index.html'), 'utf8');
    if (got.get('index.html') !== want) throw new Error(`HubSpot got: ${JSON.stringify([...got])}`);
  });

  await check('palette: "Fetch from the Design Manager" writes the fetched file into the chosen folder', async () => {
    const content = 'fetched from the fake HubSpot\n';
    await fakeAdmin('POST', '/__fake/files', { hubId: 123456, path: 'fetch-me/hello.txt', content });
    await clearNotifications();
    await runPalette('HubSpot: Fetch from the Design Manager');
    await answer(/File or folder in the Design Manager/, 'fetch-me');
    await chooseFolderInDialog(t, ui, path.join(ws, 'fetched'));
    await pickRow('Keep existing files');
    await pickRow('prod-portal');
    await notification(/HubSpot: Fetched 1 file\(s\)/);
    const files = filesUnder(path.join(ws, 'fetched'));
    const hit = [...files].find(([p]) => p.endsWith('hello.txt'));
    if (!hit || hit[1] !== content) throw new Error(`fetched/ holds: ${JSON.stringify([...files.keys()])}`);
  });

  await check('palette: "Link accounts to a folder" links prod-portal and sandbox to linked/ with sandbox as local default', async () => {
    await openFile('linked/linked.txt');
    await clearNotifications();
    await runPalette('HubSpot: Link accounts to a folder');
    await pickRow('Folder of the active file');
    await pickMany(['prod-portal', 'sandbox']);
    await pickRow('sandbox', 'the local default picker');
    await notification(/HubSpot: Linked 123456, 789012 to .*linked\./);
    const s = await waitFor('linked/.hs/settings.json', () => fs.existsSync(linkedSettings) && readJson(linkedSettings));
    if ([...s.accounts].sort().join() !== '123456,789012' || s.localDefaultAccount !== 789012) throw new Error(`linked/.hs/settings.json: ${JSON.stringify(s)}`);
  });

  await check('palette: "Unlink accounts from a folder" unlinks sandbox from linked/ (settings.json on disk)', async () => {
    await clearNotifications();
    await runPalette('HubSpot: Unlink accounts from a folder');
    await pickRow('Folder of the active file');
    await pickMany(['sandbox']);
    await notification(/HubSpot: Unlinked 789012 from .*linked\./);
    const s = readJson(linkedSettings);
    if (s.accounts.join() !== '123456' || JSON.stringify(s).includes('789012')) throw new Error(`linked/.hs/settings.json: ${JSON.stringify(s)}`);
  });

  // The .hsaccount becomes a link, made the local default, in the nearest .hs/settings.json
  // (project/'s, whose local default "Use account" made new-portal above), and is deleted.
  await check('palette: "Migrate .hsaccount" makes its 123456 the local default of project/.hs/settings.json and deletes it', async () => {
    await openFile('project/theme/.hsaccount');
    // The quick fix above left 123456 in the buffer: saved, as a user would before migrating.
    await page.keyboard.press('Control+S');
    await waitFor('.hsaccount saved with 123456', () => fs.readFileSync(path.join(ws, 'project/theme/.hsaccount'), 'utf8').trim() === '123456');
    await clearNotifications();
    await runPalette('HubSpot: Migrate .hsaccount to .hs/settings.json');
    await notification(/HubSpot: Migrated .*\.hsaccount to \.hs\/settings\.json\./);
    const s = await waitFor('localDefaultAccount 123456 in project/.hs/settings.json', () => readJson(projectSettings).localDefaultAccount === 123456 && readJson(projectSettings));
    if (!s.accounts.includes(123456)) throw new Error(`project/.hs/settings.json: ${JSON.stringify(s)}`);
    if (fs.existsSync(path.join(ws, 'project/theme/.hsaccount'))) throw new Error('the .hsaccount is still there');
  });

  await check('palette: "Authenticate an account" adds palette-portal from the masked key, name, env and default answers', async () => {
    await clearNotifications();
    await runPalette('HubSpot: Authenticate an account (personal access key)');
    await answer(/Personal access key/, PALETTE_KEY, { masked: true });
    await answer(/Account name/, 'palette-portal');
    await pickRow('prod');
    await pickRow('No');
    await notification(/HubSpot: Authenticated palette-portal \(666666\)/);
    if (!/- name: palette-portal\n\s+accountId: 666666\n/.test(config())) throw new Error('palette-portal is not in the global config');
    if (!/^defaultAccount: (sandbox|789012)\s*$/m.test(config())) throw new Error('the default changed though "No" was answered');
    await expectNotShown(PALETTE_KEY, 'the key');
  });

  await check('palette: "Remove inactive accounts" previews, then removes the account HubSpot reports inactive', async () => {
    await fakeAdmin('POST', '/__fake/portal-state', { hubId: 666666, state: 'inactive' });
    const before = config();
    await clearNotifications();
    await runPalette('HubSpot: Remove inactive accounts');
    await pickRow('Preview');
    await notification(/HubSpot: Would remove: 666666\./);
    if (config() !== before) throw new Error('the preview changed the config');
    await clearNotifications();
    await runPalette('HubSpot: Remove inactive accounts');
    await pickRow('Remove inactive accounts');
    await notification(/HubSpot: Removed: 666666\./);
    if (/accountId: 666666/.test(config())) throw new Error('palette-portal is still in the config');
    if (!/accountId: 123456/.test(config()) || !/accountId: 555555/.test(config())) throw new Error('an active account went too');
  });

  await check('palette: "Migrate hubspot.config.yml" merges legacy/ into the global config and archives the old file', async () => {
    await clearNotifications();
    await runPalette('HubSpot: Migrate hubspot.config.yml to the global config');
    await modal(/Migrate .*hubspot\.config\.yml into the global config\?/, 'Migrate');
    await notification(/HubSpot: Migrated to /);
    if (!/name: old-portal\n\s+accountId: 111111/.test(config())) throw new Error('old-portal is not in the global config');
    if (fs.existsSync(path.join(ws, 'legacy/hubspot.config.yml'))) throw new Error('legacy/hubspot.config.yml is still there');
    if (!fs.existsSync(path.join(ws, 'legacy/archived.hubspot.config.yml'))) throw new Error('no legacy/archived.hubspot.config.yml');
  });

  await check('palette: "Remove account" asks for confirmation and old-portal leaves the global config', async () => {
    await clearNotifications();
    await runPalette('HubSpot: Remove account');
    await pickRow('old-portal');
    await modal(/Remove the HubSpot account old-portal from the global config\?/, 'Remove');
    await notification(/HubSpot: Removed old-portal\./);
    if (/name: old-portal|accountId: 111111/.test(config())) throw new Error(`old-portal is still in the config: ${config()}`);
  });

  await check('palette: "Create a sandbox" makes a standard sandbox of prod-portal (config and fake)', async () => {
    await clearNotifications();
    await runPalette('HubSpot: Create a sandbox');
    await pickRow('prod-portal');
    await pickRow('Standard sandbox');
    await answer(/Sandbox name/, 'Palette Box');
    await notification(/HubSpot: Created the standard sandbox/);
    const entry = await waitFor('palette-box in the config', () => config().match(/- name: palette-box\n(?: {4}.*\n)*/)?.[0] || false);
    if (!/parentAccountId: 123456/.test(entry) || !/accountType: STANDARD_SANDBOX/.test(entry)) throw new Error(`its entry: ${entry}`);
    const fake = await fakeAdmin('GET', '/__fake/sandboxes');
    if (!fake.sandboxes.some((s) => s.name === 'Palette Box' && Number(s.parentHubId) === 123456)) throw new Error(`HubSpot has: ${JSON.stringify(fake)}`);
  });

  await check('palette: "Delete a sandbox" asks, deletes palette-box in HubSpot and the config', async () => {
    const created = (await fakeAdmin('GET', '/__fake/sandboxes')).sandboxes.find((s) => s.name === 'Palette Box');
    await clearNotifications();
    await runPalette('HubSpot: Delete a sandbox');
    await pickRow('palette-box');
    await modal(/Delete the sandbox palette-box/, 'Delete');
    await waitFor('palette-box to leave the config', () => !/name: palette-box/.test(config()));
    const after = (await fakeAdmin('GET', '/__fake/sandboxes')).sandboxes.find((s) => s.sandboxHubId === created.sandboxHubId);
    if (after && !/delet/i.test(String(after.status))) throw new Error(`HubSpot still has it: ${JSON.stringify(after)}`);
  });

  await check('palette: "Show the language server\'s output" shows its channel with the LSP trace', async () => {
    await runPalette('View: Toggle Problems'); // the panel shows something else first
    await waitFor('the Problems panel', () => page.locator('.markers-panel').isVisible());
    await runPalette("HubSpot: Show the language server's output");
    await waitFor('the output panel showing "HubSpot Language Server" with the trace', async () => {
      const panel = page.locator('#workbench\\.parts\\.panel');
      if (await page.locator('.markers-panel').isVisible()) return false;
      const channel = await panel.locator('.monaco-select-box, .output-channel-picker, select').evaluateAll((els) =>
        els.map((e) => e.value || e.getAttribute('title') || e.innerText || '').join(' | '),
      );
      const text = await panel.locator('.monaco-editor .view-lines').first().innerText().catch(() => '');
      return /HubSpot Language Server/.test(channel) && /Sending request|Received response|\[Trace/.test(text);
    });
  });

  await check('palette: "Restart the language server" starts a new server process and the diagnostics come back', async () => {
    await openFile('home/.hscli/config.yml', '.hscli/config.yml');
    await expectProblem(['colour', 'unknown-key']);
    const before = serverPids(serverBinary);
    if (before.length !== 1) throw new Error(`expected one server process, found ${JSON.stringify(before)}`);
    await runPalette('HubSpot: Restart the language server');
    await waitFor('the old server to exit and a new one to run', () => {
      const now = serverPids(serverBinary);
      return !now.includes(before[0]) && now.length === 1;
    });
    await expectProblem(['colour', 'unknown-key']);
    await expectProblem(['httpTimeout', /\btype\b/]);
  });
}

/**
 * Answers code-server's own folder dialog (a quick input, "simple file dialog"): sets the
 * folder's path and accepts it with the dialog's button.
 */
async function chooseFolderInDialog(t, ui, dir) {
  const { page, waitFor, quickInputVisible } = t;
  const input = page.locator('.quick-input-widget .quick-input-box input').first();
  // Ready once it shows its start folder and lists it (before that it may still set its value).
  await waitFor('the folder dialog with its start folder listed', async () => {
    const value = (await quickInputVisible()) ? await input.inputValue() : '';
    return value.length > 1 && value.startsWith('/') && (await ui.quickRows()).length > 0;
  });
  await fillQuickInput(page, waitFor, `${dir}/`, 'the folder dialog');
  // Its own button accepts the path in the input (Enter also opens folders along the path, and
  // an Enter too many answers the next prompt). A click that comes before the dialog has opened
  // the typed folder only opens it, and the dialog stays: click again, now and then, until it
  // closes. (It ignores a click while an accept is under way, so none is taken twice.)
  const button = page.locator('.quick-input-widget .monaco-button', { hasText: /^Fetch here$/ }).first();
  let clickedAt = 0;
  await waitFor(`the folder dialog to accept ${dir}`, async () => {
    if (!(await quickInputVisible()) || (await input.inputValue()) !== `${dir}/`) return true;
    if (Date.now() - clickedAt > 2000 && (await button.isVisible())) {
      clickedAt = Date.now();
      await button.click();
    }
    return false;
  });
}

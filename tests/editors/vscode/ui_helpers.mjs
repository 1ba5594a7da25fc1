// What the palette and Accounts view scenarios do in the workbench besides the helpers of
// test_vscode.mjs: run a palette entry by its exact title, pick a quick-pick row by its exact
// label, answer prompts and modal dialogs, read notifications that came after a clear, and
// find the running server's processes. Every wait is for a state (`waitFor`, deadline T).

import fs from 'node:fs';
import path from 'node:path';

const ROWS = '.quick-input-list .monaco-list-row';
const QUICK_INPUT = '.quick-input-widget .quick-input-box input';

/**
 * Sets the quick input's text to `value` as one edit and waits until it holds exactly that.
 * Keys typed one by one are lost while the input is still taking focus on a loaded machine, and
 * a widget that rewrites its own value meanwhile (the folder dialog filling in its start folder)
 * is given the value again. `what` names the input in a failure (never the value: it may be a key).
 */
export async function fillQuickInput(page, waitFor, value, what = 'the quick input') {
  const input = page.locator(QUICK_INPUT).first();
  await waitFor(`${what} to hold the text set`, async () => {
    if ((await input.inputValue()) !== value) await input.fill(value);
    return (await input.inputValue()) === value;
  });
}

export function makeUi(t) {
  const { page, waitFor, notifications, quickInputVisible, closeWidgets, T } = t;

  /** The visible quick-pick rows: each one's label (without codicons) and whole text. */
  async function quickRows() {
    return page.locator(ROWS).evaluateAll((els) =>
      els.map((e) => {
        const labelEl = e.querySelector('.monaco-icon-label .label-name') || e.querySelector('.monaco-highlighted-label');
        return {
          label: (labelEl ? labelEl.textContent : '').replace(/\s+/g, ' ').trim(),
          text: (e.innerText || '').replace(/\s+/g, ' ').trim(),
          checked: e.getAttribute('aria-checked'),
        };
      }),
    );
  }

  async function quickTitle() {
    return page.locator('.quick-input-widget').innerText().catch(() => '');
  }

  /** Waits for a visible quick-pick row labelled exactly `label` (or matching a RegExp) and clicks it. */
  async function pickRow(label, what = `the quick-pick row "${label}"`) {
    const want = label instanceof RegExp ? { source: label.source, flags: label.flags } : { exact: label };
    let seen = [];
    for (let attempt = 1; ; attempt++) {
      const token = `pick-${Date.now()}-${attempt}`;
      await waitFor(what, async () => {
        if (!(await quickInputVisible())) return false;
        // Marks the row to click: the list re-renders, so an index may name another row by then.
        const r = await page.locator(ROWS).evaluateAll(
          (els, [w, tok]) => {
            const labels = [];
            let hit = false;
            for (const e of els) {
              if (!e.offsetParent) continue;
              const l = e.querySelector('.monaco-icon-label .label-name') || e.querySelector('.monaco-highlighted-label');
              const text = (l ? l.textContent : '').replace(/\s+/g, ' ').trim();
              labels.push(text);
              const ok = w.exact !== undefined ? text === w.exact : new RegExp(w.source, w.flags).test(text);
              if (ok && !hit) {
                e.setAttribute('data-hs-pick', tok);
                hit = true;
              }
            }
            return { labels, hit };
          },
          [want, token],
        );
        seen = r.labels;
        return r.hit;
      }).catch((e) => {
        throw new Error(`${e.message.split('; last seen')[0]}; rows: ${JSON.stringify(seen)}`);
      });
      try {
        await page.locator(`[data-hs-pick="${token}"]`).click({ timeout: T });
        return;
      } catch (e) {
        if (attempt >= 3) throw new Error(`clicking ${what}: ${e.message.split('\n')[0]}; rows: ${JSON.stringify(seen)}`);
      }
    }
  }

  /** Toggles the checkbox rows `labels` of a multi-select quick pick on, then accepts it with OK. */
  async function pickMany(labels) {
    for (const label of labels) {
      await pickRow(label);
      await waitFor(`"${label}" to be checked`, async () => (await quickRows()).some((r) => r.label === label && r.checked === 'true'));
    }
    const rows = await quickRows();
    const extra = rows.filter((r) => r.checked === 'true' && !labels.includes(r.label));
    if (extra.length) throw new Error(`rows checked that were not asked for: ${JSON.stringify(extra.map((r) => r.label))}`);
    // Gone (or replaced by the next picker) before anything else is picked: a row of the same
    // label in this list would otherwise be clicked as the next picker reuses its row elements.
    // Its count of checked rows ("2 Selected") tells it from a single-select picker.
    const count = page.locator('.quick-input-widget .quick-input-count').first();
    await waitFor('the multi-select picker\'s count of checked rows', () => count.isVisible());
    await page.keyboard.press('Enter');
    await waitFor('the multi-select picker to close', async () => !(await quickInputVisible()) || !(await count.isVisible()));
  }

  /** Runs the palette entry titled exactly `title` (not the first fuzzy or recently used match). */
  async function runPalette(title) {
    await closeWidgets();
    await page.keyboard.press('F1');
    await waitFor('the command palette', () => quickInputVisible());
    await fillQuickInput(page, waitFor, `>${title}`, 'the command palette');
    await pickRow(title, `the palette entry "${title}"`);
  }

  /** Waits for an input box whose text mentions `prompt`; checks its masking; sets `value` and presses Enter. */
  async function answer(prompt, value, { masked = false } = {}) {
    const input = page.locator('.quick-input-widget .quick-input-box input').first();
    await waitFor(`the prompt ${prompt}`, async () => (await quickInputVisible()) && prompt.test(await quickTitle()));
    const type = await input.getAttribute('type');
    if (masked && type !== 'password') throw new Error(`the prompt ${prompt} is not masked (type=${type})`);
    if (!masked && type === 'password') throw new Error(`the prompt ${prompt} is masked`);
    // A prompt's default value is selected when it opens, so the answer replaces it either way.
    await fillQuickInput(page, waitFor, value, `the prompt ${prompt}`);
    await page.keyboard.press('Enter');
  }

  /** Waits for the modal dialog saying `text` and presses its button `button`. */
  async function modal(text, button) {
    const dialog = page.locator('.monaco-dialog-box');
    await waitFor(`the modal dialog ${text}`, async () => (await dialog.isVisible()) && text.test(await dialog.innerText()));
    await dialog.locator('.monaco-button', { hasText: new RegExp(`^${button}$`) }).first().click();
    await waitFor('the modal dialog to close', async () => !(await dialog.isVisible()));
  }

  /** Clears every notification (toasts and centre), waiting until none is shown. */
  async function clearNotifications() {
    await runPalette('Notifications: Clear All Notifications');
    await waitFor('no notification left', async () => (await notifications()).length === 0);
  }

  /**
   * Waits for a notification matching `re`; a `HubSpot: … failed` one ends the wait with its text.
   * Call `clearNotifications` before the action, so an older notification cannot answer.
   */
  async function notification(re, what = `a notification matching ${re}`) {
    return waitFor(what, async () => {
      const all = await notifications();
      const hit = all.find((n) => re.test(n));
      if (hit) return hit;
      const err = all.find((n) => /HubSpot: .*failed/i.test(n));
      if (err) throw new Error(`the notification says: ${err}`);
      return false;
    });
  }

  /** Fails when `secret` is anywhere on screen: notifications, inputs, the whole page's text. */
  async function expectNotShown(secret, what) {
    const shown = (await notifications()).join(' ') + (await page.locator('body').innerText());
    const inputs = await page.locator('input, textarea').evaluateAll((els) => els.map((e) => (e.type === 'password' ? '' : e.value)).join(' '));
    if (shown.includes(secret) || inputs.includes(secret)) throw new Error(`${what} is visible on screen`);
  }

  return { quickRows, pickRow, pickMany, runPalette, answer, modal, clearNotifications, notification, expectNotShown };
}

/** The pids of the running servers: processes whose executable is `binary` (the one bundled in the installed extension). */
export function serverPids(binary) {
  const want = fs.realpathSync(binary);
  const pids = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (fs.readlinkSync(path.join('/proc', d, 'exe')) === want) pids.push(Number(d));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids.sort((a, b) => a - b);
}

/** The files of a local folder, as `relative path -> bytes`, for comparing with the fake's uploads. */
export function filesUnder(dir) {
  const out = new Map();
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(path.relative(dir, p).split(path.sep).join('/'), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

/** The fake's uploads under `dest` for `hubId`, as `path below dest -> body`. */
export function uploadsUnder(uploads, hubId, dest) {
  const out = new Map();
  for (const u of uploads) {
    if (Number(u.hubId) !== Number(hubId)) continue;
    const full = `${String(u.folderPath || '').replace(/^\/+|\/+$/g, '')}/${u.fileName}`.replace(/^\/+/, '');
    if (full === dest || full.startsWith(`${dest}/`)) out.set(full === dest ? path.basename(full) : full.slice(dest.length + 1), u.body);
  }
  return out;
}

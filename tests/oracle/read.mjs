// The reference for how configs are read: runs the CLI library's own readers on a list of
// cases in one process and prints what each of them saw, as one line `ORACLE_RESULT <json>`.
//
//   node read.mjs <cases.json>
//
// A case is {id, files: {<path under HOME>: text}, cwd: <dir under HOME>, env: {VAR: value}};
// `{HOME}` in an env value is the case's HOME. For each case HOME is emptied and the files
// written again, so no case sees another's files. The library takes the global config's path
// from os.homedir() once, when it loads: HOME is set before the import and stays the same path.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const casesPath = process.argv[2];
if (!casesPath) {
  console.error('usage: node read.mjs <cases.json>');
  process.exit(2);
}
const cases = JSON.parse(fs.readFileSync(casesPath, 'utf8'));
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-oracle-read-'));
process.env.HOME = home;
const VARS = [
  'HUBSPOT_CONFIG_PATH', 'USE_ENVIRONMENT_HUBSPOT_CONFIG', 'INIT_CWD', 'HUBSPOT_ACCOUNT_ID', 'HUBSPOT_PORTAL_ID',
  'HUBSPOT_PERSONAL_ACCESS_KEY', 'HUBSPOT_API_KEY', 'HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET',
  'HUBSPOT_REFRESH_TOKEN', 'HUBSPOT_ENVIRONMENT', 'HTTP_TIMEOUT',
];

const config = await import('@hubspot/local-dev-lib/config');
const { logger } = await import('@hubspot/local-dev-lib/logger');
// The library logs some failures itself; only the results matter here.
for (const level of ['log', 'info', 'warn', 'error', 'debug', 'success']) {
  if (typeof logger[level] === 'function') logger[level] = () => {};
}

// Values as JSON can carry them; a Date (an unquoted timestamp) is marked, not stringified.
function plain(v) {
  if (v instanceof Date) return { $date: isNaN(v) ? null : v.toISOString() };
  if (typeof v === 'number' && !Number.isFinite(v)) return { $number: String(v) };
  if (typeof v === 'bigint') return { $number: String(v) };
  if (Array.isArray(v)) return v.map(plain);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v === undefined ? null : v;
}

function failure(err) {
  return {
    error: err?.type ?? err?.constructor?.name ?? 'Error',
    cause: typeof err?.cause === 'string' ? err.cause : (err?.cause?.constructor?.name ?? null),
    message: String(err?.message ?? err),
  };
}

function attempt(f) {
  try {
    return { ok: plain(f()) };
  } catch (err) {
    return failure(err);
  }
}

function account(a) {
  if (!a || typeof a !== 'object') return plain(a ?? null);
  return plain({ name: a.name, accountId: a.accountId, authType: a.authType });
}

function clearHome() {
  for (const entry of fs.readdirSync(home)) fs.rmSync(path.join(home, entry), { recursive: true, force: true });
}

function run(c) {
  clearHome();
  for (const [rel, text] of Object.entries(c.files)) {
    const p = path.join(home, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
  const cwd = path.join(home, c.cwd);
  fs.mkdirSync(cwd, { recursive: true });
  process.chdir(cwd);
  for (const v of VARS) delete process.env[v];
  for (const [k, v] of Object.entries(c.env ?? {})) process.env[k] = v.replaceAll('{HOME}', home);
  return {
    id: c.id,
    read: attempt(() => {
      config.getConfig();
      return true;
    }),
    valid: attempt(() => config.validateConfig()),
    default: attempt(() => account(config.getConfigDefaultAccount())),
    defaultIfExists: attempt(() => account(config.getConfigDefaultAccountIfExists())),
    accounts: attempt(() => config.getAllConfigAccounts().map(account)),
    linked: attempt(() => config.getLinkedOrAllConfigAccounts().map(account)),
  };
}

try {
  const results = cases.map(run);
  console.log('ORACLE_RESULT ' + JSON.stringify(results));
} finally {
  process.chdir(os.tmpdir());
  fs.rmSync(home, { recursive: true, force: true });
}

// The reference for our `hs config migrate`: runs the CLI library's own migration or merge
// (LDL config/migrate.js, the functions `hs config migrate` calls) in a throw-away HOME and
// prints what it wrote to the global config, as one line `ORACLE_RESULT <json>`.
//
//   node migrate.mjs <legacy.yml>              migration (no global config yet)
//   node migrate.mjs <legacy.yml> <global.yml> merge into that global config
//
// The merge answers every conflict prompt with "keep the global value", as hubspot-ls does.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const [legacySrc, globalSrc] = process.argv.slice(2).map((p) => path.resolve(p));
if (!legacySrc) {
  console.error('usage: node migrate.mjs <legacy.yml> [<global.yml>]');
  process.exit(2);
}
// LDL computes the global path from os.homedir() when it is loaded: set HOME first.
const home = fs.mkdtempSync(path.join(os.tmpdir(), 'hs-oracle-'));
process.env.HOME = home;
for (const v of ['HUBSPOT_CONFIG_PATH', 'USE_ENVIRONMENT_HUBSPOT_CONFIG']) delete process.env[v];
const project = path.join(home, 'project');
fs.mkdirSync(project);
process.chdir(project);
const legacyPath = path.join(project, 'hubspot.config.yml');
fs.copyFileSync(legacySrc, legacyPath);
const globalPath = path.join(home, '.hscli', 'config.yml');
if (globalSrc) {
  fs.mkdirSync(path.dirname(globalPath), { recursive: true });
  fs.copyFileSync(globalSrc, globalPath);
}

try {
  const migrate = await import('@hubspot/local-dev-lib/config/migrate');
  const config = await import('@hubspot/local-dev-lib/config');
  const yaml = (await import('js-yaml')).default;
  let conflicts = [];
  let skipped = [];
  if (!globalSrc) {
    migrate.migrateConfigAtPath(legacyPath);
  } else {
    const globalConfig = config.getConfig();
    const legacy = migrate.getConfigAtPath(legacyPath);
    const merged = migrate.mergeConfigProperties(globalConfig, legacy, false);
    conflicts = merged.conflicts;
    skipped = migrate.mergeConfigAccounts(merged.configWithMergedProperties, legacy).skippedAccountIds;
  }
  migrate.archiveConfigAtPath(legacyPath);
  const written = yaml.load(fs.readFileSync(globalPath, 'utf8'));
  const result = {
    config: written,
    conflicts,
    skipped,
    archived: fs.existsSync(path.join(project, 'archived.hubspot.config.yml')),
    legacyRemains: fs.existsSync(legacyPath),
  };
  console.log('ORACLE_RESULT ' + JSON.stringify(result));
} finally {
  fs.rmSync(home, { recursive: true, force: true });
}

// `npm run package`: the production bundle, the hubspot-ls binary in server/, and a .vsix for
// this platform (`vsce package --target`), so installing the extension is all a user does.
//
//   HUBSPOT_LS_BINARY=/path/to/hubspot-ls   bundle this binary instead of building one
//   VSCE_TARGET=linux-arm64                 another target than this machine's
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const ext = path.resolve(here, '..');
const repo = path.resolve(ext, '..', '..');
const run = (cmd, args, opts = {}) => execFileSync(cmd, args, { stdio: 'inherit', ...opts });

// VS Code's names for the platforms it publishes for.
const ARCH = { x64: 'x64', arm64: 'arm64', arm: 'armhf' };
const OS = { linux: 'linux', darwin: 'darwin', win32: 'win32' };
const target = process.env.VSCE_TARGET || (OS[process.platform] && ARCH[process.arch] && `${OS[process.platform]}-${ARCH[process.arch]}`);
if (!target) throw new Error(`no VS Code target for ${process.platform}-${process.arch}; set VSCE_TARGET`);
const exe = target.startsWith('win32') ? 'hubspot-ls.exe' : 'hubspot-ls';

let binary = process.env.HUBSPOT_LS_BINARY;
if (!binary) {
  console.log('package: cargo build --release --locked -p hubspot-ls');
  run('cargo', ['build', '--release', '--locked', '-p', 'hubspot-ls'], { cwd: repo });
  const meta = JSON.parse(execFileSync('cargo', ['metadata', '--format-version', '1', '--no-deps'], { cwd: repo, encoding: 'utf8' }));
  binary = path.join(meta.target_directory, 'release', exe);
}
if (!fs.existsSync(binary)) throw new Error(`no hubspot-ls binary at ${binary}`);
fs.rmSync(path.join(ext, 'server'), { recursive: true, force: true });
fs.mkdirSync(path.join(ext, 'server'));
fs.copyFileSync(binary, path.join(ext, 'server', exe));
fs.chmodSync(path.join(ext, 'server', exe), 0o755);
console.log(`package: bundled ${binary} as server/${exe}`);

run('node', ['scripts/build.mjs', '--production'], { cwd: ext });
const out = `hubspot-ls-${target}.vsix`;
const vsce = path.join(ext, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
run(vsce, ['package', '--target', target, '--no-dependencies', '--skip-license', '--allow-missing-repository', '-o', out], { cwd: ext });
console.log(`package: ${path.join(ext, out)}`);

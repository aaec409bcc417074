#!/usr/bin/env node
// `npm start`: builds the PWA when dist/ is missing or older than its sources, then runs the
// server (src/server/main.ts through tsx) and passes signals on so it can stop cleanly.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// Before anything else: on an older Node (Debian 12's own nodejs is 18) GateLog is untested, and
// what it met there was said, if at all, in one yellow line of Vite's among the build's output.
const needed = /(\d+)\.(\d+)/.exec(
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node,
);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < +needed[1] || (major === +needed[1] && minor < +needed[2])) {
  console.error(
    `GateLog needs Node.js ${needed[1]}.${needed[2]} or later; this is Node.js ` +
      `${process.versions.node}. Debian 12's own nodejs package is 18: install Node.js 20 or 22 ` +
      '(from nodejs.org or NodeSource, say), then run npm ci again (its native modules are ' +
      'built for the Node that installs them).',
  );
  process.exit(1);
}
const SOURCES = [
  'index.html',
  'vite.config.ts',
  'package.json',
  'public',
  'src/app',
  'src/sw',
  'src/shared',
];

/** Newest modification time under a file or folder (0 when it does not exist). */
function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const builtIndex = join(root, 'dist', 'index.html');
const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
const sourcesAt = Math.max(...SOURCES.map((s) => newest(join(root, s))));

if (!existsSync(join(root, 'index.html'))) {
  console.warn('start: no index.html in the project yet; serving the API only.');
} else if (builtAt < sourcesAt) {
  console.log(builtAt ? 'start: sources changed, rebuilding the app…' : 'start: building the app…');
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.warn(
      existsSync(builtIndex)
        ? 'start: the build failed; serving the previous build.'
        : 'start: the build failed; serving the API only.',
    );
  }
}

const server = spawn(
  process.execPath,
  ['--import', 'tsx', join(root, 'src', 'server', 'main.ts')],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => server.kill(signal));
}
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

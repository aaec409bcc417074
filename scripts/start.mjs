#!/usr/bin/env node
// `npm start`: builds the PWA when dist/ is missing or older than its sources, then runs the
// server (src/server/main.ts through tsx) and passes signals on so it can stop cleanly. Its
// lines are in the terminal's language, from the command line's catalog (cli-messages.ts).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * The terminal's words as the command line and the server say them (src/server/cli-messages.ts,
 * read through tsx); null where they cannot be read, as on a Node too old for tsx.
 */
async function terminalWords() {
  try {
    const { tsImport } = await import('tsx/esm/api');
    const words = await tsImport('../src/server/cli-messages.ts', import.meta.url);
    return words.sayIn(words.terminalLocale());
  } catch {
    return null;
  }
}
const words = await terminalWords();

// Before building or starting anything: on an older Node (Debian 12's own nodejs is 18) GateLog is untested, and
// what it met there was said, if at all, in one yellow line of Vite's among the build's output.
const needed = /(\d+)\.(\d+)/.exec(
  JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).engines.node,
);
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < +needed[1] || (major === +needed[1] && minor < +needed[2])) {
  const versions = { needed: `${needed[1]}.${needed[2]}`, running: process.versions.node };
  console.error(
    words?.('start.nodeTooOld', versions) ??
      `GateLog needs Node.js ${versions.needed} or later; this is Node.js ${versions.running}.`,
  );
  process.exit(1);
}
/** Past the check above tsx runs here, as the server needs it to: its words are there. */
const say = words ?? ((key) => key);

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
  console.warn(say('start.noApp'));
} else if (builtAt < sourcesAt) {
  console.log(say(builtAt ? 'start.rebuilding' : 'start.building'));
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const build = spawnSync(process.execPath, [vite, 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.warn(say(existsSync(builtIndex) ? 'start.buildFailed' : 'start.buildFailed.apiOnly'));
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

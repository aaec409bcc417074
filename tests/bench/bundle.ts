/**
 * Bundle figures from a production build (the project's own vite.config.ts):
 * - first-load JS of the entry form: the entry chunk index.html loads, every chunk it
 *   modulepreloads, and their static imports — gzip level 9, 1 KB = 1000 bytes;
 * - the precache (the service worker's injected manifest) as transferred: text files gzipped,
 *   images as they are;
 * - the baseline: react + react-dom + dexie + zod/mini + react-hook-form + @hookform/resolvers
 *   + workbox-window and no app code, built with the same build options in a scratch folder;
 * - what the entry chunk is made of, from its source map: per package or app folder, the bytes
 *   and the gzip bytes the chunk loses without them.
 *
 * `--dist <dir>` keeps the production build there (the browser bench serves it).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { TraceMap, decodedMappings } from '@jridgewell/trace-mapping';
import react from '@vitejs/plugin-react';
import { build, loadConfigFromFile, type Plugin, type UserConfig } from 'vite';
import { argValue, log, writeOutput } from './lib/output';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRATCH = join(ROOT, 'bench/results/tmp');

const gz = (data: string | Buffer) => gzipSync(data, { level: 9 }).length;
const kb = (bytes: number) => Math.round(bytes / 10) / 100;

interface ChunkInfo {
  fileName: string;
  isEntry: boolean;
  imports: string[];
  dynamicImports: string[];
  code: string;
  map?: string;
}

/** Keeps the chunk graph of the page build (not the service worker's). */
function chunkCollector(into: Map<string, ChunkInfo>): Plugin {
  return {
    name: 'gatelog-bench-chunks',
    // After every plugin's generateBundle: index.html is emitted late.
    writeBundle(_options, bundle) {
      if (!Object.values(bundle).some((f) => f.fileName === 'index.html')) return;
      for (const f of Object.values(bundle)) {
        if (f.type !== 'chunk') continue;
        into.set(f.fileName, {
          fileName: f.fileName,
          isEntry: f.isEntry,
          imports: f.imports,
          dynamicImports: f.dynamicImports,
          code: f.code,
          map: f.map ? JSON.stringify(f.map) : undefined,
        });
      }
    },
  };
}

/** The JS index.html loads eagerly: its module scripts, modulepreloads, and their static imports. */
function eagerJs(outDir: string, chunks: Map<string, ChunkInfo>): string[] {
  const html = readFileSync(join(outDir, 'index.html'), 'utf8');
  const found = new Set<string>();
  const scripts = [...html.matchAll(/<script[^>]*type="module"[^>]*src="\/?([^"]+)"/g)];
  const preloads = [...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/?([^"]+)"/g)];
  const queue = [...scripts, ...preloads].map((m) => m[1]!);
  while (queue.length) {
    const file = queue.shift()!;
    if (found.has(file)) continue;
    found.add(file);
    queue.push(...(chunks.get(file)?.imports ?? []));
  }
  return [...found];
}

/** The files the service worker precaches, from the manifest injected into sw.js. */
function precacheFiles(outDir: string): string[] {
  const sw = readFileSync(join(outDir, 'sw.js'), 'utf8');
  return [...new Set([...sw.matchAll(/"?url"?:\s*"([^"]+)"/g)].map((m) => m[1]!))];
}

const TEXT = /\.(js|mjs|css|html|svg|webmanifest|json|txt)$/;

/** Bytes on the wire: text gzipped, images (already compressed) as they are. */
function transferBytes(file: string): number {
  const data = readFileSync(file);
  return TEXT.test(file) ? gz(data) : data.length;
}

/** Which package or app folder a source of the map belongs to. */
function groupOf(source: string): string {
  const s = source.replace(/\\/g, '/');
  const nm = /node_modules\/((?:@[^/]+\/)?[^/]+)(\/.*)?$/.exec(s);
  if (nm) {
    if (nm[1] === 'zod')
      return 'zod/' + (/v4\/(core|mini|classic)/.exec(nm[2] ?? '')?.[1] ?? 'other');
    return nm[1]!;
  }
  const app = /src\/(app\/features\/[^/]+|app\/[^/.]+|shared)[/.]/.exec(s);
  if (app) return app[1]!;
  return s.split('/').slice(-2).join('/');
}

interface Share {
  group: string;
  bytes: number;
  /** How much smaller the gzipped chunk is without this group's bytes. */
  gzipBytes: number;
}

/** Splits a chunk's minified code by source map into groups, with each group's gzip share. */
function attribute(code: string, map: string): Share[] {
  const tm = new TraceMap(map);
  const lines = code.split('\n');
  const owner: (string | null)[][] = lines.map((l) =>
    new Array<string | null>(l.length).fill(null),
  );
  decodedMappings(tm).forEach((segments, line) => {
    const own = owner[line];
    if (!own) return;
    for (let i = 0; i < segments.length; i++) {
      const seg = segments[i]!;
      const end = i + 1 < segments.length ? segments[i + 1]![0] : own.length;
      const group = seg.length > 1 ? groupOf(tm.sources[seg[1]!] ?? '?') : '(glue)';
      for (let c = seg[0]; c < end; c++) own[c] = group;
    }
  });
  const total = gz(code);
  const groups = new Map<string, number>();
  owner.forEach((own) =>
    own.forEach((g) => groups.set(g ?? '(glue)', (groups.get(g ?? '(glue)') ?? 0) + 1)),
  );
  const shares: Share[] = [];
  for (const [group, bytes] of groups) {
    const without = lines
      .map((l, li) => [...l].filter((_ch, ci) => (owner[li]![ci] ?? '(glue)') !== group).join(''))
      .join('\n');
    shares.push({ group, bytes, gzipBytes: total - gz(without) });
  }
  return shares.sort((a, b) => b.gzipBytes - a.gzipBytes);
}

/** Adds up the shares of several chunks, group by group. */
function mergeShares(lists: Share[][]): Share[] {
  const sum = new Map<string, Share>();
  for (const s of lists.flat()) {
    const t = sum.get(s.group) ?? { group: s.group, bytes: 0, gzipBytes: 0 };
    t.bytes += s.bytes;
    t.gzipBytes += s.gzipBytes;
    sum.set(s.group, t);
  }
  return [...sum.values()].sort((a, b) => b.gzipBytes - a.gzipBytes);
}

async function projectBuildOptions(): Promise<UserConfig['build']> {
  const loaded = await loadConfigFromFile(
    { command: 'build', mode: 'production' },
    join(ROOT, 'vite.config.ts'),
  );
  return loaded?.config.build ?? {};
}

const BASELINE_MAIN = `
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import Dexie from 'dexie';
import * as z from 'zod/mini';
import { useForm } from 'react-hook-form';
import { zodResolver } from '@hookform/resolvers/zod';
import { Workbox } from 'workbox-window';

const db = new Dexie('baseline');
db.version(1).stores({ items: 'id' });
const schema = z.object({ id: z.string(), name: z.string().check(z.minLength(1)), n: z.optional(z.number()) });
type Item = z.infer<typeof schema>;

function App() {
  const { register, handleSubmit, formState } = useForm<Item>({ resolver: zodResolver(schema) });
  return (
    <form onSubmit={handleSubmit(async (item) => { await db.table('items').put(item); })}>
      <input {...register('name')} />
      {formState.errors.name && <p>{formState.errors.name.message}</p>}
      <button type="submit">Save</button>
    </form>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
if ('serviceWorker' in navigator) void new Workbox('/sw.js').register();
`;

/** Builds the libraries alone (no app code) and returns their first-load JS, gzip bytes. */
async function baseline(): Promise<{ gzipBytes: number; bytes: number; shares: Share[] }> {
  const dir = join(SCRATCH, 'baseline');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><html><body><div id="root"></div><script type="module" src="/main.tsx"></script></body></html>\n',
  );
  writeFileSync(join(dir, 'main.tsx'), BASELINE_MAIN);
  const chunks = new Map<string, ChunkInfo>();
  const outDir = join(dir, 'dist');
  await build({
    configFile: false,
    root: dir,
    logLevel: 'warn',
    plugins: [react(), chunkCollector(chunks)],
    build: { ...(await projectBuildOptions()), outDir, emptyOutDir: true, sourcemap: 'hidden' },
  });
  const files = eagerJs(outDir, chunks);
  const code = files.map((f) => chunks.get(f)?.code ?? '');
  return {
    gzipBytes: code.reduce((s, c) => s + gz(c), 0),
    bytes: code.reduce((s, c) => s + Buffer.byteLength(c), 0),
    shares: mergeShares(
      files.map((f) => {
        const c = chunks.get(f);
        return c?.map ? attribute(c.code, c.map) : [];
      }),
    ),
  };
}

/** Builds the app with the project's config into `outDir`; `maps` adds hidden source maps. */
async function buildApp(outDir: string, maps: boolean): Promise<Map<string, ChunkInfo>> {
  const chunks = new Map<string, ChunkInfo>();
  await build({
    configFile: join(ROOT, 'vite.config.ts'),
    root: ROOT,
    logLevel: 'warn',
    plugins: [chunkCollector(chunks)],
    build: { outDir, emptyOutDir: true, ...(maps && { sourcemap: 'hidden' }) },
  });
  return chunks;
}

async function main() {
  const distDir = resolve(argValue('--dist') ?? join(SCRATCH, 'dist'));
  log(`bundle: building the app into ${relative(ROOT, distDir)}`);
  const chunks = await buildApp(distDir, false);
  const eager = eagerJs(distDir, chunks);
  const eagerGzip = eager.map((f) => ({
    file: f,
    bytes: readFileSync(join(distDir, f)).length,
    gzip: gz(readFileSync(join(distDir, f))),
  }));
  const firstLoadGzip = eagerGzip.reduce((s, f) => s + f.gzip, 0);
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const cssFiles = [...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="\/?([^"]+)"/g)].map(
    (m) => m[1]!,
  );
  const firstLoadCssGzip = cssFiles.reduce((s, f) => s + gz(readFileSync(join(distDir, f))), 0);

  const precache = precacheFiles(distDir).map((f) => ({
    file: f,
    bytes: readFileSync(join(distDir, f)).length,
    transfer: transferBytes(join(distDir, f)),
  }));
  const precacheGzip = precache.reduce((s, f) => s + f.transfer, 0);
  const swGzip = existsSync(join(distDir, 'sw.js')) ? gz(readFileSync(join(distDir, 'sw.js'))) : 0;

  log('bundle: building again with source maps, for the breakdown');
  const mapped = await buildApp(join(SCRATCH, 'dist-maps'), true);
  const shares = mergeShares(
    eagerJs(join(SCRATCH, 'dist-maps'), mapped).map((f) => {
      const c = mapped.get(f);
      return c?.map ? attribute(c.code, c.map) : [];
    }),
  );

  log('bundle: building the library baseline');
  const base = await baseline();

  const appShare = shares.filter((s) => s.group.startsWith('app') || s.group === 'shared');
  writeOutput({
    metrics: {
      firstLoadJsGzipKB: kb(firstLoadGzip),
      firstLoadCssGzipKB: kb(firstLoadCssGzip),
      baselineJsGzipKB: kb(base.gzipBytes),
      firstLoadOverBaselineKB: kb(firstLoadGzip - base.gzipBytes),
      appCodeInEntryGzipKB: kb(appShare.reduce((s, x) => s + x.gzipBytes, 0)),
      precacheGzipKB: kb(precacheGzip),
      precacheFiles: precache.length,
      swJsGzipKB: kb(swGzip),
    },
    details: {
      eager: eagerGzip,
      css: cssFiles,
      precache,
      lazyChunks: [...chunks.values()]
        .filter((c) => !eager.includes(c.fileName))
        .map((c) => ({ file: c.fileName, gzip: gz(c.code) })),
      entryBreakdown: shares,
      baselineBreakdown: base.shares,
      baselineBytes: base.bytes,
    },
  });
}

await main();

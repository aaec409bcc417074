/**
 * The production build is an installable, offline-ready PWA (DESIGN §8): one real `vite build`
 * of the project's config into a temp folder, then the service worker's precache list, the web
 * app manifest and index.html are checked as a browser would read them.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { inflateSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');
const ICONS = ['icon-192.png', 'icon-512.png', 'icon-maskable-512.png'];
const STATIC_ASSETS = [...ICONS, 'apple-touch-icon.png', 'favicon.png'];

interface ManifestIcon {
  src: string;
  sizes: string;
  type?: string;
  purpose?: string;
}
interface WebManifest {
  name?: string;
  short_name?: string;
  display?: string;
  start_url?: string;
  scope?: string;
  theme_color?: string;
  background_color?: string;
  icons?: ManifestIcon[];
}

let outDir = '';
let swSource = '';
let precache: { url: string; revision: string | null }[] = [];
let manifest: WebManifest = {};
let indexHtml = '';

/** Every file under dir, as paths relative to it with forward slashes. */
async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)).split('\\').join('/'));
}

/** The precache list workbox-build injected in place of `self.__WB_MANIFEST`. */
function injectedPrecache(sw: string): { url: string; revision: string | null }[] {
  const match = /\[\s*\{\s*"(?:url|revision)"\s*:[\s\S]*?\}\s*\]/.exec(sw);
  if (!match) throw new Error('no precache manifest found in sw.js');
  return JSON.parse(match[0]) as { url: string; revision: string | null }[];
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** Decodes an 8-bit RGBA PNG written without row filters (what scripts/make-icons.mjs writes). */
function decodePng(png: Buffer) {
  const { width, height } = pngSize(png);
  expect([png[24], png[25]], 'bit depth 8, RGBA').toEqual([8, 6]);
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    if (png.subarray(at + 4, at + 8).toString('ascii') === 'IDAT') {
      idat.push(png.subarray(at + 8, at + 8 + len));
    }
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * 4 + 1;
  for (let y = 0; y < height; y++) expect(raw[y * stride], 'row filter').toBe(0);
  const pixel = (x: number, y: number) => {
    const i = y * stride + 1 + x * 4;
    return [raw[i]!, raw[i + 1]!, raw[i + 2]!, raw[i + 3]!];
  };
  return { width, height, pixel };
}

beforeAll(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'gatelog-build-'));
  // vitest runs with NODE_ENV=test; the build must be the production one the phones get.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({
      root: ROOT,
      configFile: join(ROOT, 'vite.config.ts'),
      mode: 'production',
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
  swSource = await readFile(join(outDir, 'sw.js'), 'utf8');
  precache = injectedPrecache(swSource);
  manifest = JSON.parse(
    await readFile(join(outDir, 'manifest.webmanifest'), 'utf8'),
  ) as WebManifest;
  indexHtml = await readFile(join(outDir, 'index.html'), 'utf8');
}, 120_000);

afterAll(async () => {
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

describe('service worker', () => {
  it('is built as sw.js, with the precache list injected and the version defined', () => {
    expect(existsSync(join(outDir, 'sw.js'))).toBe(true);
    expect(swSource).not.toContain('__WB_MANIFEST');
    expect(swSource).not.toContain('__APP_VERSION__');
    // The page registers it itself (src/app/pwa); no generated registerSW.js.
    expect(existsSync(join(outDir, 'registerSW.js'))).toBe(false);
  });

  it('precaches the shell: index.html, the manifest and every icon', () => {
    const urls = precache.map((e) => e.url);
    expect(urls).toContain('index.html');
    expect(urls).toContain('manifest.webmanifest');
    for (const asset of STATIC_ASSETS) expect(urls).toContain(asset);
  });

  it('precaches every script and stylesheet, so lazy screens open offline too', async () => {
    const urls = new Set(precache.map((e) => e.url));
    const built = (await listFiles(outDir)).filter(
      (f) => /\.(js|css)$/.test(f) && f !== 'sw.js' && !f.startsWith('committee/'),
    );
    expect(built.length).toBeGreaterThan(0);
    for (const file of built) expect(urls, file).toContain(file);
  });

  it('leaves out the committee’s page, built apart, and never answers its address', async () => {
    const files = await listFiles(outDir);
    const own = files.filter((f) => f.startsWith('committee/'));
    expect(own).toContain('committee/index.html');
    expect(own.some((f) => /^committee\/assets\/.+\.js$/.test(f))).toBe(true);
    expect(precache.filter((e) => e.url.startsWith('committee/'))).toEqual([]);
    // None of its code in the guard's scripts (the admin token is kept by it alone).
    for (const f of files.filter((f) => f.endsWith('.js') && !f.startsWith('committee/'))) {
      expect(await readFile(join(outDir, f), 'utf8'), f).not.toContain('gatelog.adminToken');
    }
    // A guard's phone asked for /committee goes to the server, not to the app's shell.
    expect(swSource).toContain(
      String.raw`denylist:[/^\/api(\/|$)/,/^\/healthz$/,/^\/committee(\/|$)/]`,
    );
  });

  it('lists only files that exist, each versioned by a revision or a hash in its name', () => {
    for (const { url, revision } of precache) {
      expect(existsSync(join(outDir, url)), url).toBe(true);
      if (revision === null) expect(url, url).toMatch(/-[\w-]{8,}\.\w+$/);
    }
  });

  it('never precaches the service worker itself or the API', () => {
    const urls = precache.map((e) => e.url);
    expect(urls).not.toContain('sw.js');
    expect(urls.filter((u) => u.startsWith('api/'))).toEqual([]);
  });
});

describe('web app manifest', () => {
  it('makes the app installable and standalone', () => {
    expect(manifest.name).toBeTruthy();
    expect(manifest.short_name).toBeTruthy();
    expect(manifest.short_name!.length).toBeLessThanOrEqual(12);
    expect(manifest.display).toBe('standalone');
    expect(manifest.start_url).toBe('/');
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('has 192 and 512 PNG icons and a maskable one, each the size it claims', async () => {
    const icons = manifest.icons ?? [];
    const png = (size: string) =>
      icons.find((i) => i.sizes === size && i.type === 'image/png' && i.purpose !== 'maskable');
    expect(png('192x192')).toBeTruthy();
    expect(png('512x512')).toBeTruthy();
    const maskable = icons.find((i) => i.purpose?.split(' ').includes('maskable'));
    expect(maskable?.sizes).toBe('512x512');
    for (const icon of icons) {
      const file = join(outDir, icon.src.replace(/^\//, ''));
      expect(existsSync(file), icon.src).toBe(true);
      const { width, height } = pngSize(await readFile(file));
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    }
  });

  it('has a maskable icon: opaque background to the edges, the mark inside the safe zone', async () => {
    const { width, pixel } = decodePng(await readFile(join(outDir, 'icon-maskable-512.png')));
    const bg = pixel(0, 0);
    expect(bg[3], 'opaque corner').toBe(255);
    const hex =
      '#' +
      bg
        .slice(0, 3)
        .map((v) => v.toString(16).padStart(2, '0'))
        .join('');
    expect(hex).toBe(manifest.background_color?.toLowerCase());
    for (const [x, y] of [
      [width - 1, 0],
      [0, width - 1],
      [width - 1, width - 1],
    ] as const) {
      expect(pixel(x, y)).toEqual(bg);
    }
    // Launchers may cut everything outside a circle of 40 % of the width around the centre.
    const c = (width - 1) / 2;
    const safeRadius = width * 0.4;
    let markPixels = 0;
    for (let y = 0; y < width; y++) {
      for (let x = 0; x < width; x++) {
        const p = pixel(x, y);
        if (p.every((v, i) => v === bg[i])) continue;
        markPixels++;
        expect(Math.hypot(x - c, y - c), `pixel ${x},${y}`).toBeLessThanOrEqual(safeRadius);
      }
    }
    expect(markPixels).toBeGreaterThan(width * width * 0.05);
  });
});

describe('index.html', () => {
  it('links the manifest, the apple-touch-icon and the favicon', () => {
    expect(indexHtml).toMatch(/<link[^>]+rel="manifest"[^>]+href="\/manifest\.webmanifest"/);
    expect(indexHtml).toMatch(
      /<link[^>]+rel="apple-touch-icon"[^>]+href="\/apple-touch-icon\.png"/,
    );
    expect(indexHtml).toMatch(/<link[^>]+rel="icon"[^>]+href="\/favicon\.png"/);
    expect(indexHtml).toMatch(/<meta[^>]+name="theme-color"/);
  });

  it('has a small PNG favicon (fetched again and decoded at every screen change)', async () => {
    const { width, height } = pngSize(await readFile(join(outDir, 'favicon.png')));
    expect([width, height]).toEqual([48, 48]);
  });

  it('has an apple-touch-icon of 180×180', async () => {
    const { width, height } = pngSize(await readFile(join(outDir, 'apple-touch-icon.png')));
    expect([width, height]).toEqual([180, 180]);
  });

  it("loads no Dexie with the first screen's scripts (db/startup-read.ts reads without it)", async () => {
    // The scripts index.html loads or preloads; everything else is a dynamic import.
    const first = [...indexHtml.matchAll(/(?:src|href)="\/(assets\/[^"]+\.js)"/g)].map(
      (m) => m[1]!,
    );
    expect(first.length).toBeGreaterThan(0);
    const all = await listFiles(join(outDir, 'assets'));
    const db = all.filter((f) => /^db-.*\.js$/.test(f));
    expect(db, 'the database layer is a chunk of its own').toHaveLength(1);
    expect(await readFile(join(outDir, 'assets', db[0]!), 'utf8')).toMatch(/\bDexie\b/);
    for (const file of first) {
      const source = await readFile(join(outDir, file), 'utf8');
      expect(/\bDexie\b/.test(source), `${file} holds Dexie`).toBe(false);
    }
  });

  it("asks V8 to compile the logbook's chunk as it loads (read in while idle), and no other", async () => {
    const hint = '//# allFunctionsCalledOnLoad\n';
    const scripts = (await listFiles(join(outDir, 'assets'))).filter((f) => f.endsWith('.js'));
    const hinted: string[] = [];
    for (const file of scripts) {
      const source = await readFile(join(outDir, 'assets', file), 'utf8');
      if (source.includes('allFunctionsCalledOnLoad')) {
        expect(source.startsWith(hint), `${file}: the hint is its first line`).toBe(true);
        hinted.push(file);
      }
    }
    expect(hinted).toHaveLength(1);
    expect(hinted[0]).toMatch(/^logbook-screen-.*\.js$/);
  });
});

describe('the compile hint and source maps', () => {
  it('moves a hinted chunk’s source map down by the line the hint adds', async () => {
    const { compileOnLoad } = await import('../../vite.config');
    const code = 'export const a=1;\nexport const b=2;';
    const mappings = 'AAAA,aAAa;AACb';
    const bundle = {
      'assets/logbook-screen-x.js': {
        type: 'chunk',
        name: 'logbook-screen',
        fileName: 'assets/logbook-screen-x.js',
        code,
      },
      'assets/logbook-screen-x.js.map': {
        type: 'asset',
        source: JSON.stringify({ version: 3, mappings }),
      },
      'assets/other-y.js': { type: 'chunk', name: 'other', fileName: 'assets/other-y.js', code },
      'assets/other-y.js.map': { type: 'asset', source: JSON.stringify({ version: 3, mappings }) },
    };
    const hook = compileOnLoad(['logbook-screen']).generateBundle as (
      o: unknown,
      b: unknown,
    ) => void;
    hook({}, bundle);
    const hinted = bundle['assets/logbook-screen-x.js'];
    expect(hinted.code).toBe(`//# allFunctionsCalledOnLoad\n${code}`);
    const map = JSON.parse(bundle['assets/logbook-screen-x.js.map'].source) as { mappings: string };
    // One mapping line a code line: the hint's is empty, the rest as before.
    expect(map.mappings).toBe(`;${mappings}`);
    expect(map.mappings.split(';')).toHaveLength(hinted.code.split('\n').length);
    expect(bundle['assets/other-y.js'].code).toBe(code);
    expect(JSON.parse(bundle['assets/other-y.js.map'].source)).toEqual({ version: 3, mappings });
  });
});

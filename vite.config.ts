import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/**
 * V8's explicit compile hint (`//# allFunctionsCalledOnLoad`) on the chunks named: their
 * functions are compiled as the chunk loads, not each at its first call. The logbook's chunk
 * loads while the guard is idle (app.tsx), so its first opening no longer waits on compiling
 * the screen's code. Added after minification, which would drop the comment.
 */
export function compileOnLoad(chunkNames: readonly string[]): Plugin {
  return {
    name: 'gatelog:compile-on-load',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk' || !chunkNames.includes(chunk.name)) continue;
        chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`;
        // A source map, where the build writes one, moves down by the line added.
        const map = bundle[`${chunk.fileName}.map`];
        if (map?.type === 'asset' && typeof map.source === 'string') {
          const json = JSON.parse(map.source) as { mappings: string };
          map.source = JSON.stringify({ ...json, mappings: `;${json.mappings}` });
        }
      }
    },
  };
}

const define = { __APP_VERSION__: JSON.stringify(pkg.version) };

/**
 * The committee's page (src/app/committee/), built with the app into `<outDir>/committee/` by a
 * build of its own: it shares no chunk with the guard's app, so nothing of it is in a guard's
 * first screen or precache, and the clerk's browser loads none of the guard's code.
 */
export function committeePage(): Plugin {
  let outDir = '';
  return {
    name: 'gatelog:committee-page',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    async closeBundle() {
      await build({
        configFile: false,
        root: resolve(import.meta.dirname, 'src/app/committee'),
        base: '/committee/',
        publicDir: false,
        define,
        logLevel: 'warn',
        plugins: [react()],
        build: {
          outDir: resolve(outDir, 'committee'),
          emptyOutDir: true,
          target: 'es2022',
          sourcemap: false,
          modulePreload: { polyfill: false },
        },
      });
    },
  };
}

export default defineConfig({
  define,
  server: {
    proxy: { '/api': 'http://localhost:8080' },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    // A browser that runs es2022 modules but lacks modulepreload still loads the preloaded
    // chunks when the entry imports them: the polyfill is dead weight (0.2 KB gzip).
    modulePreload: { polyfill: false },
    rollupOptions: {
      // The app's and the shared modules do nothing when imported but define things: one that
      // the first screen imports (through a barrel such as db/index.ts) but does not use stays
      // out of its chunk, with whatever only lazy screens use it for.
      treeshake: {
        moduleSideEffects: (id) => !/[\\/]src[\\/](app|shared)[\\/].*\.tsx?$/.test(id),
      },
      output: {
        // Everything the first screen loads in one chunk: fewer requests, and less glue between
        // chunks (imports and exports) than the automatic split into shared chunks.
        codeSplitting: { groups: [{ name: 'first-screen', tags: ['$initial'] }] },
      },
    },
  },
  plugins: [
    react(),
    compileOnLoad(['logbook-screen']),
    committeePage(),
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src/sw',
      filename: 'sw.ts',
      registerType: 'prompt',
      injectRegister: false,
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,png,svg,ico,webmanifest}'],
        // The committee's page is read at a desk, online: never on a guard's phone.
        globIgnores: ['committee/**'],
        // One classic script, as the worker is registered (no `type: 'module'`).
        rollupFormat: 'iife',
      },
      // public/ icons are already in globPatterns; listing them again would precache them twice.
      includeManifestIcons: false,
      manifest: {
        name: 'GateLog 门岗登记',
        short_name: 'GateLog',
        description: '小区门岗出入登记：测温、身份、返沪人员与处置，离线可用。',
        lang: 'zh-CN',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'portrait',
        background_color: '#ffffff',
        theme_color: '#0b3d91',
        icons: [
          { src: 'icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: 'icon-512.png', sizes: '512x512', type: 'image/png' },
          {
            src: 'icon-maskable-512.png',
            sizes: '512x512',
            type: 'image/png',
            purpose: 'maskable',
          },
        ],
      },
      devOptions: { enabled: false, type: 'module' },
    }),
  ],
});

#!/usr/bin/env node
/**
 * Bundles the CLI (src/cli/main.ts) with esbuild into dist/bundle/, which bin/mlops.js runs.
 * Run by `npm run build` after tsc (dist/ keeps the per-file build for the SDK, `main`/`exports`).
 *
 * Why: Node's ESM loader pays per file, and a plain `mlops --help` resolved some 500 files of
 * ours, kysely, zod and commander. One bundle loads in a fraction of that.
 *
 * - `splitting`: every `await import(...)` in our code stays lazy, as its own chunk loaded only
 *   when reached (test/e2e/lazy-imports.test.ts checks start-up loads nothing heavy).
 * - Only the pure-JS, many-file libraries in BUNDLED are bundled. Every other package stays
 *   external and is imported at run time from node_modules as before: native addons
 *   (better-sqlite3, onnxruntime-node, @resvg/resvg-js), big or optional ones (@tensorflow/*,
 *   @aws-sdk/*, bullmq, ioredis, pg, vega-datasets, ...). A new dependency is external until it
 *   is added here on purpose.
 * - The banner gives CommonJS code inside the ESM bundle (commander, yaml) a `require` for the
 *   Node built-ins it loads.
 * - Linked source maps: run with `NODE_OPTIONS=--enable-source-maps` for stack traces in src/
 *   terms (bin/mlops.js leaves them off: loading the maps slows every start).
 *
 * `node scripts/bundle-cli.mjs --analyze` also prints what each output file holds.
 */
import { rm } from 'node:fs/promises';
import { isBuiltin } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, 'dist', 'bundle');

/** Packages bundled into the CLI: pure JavaScript, no native code, many small files. */
const BUNDLED = new Set(['commander', 'csv-parse', 'js-yaml', 'kysely', 'yaml', 'zod']);

/** `@scope/name/sub/path` -> `@scope/name`, `name/sub` -> `name`. */
function packageOf(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** Marks every bare import external unless its package is in BUNDLED. */
const externals = {
  name: 'mlops-externals',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.kind === 'entry-point' || path.isAbsolute(args.path)) return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      if (BUNDLED.has(packageOf(args.path))) return undefined; // esbuild resolves and bundles it
      return { path: args.path, external: true };
    });
  },
};

/**
 * zod re-exports all its ~70 error-message locales (`z.locales.*`, half of zod's code) and uses
 * only English unless told otherwise. mlops never calls `z.config(z.locales.xx())`, so the bundle
 * gets a `locales` with English only: every command that validates with zod compiles 360 KiB
 * less at start. If zod moves the file, this matches nothing and zod is bundled whole.
 */
const zodEnglishOnly = {
  name: 'mlops-zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(args.importer)
        ? { path: path.resolve(args.resolveDir, args.path), namespace: 'zod-locales' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => ({
      contents: "export { default as en } from './en.js';\n",
      resolveDir: path.dirname(args.path),
      loader: 'js',
    }));
  },
};

// Aliased so that it cannot clash with a bundled module's own `createRequire` import.
const BANNER = [
  "import { createRequire as __mlopsCreateRequire } from 'node:module';",
  'const require = __mlopsCreateRequire(import.meta.url);',
].join('\n');

await rm(OUT_DIR, { recursive: true, force: true });
const result = await esbuild.build({
  absWorkingDir: ROOT,
  entryPoints: { main: path.join(ROOT, 'src', 'cli', 'main.ts') },
  outdir: OUT_DIR,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  chunkNames: '[name]-[hash]',
  sourcemap: 'linked',
  // Stack traces need the mappings only; src/ is not shipped with the package anyway.
  sourcesContent: false,
  banner: { js: BANNER },
  tsconfig: path.join(ROOT, 'tsconfig.build.json'),
  plugins: [externals, zodEnglishOnly],
  logLevel: 'warning',
  metafile: true,
});

const outputs = Object.entries(result.metafile.outputs).filter(([file]) => file.endsWith('.js'));
const bytes = outputs.reduce((sum, [, o]) => sum + o.bytes, 0);
if (process.argv.includes('--analyze')) {
  for (const [file, output] of outputs) {
    const parts = {}; // src/<folder> or a package -> bytes in this output
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input) ?? /^(src\/[^/]+)/.exec(input);
      const key = m?.[1] ?? input;
      parts[key] = (parts[key] ?? 0) + bytesInOutput;
    }
    const top = Object.entries(parts).sort((a, b) => b[1] - a[1]);
    console.log(
      `${path.basename(file)} ${(output.bytes / 1024).toFixed(0)} KiB: ` +
        top.map(([k, b]) => `${k} ${(b / 1024).toFixed(0)}`).join(', '),
    );
  }
}
console.log(
  `bundle-cli: ${path.relative(ROOT, OUT_DIR)}/main.js + ${outputs.length - 1} chunks, ${(bytes / 1024).toFixed(0)} KiB`,
);

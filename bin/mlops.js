#!/usr/bin/env node
// Thin launcher. `npm run build` (run by `npm install` via `prepare`) compiles src/ to dist/ with tsc
// and then bundles the CLI into dist/bundle/ (scripts/bundle-cli.mjs): a few files instead of
// hundreds, so start-up is fast. The per-file build in dist/cli/ runs instead when the bundle is
// missing or older than it (tsc ran on its own after the last bundle), so that a bare `tsc` is
// never shadowed by a stale bundle. Stack traces name the bundle's chunks; run with
// `NODE_OPTIONS=--enable-source-maps` to see src/ locations (off by default: it slows start-up).
import { statSync } from 'node:fs';

const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundled = mtime('../dist/bundle/main.js');
const compiled = mtime('../dist/cli/main.js');
const useBundle = bundled !== undefined && (compiled === undefined || bundled >= compiled);

import(useBundle ? '../dist/bundle/main.js' : '../dist/cli/main.js')
  .then((m) => m.main(process.argv))
  .catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });

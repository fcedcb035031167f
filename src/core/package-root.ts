import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MlopsError } from './mlops-error.js';

const PACKAGE_NAME = 'mlops';

let root: string | undefined;

/**
 * The root folder of this mlops install: the nearest folder above this module whose package.json
 * is named `mlops`. Found by walking up rather than by a fixed `../..`, so it is the same from
 * src/ (tests), dist/ (the SDK) and dist/bundle/ (the CLI bundle, whose chunks sit in one folder).
 * Looked up on first call, never at module load.
 */
export function packageRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && packageName(manifest) === PACKAGE_NAME) return (root = dir);
    if (dirname(dir) === dir) break;
  }
  throw new MlopsError(
    'INTERNAL_ERROR',
    `Cannot find the mlops package root (no package.json named '${PACKAGE_NAME}' above ${start}). Reinstall mlops.`,
  );
}

/** This install's CLI script, `<package root>/bin/mlops.js` (what `uses` stages run). */
export function cliScriptPath(): string {
  return join(packageRoot(), 'bin', 'mlops.js');
}

function packageName(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

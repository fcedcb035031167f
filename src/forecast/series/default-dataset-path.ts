import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { MlopsError } from '../../core/index.js';

const PACKAGE = 'vega-datasets';
const FILE = 'data/sp500-2000.csv';

/**
 * Path of the embedded default dataset: S&P 500 daily 2000-01-03..2020-04-17 from the
 * `vega-datasets` package, so the main job runs on a fresh machine with no files given.
 * Resolved on call, never at module load. The package's `exports` hide `package.json`, so its root
 * is found from the resolved entry point (`build/index.js`).
 */
export function defaultDatasetPath(): string {
  let entry: string;
  try {
    entry = createRequire(import.meta.url).resolve(PACKAGE);
  } catch (err) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `The embedded default dataset needs the npm package '${PACKAGE}', which cannot be found. ` +
        `Reinstall mlops (npm install) or give a CSV file explicitly.`,
      { cause: err, details: { package: PACKAGE } },
    );
  }
  const path = join(findRoot(entry), FILE);
  if (!existsSync(path)) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `The package '${PACKAGE}' has no ${FILE} (looked at ${path}). Install vega-datasets@3 or give a CSV file explicitly.`,
      { details: { package: PACKAGE, file: path } },
    );
  }
  return path;
}

/** The package root: the nearest folder above the entry point whose package.json names it. */
function findRoot(entry: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && packageName(manifest) === PACKAGE) return dir;
  }
  return dirname(dirname(entry));
}

function packageName(manifest: string): unknown {
  try {
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

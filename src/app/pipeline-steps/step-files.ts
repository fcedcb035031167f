import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Files a step writes are pipeline outs: `mlops.lock` records their hashes, and a distributed
 * run must give the same lock as a local one. So they hold no time, run id, absolute path or
 * temp name, and are written whole or not at all.
 */

/** Numbers that JSON cannot hold (NaN, +-Infinity) are left out, so every leaf stays a number. */
function finiteOnly(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? undefined : value;
}

/** Pretty JSON with a final newline; non-finite numbers are dropped (see `finiteOnly`). */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(value, finiteOnly, 2)}\n`;
}

/** Writes `file` through a temp file in the same directory and a rename. */
export async function writeFileWhole(file: string, data: string | Uint8Array): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Fills a fresh directory with `fill` and then puts it at `dir` (replacing what was there), so
 * `dir` is never half-written. The scratch directory is a sibling, so the rename stays on one
 * file system, and its name never reaches the files.
 */
export async function replaceDirectory(
  dir: string,
  fill: (scratch: string) => Promise<void>,
): Promise<void> {
  await mkdir(dirname(dir), { recursive: true });
  const scratch = join(dirname(dir), `.${basename(dir)}.${process.pid}.tmp`);
  await rm(scratch, { recursive: true, force: true });
  try {
    await mkdir(scratch);
    await fill(scratch);
    await rm(dir, { recursive: true, force: true });
    await rename(scratch, dir);
  } catch (err) {
    await rm(scratch, { recursive: true, force: true });
    throw err;
  }
}

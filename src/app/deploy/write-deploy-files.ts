import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { link, mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { MlopsError } from '../../core/index.js';

export interface DeployFile {
  readonly path: string;
  readonly content: string;
}

/**
 * Writes generated files whole or not at all. Each goes to a synced temp file beside its target
 * first; only when all are written do they get their names. Without `force` an existing target is
 * refused before anything is written, and the naming is a hard link, which fails rather than
 * replace a file that appeared meanwhile. Returns the absolute paths written.
 */
export async function writeDeployFiles(
  files: readonly DeployFile[],
  options: { readonly force?: boolean } = {},
): Promise<string[]> {
  const targets = files.map((f) => ({ path: resolve(f.path), content: f.content }));
  if (!options.force) {
    for (const t of targets) if (existsSync(t.path)) throw alreadyExists(t.path);
  }
  const temps: string[] = [];
  const placed: string[] = [];
  try {
    for (const t of targets) {
      await mkdir(dirname(t.path), { recursive: true });
      const temp = join(
        dirname(t.path),
        `.${basename(t.path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
      );
      temps.push(temp);
      const handle = await open(temp, 'wx', 0o644);
      try {
        await handle.writeFile(t.content);
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    for (const [i, t] of targets.entries()) {
      const temp = temps[i] as string;
      if (options.force) await rename(temp, t.path);
      else await linkNew(temp, t.path);
      placed.push(t.path);
    }
  } catch (err) {
    // Without --force every placed file is new: take them back, so nothing is half-written.
    if (!options.force) for (const p of placed) await rm(p, { force: true });
    throw MlopsError.is(err)
      ? err
      : new MlopsError('IO_ERROR', `Cannot write ${describe(err)}.`, { cause: err });
  } finally {
    for (const temp of temps) await rm(temp, { force: true });
  }
  return targets.map((t) => t.path);
}

async function linkNew(temp: string, dest: string): Promise<void> {
  try {
    await link(temp, dest);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw alreadyExists(dest);
    // File systems without hard links: the existence check above is all we have.
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EXDEV') {
      if (existsSync(dest)) throw alreadyExists(dest);
      await rename(temp, dest);
      return;
    }
    throw err;
  }
}

function alreadyExists(path: string): MlopsError {
  return new MlopsError(
    'RESOURCE_ALREADY_EXISTS',
    `${path} already exists; pass --force to replace it, or choose another --out.`,
    { details: { file: path } },
  );
}

function describe(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  return e.path ? `${e.path} (${e.code ?? e.message})` : String(e.message ?? err);
}

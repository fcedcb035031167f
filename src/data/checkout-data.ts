import { chmod, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { MlopsError } from '../core/index.js';
import { materializeFile, readManifest } from '../blobs/index.js';
import { DEFAULT_CONCURRENCY, type DataContext } from './data-context.js';
import { directoryHash, fileMode, readListing } from './directory-listing.js';
import { pointerTargets, targetOf, type PointerTarget } from './find-pointers.js';
import { ioError } from './fs-errors.js';
import { pointersAtRev, showPointerAtRev } from './git-pointer.js';
import { mapLimit } from './map-limit.js';
import { parsePointer, readPointerFile, type DataPointer } from './pointer.js';
import { StatCache } from './stat-cache.js';
import { hashWorkspaceFile, statIfExistsSync, workspaceState } from './workspace-hash.js';
import { resolveDataPath, stripPointerSuffix } from './workspace-path.js';

export interface CheckoutOptions {
  /**
   * A git revision: restore the version the pointer had there (`git show <rev>:<path>.mlops`).
   * The working-tree pointer is left as it is, like `dvc checkout` after `git checkout`, so
   * `status` then reports the data as modified until the pointer is checked out from git too.
   */
  readonly rev?: string;
}

export interface CheckoutEntry {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly files?: number;
  /** `restored`: written from the store; `unchanged`: the workspace already matched. */
  readonly action: 'restored' | 'unchanged';
}

/**
 * `mlops data checkout`: makes workspace data match its pointers by copying from the store
 * (never a link into it). Each file is written to a temp file, checked against the pointer's
 * sha256 and renamed into place, so a missing or corrupt chunk (`BLOB_NOT_FOUND`,
 * `BLOB_CORRUPT`) leaves the workspace file untouched. Workspace edits are overwritten; files in
 * a versioned directory that its listing does not name are left alone.
 */
export async function checkoutData(
  ctx: DataContext,
  paths: readonly string[] = [],
  options: CheckoutOptions = {},
): Promise<CheckoutEntry[]> {
  const planned = await plan(ctx, paths, options.rev);
  const cache = await StatCache.load(ctx.stateDir);
  const out: CheckoutEntry[] = [];
  try {
    for (const { target, pointer } of planned) {
      try {
        out.push(await checkoutOne(ctx, cache, target, pointer));
      } catch (err) {
        if (!MlopsError.is(err)) throw ioError(`check out`, target.rel, err);
        throw new MlopsError(err.code, `Cannot check out ${target.rel}: ${err.message}`, {
          cause: err,
          details: { path: target.rel, ...err.details },
        });
      }
    }
  } finally {
    await cache.save();
  }
  return out;
}

/** Every pointer to restore, read and validated before anything is written. */
async function plan(
  ctx: DataContext,
  paths: readonly string[],
  rev: string | undefined,
): Promise<{ target: PointerTarget; pointer: DataPointer }[]> {
  if (rev === undefined) {
    const targets = await pointerTargets(ctx, paths);
    return Promise.all(
      targets.map(async (target) => ({
        target,
        pointer: await readPointerFile(target.pointerAbs, target.pointerRel),
      })),
    );
  }
  const rels =
    paths.length === 0
      ? await pointersAtRev(ctx.root, rev)
      : await Promise.all(
          paths.map(async (p) => (await resolveDataPath(ctx, stripPointerSuffix(p))).rel),
        );
  const out = [];
  for (const rel of rels) {
    await resolveDataPath({ ...ctx, cwd: ctx.root }, rel); // refuses a symlinked parent outside
    const target = targetOf(ctx.root, rel);
    const text = await showPointerAtRev(ctx.root, rev, rel);
    out.push({ target, pointer: parsePointer(text, `${rev}:${target.pointerRel}`) });
  }
  return out;
}

/** Makes `target` hold what `pointer` names (unchanged files are left as they are). */
export async function checkoutOne(
  ctx: DataContext,
  cache: StatCache,
  target: PointerTarget,
  pointer: DataPointer,
): Promise<CheckoutEntry> {
  const base = {
    path: target.rel,
    sha256: pointer.sha256,
    size: pointer.size,
    ...(pointer.files === undefined ? {} : { files: pointer.files }),
  };
  const isDir = pointer.files !== undefined;
  const state = await workspaceState(ctx, cache, target.rel, target.abs);
  if (state.kind !== 'missing' && state.kind !== (isDir ? 'directory' : 'file')) {
    throw new MlopsError(
      'INVALID_STATE',
      `the workspace holds a ${state.kind} where the pointer names a ${isDir ? 'directory' : 'file'}; move it away first.`,
    );
  }
  if (state.kind !== 'missing' && state.sha256 === pointer.sha256) {
    return { ...base, action: 'unchanged' };
  }
  if (!isDir) {
    await restoreFile(ctx, cache, target.rel, target.abs, pointer.manifest, pointer.sha256);
    return { ...base, action: 'restored' };
  }
  const entries = await readListing(ctx.blobs, pointer.manifest);
  if (directoryHash(entries) !== pointer.sha256) {
    throw new MlopsError(
      'BLOB_CORRUPT',
      `the stored listing ${pointer.manifest} does not hash to the pointer's ${pointer.sha256}.`,
    );
  }
  await mapLimit(entries, ctx.concurrency ?? DEFAULT_CONCURRENCY, async (e) => {
    const rel = `${target.rel}/${e.path}`;
    const abs = join(target.abs, ...e.path.split('/'));
    const stats = statIfExistsSync(abs);
    if (stats?.isFile() && fileMode(stats.mode) === e.mode) {
      const now = await hashWorkspaceFile(ctx, cache, rel, abs, stats);
      if (now.sha256 === e.sha256) return;
    }
    await restoreFile(ctx, cache, rel, abs, e.manifest, e.sha256, e.mode);
  });
  return { ...base, action: 'restored' };
}

/** Copies stored file `manifestId` to `abs` after checking it holds `sha256` (verified again while copying). */
async function restoreFile(
  ctx: DataContext,
  cache: StatCache,
  rel: string,
  abs: string,
  manifestId: string,
  sha256: string,
  mode?: number,
): Promise<void> {
  let manifest;
  try {
    manifest = await readManifest(ctx.blobs, manifestId);
  } catch (err) {
    if (MlopsError.is(err) && err.code === 'BLOB_NOT_FOUND') {
      throw new MlopsError(
        'BLOB_NOT_FOUND',
        `its bytes (manifest ${manifestId}) are not in the cache ${ctx.blobs.location}; add the data again, or fetch it from a remote (\`mlops data fetch\`; \`mlops data fetch --rev <rev>\` for a version committed at <rev>).`,
        { cause: err },
      );
    }
    throw err;
  }
  if (manifest.sha256 !== sha256) {
    throw new MlopsError(
      'BLOB_CORRUPT',
      `manifest ${manifestId} holds bytes hashing to ${manifest.sha256}, not the pointer's ${sha256}.`,
    );
  }
  const written = await materializeFile(ctx.blobs, manifestId, abs);
  if (written.sha256 !== sha256) {
    throw new MlopsError('INTERNAL_ERROR', `restored ${rel} hashes to ${written.sha256}.`);
  }
  if (mode !== undefined) {
    try {
      await chmod(abs, mode);
    } catch (err) {
      throw ioError('set the mode of', abs, err);
    }
  }
  cache.record(rel, await stat(abs), sha256);
}

import { pointerStored } from './cache-check.js';
import type { DataContext } from './data-context.js';
import { pointerTargets, targetOf, type FoundTarget } from './find-pointers.js';
import { readPointerFile } from './pointer.js';
import type { RemoteStore } from './remotes/open-remote.js';
import { StatCache } from './stat-cache.js';
import { workspaceState } from './workspace-hash.js';

/** Remote lookups in flight at once (as transfers' default). */
const REMOTE_CHECKS = 32;

/**
 * - `ok`: the workspace data matches the pointer and the store holds everything it names;
 * - `modified`: the workspace data differs from the pointer;
 * - `missing-workspace`: the data is gone from the workspace (`mlops data checkout` restores it);
 * - `missing-cache`: the workspace matches, but the store lacks a manifest, listing or chunk.
 */
export type DataState = 'ok' | 'modified' | 'missing-workspace' | 'missing-cache';

export interface DataStatusEntry {
  /** Workspace-relative data path. */
  readonly path: string;
  readonly status: DataState;
  /** The pointer's hash and size. */
  readonly sha256: string;
  readonly size: number;
  readonly files?: number;
  /** The workspace's current hash, when the data exists. */
  readonly workspaceSha256?: string;
  /** Whether the store holds every blob the pointer names (whatever the workspace says). */
  readonly cached: boolean;
  /** With `options.remote`: whether that remote holds everything the pointer names. */
  readonly remote?: RemoteState;
}

/**
 * `in-remote`: the remote holds the pointer's manifest (or directory listing), which a push
 * writes only after every chunk and file manifest under it, so the remote holds it all;
 * `not-in-remote`: `mlops data push` would send something.
 */
export type RemoteState = 'in-remote' | 'not-in-remote';

export interface DataStatusOptions {
  /** Also check this remote (one lookup per pointer). */
  readonly remote?: RemoteStore;
}

/**
 * `mlops data status`: each pointer (all in the workspace, or those `paths` name) against the
 * workspace and the store. Unchanged files are not re-hashed (stat cache). The workspace state
 * wins over the cache state in `status`; `cached` reports the latter separately, checked as
 * `pointerStored` describes (`mlops data verify` checks every chunk).
 */
export async function dataStatus(
  ctx: DataContext,
  paths: readonly string[] = [],
  options: DataStatusOptions = {},
): Promise<DataStatusEntry[]> {
  // Versioned directories are walked below anyway: the pointers inside them come from that walk.
  const [targets, cache]: [FoundTarget[], StatCache] = await Promise.all([
    pointerTargets(ctx, paths, { intoVersioned: false }),
    StatCache.load(ctx.stateDir),
  ]);
  const known = new Set(targets.map((t) => t.rel));
  const out: { entry: DataStatusEntry; manifest: string }[] = [];
  try {
    for (let target = targets.shift(); target !== undefined; target = targets.shift()) {
      const pointer = await readPointerFile(target.pointerAbs, target.pointerRel);
      const [state, cached] = await Promise.all([
        workspaceState(ctx, cache, target.rel, target.abs),
        pointerStored(ctx.blobs, pointer),
      ]);
      if (state.kind === 'directory' && target.searched) {
        for (const inner of state.pointers) {
          const rel = `${target.rel}/${inner}`;
          if (known.has(rel)) continue;
          known.add(rel);
          targets.push({ ...targetOf(ctx.root, rel), searched: true });
        }
      }
      const isDir = pointer.files !== undefined;
      let status: DataState;
      if (state.kind === 'missing') status = 'missing-workspace';
      else if (state.kind !== (isDir ? 'directory' : 'file') || state.sha256 !== pointer.sha256) {
        status = 'modified';
      } else status = cached ? 'ok' : 'missing-cache';
      const entry: DataStatusEntry = {
        path: target.rel,
        status,
        sha256: pointer.sha256,
        size: pointer.size,
        ...(pointer.files === undefined ? {} : { files: pointer.files }),
        ...(state.kind === 'missing' ? {} : { workspaceSha256: state.sha256 }),
        cached,
      };
      out.push({ entry, manifest: pointer.manifest });
    }
  } finally {
    await cache.save();
  }
  out.sort((a, b) => (a.entry.path < b.entry.path ? -1 : 1));
  const remote = options.remote;
  if (remote === undefined) return out.map((o) => o.entry);
  // The sizes of the manifests the cache holds let a truncated remote copy count as missing.
  const sizes = new Map<string, number>();
  await Promise.all(
    out.map(async ({ manifest }) => {
      const size = await ctx.blobs.size(manifest).catch(() => undefined);
      if (size !== undefined) sizes.set(manifest, size);
    }),
  );
  const present = await remote.hasMany(
    out.map((o) => o.manifest),
    REMOTE_CHECKS,
    undefined,
    sizes,
  );
  return out.map(({ entry, manifest }) => ({
    ...entry,
    remote: present.has(manifest) ? 'in-remote' : 'not-in-remote',
  }));
}

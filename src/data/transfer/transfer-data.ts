import { MlopsError } from '../../core/index.js';
import type { BlobStore } from '../../blobs/index.js';
import { checkoutData, type CheckoutEntry } from '../checkout-data.js';
import type { DataContext } from '../data-context.js';
import { dataStatus } from '../data-status.js';
import { pointerTargets } from '../find-pointers.js';
import { readPointerFile } from '../pointer.js';
import type { RemoteStore } from '../remotes/open-remote.js';
import { LayeredReader, settlePool } from './blob-pool.js';
import { planTransfer, type TransferItem } from './plan-transfer.js';

/** Blobs sent or received at once unless `jobs` says otherwise. */
export const DEFAULT_TRANSFER_JOBS = 16;

export type TransferDirection = 'push' | 'fetch';

/** Reported while a transfer runs (the CLI prints it as `pushed 12/340 blobs, 4.1 MB`). */
export interface TransferProgress {
  readonly direction: TransferDirection;
  /** `check`: looking up what the destination has; `transfer`: sending the missing blobs. */
  readonly phase: 'check' | 'transfer';
  readonly done: number;
  readonly total: number;
  /** Bytes moved so far and in all (transfer phase; 0 while checking). */
  readonly bytes: number;
  readonly totalBytes: number;
}

export interface TransferOptions {
  /** Blobs checked or moved at once (default 16). */
  readonly jobs?: number;
  readonly onProgress?: (progress: TransferProgress) => void;
}

export interface TransferredPath {
  readonly path: string;
  readonly sha256: string;
  readonly size: number;
  readonly files?: number;
  /** `transferred`: some of its blobs moved; `up-to-date`: the destination had them all. */
  readonly action: 'transferred' | 'up-to-date';
}

export interface TransferResult {
  readonly remote: string;
  readonly location: string;
  /** Blobs moved and their bytes. */
  readonly blobs: number;
  readonly bytes: number;
  /** Blobs the destination already held (not moved). */
  readonly skipped: number;
  readonly paths: readonly TransferredPath[];
}

export interface PullOptions extends TransferOptions {
  /** Overwrite workspace data that differs from its pointer (refused otherwise). */
  readonly force?: boolean;
}

export interface PullResult extends TransferResult {
  readonly checkout: readonly CheckoutEntry[];
}

/**
 * `mlops data push`: sends the blobs the selected pointers (default: all in the workspace) need
 * and the remote lacks: chunks first, then file manifests, then directory listings, so that a
 * remote never holds a manifest whose chunks are missing and an interrupted push resumes by
 * running it again. A manifest already on the remote stands for its chunks (one lookup per file).
 * Fails before sending anything when the cache lacks some of the data.
 */
export async function pushData(
  ctx: DataContext,
  remote: RemoteStore,
  paths: readonly string[] = [],
  options: TransferOptions = {},
): Promise<TransferResult> {
  const items = await readItems(ctx, paths);
  const reader = new LayeredReader([ctx.blobs]);
  return withRemoteContext('push to', remote, () =>
    transfer(items, {
      direction: 'push',
      remote,
      reader,
      source: ctx.blobs,
      dest: remote.blobs,
      trustDestManifests: true,
      sourceMustHave: ctx.blobs,
      missingSource: (item, err) =>
        new MlopsError(
          err.code,
          `Cannot push ${item.target.rel}: the cache ${ctx.blobs.location} does not hold all of it (${err.message}). Run \`mlops data status\`; \`mlops data add ${item.target.rel}\` stores the workspace copy again, or push the other paths by name.`,
          { cause: err, details: { path: item.target.rel, ...err.details } },
        ),
      options,
    }),
  );
}

/**
 * `mlops data fetch`: copies into the local cache what the selected pointers need and the cache
 * lacks, from the remote. Every blob is hash-checked as it is read from the remote and written
 * atomically; chunks land before manifests and listings, so the cache never claims data it does
 * not hold. The workspace is not touched. Fails before writing anything when the remote lacks
 * some of the data.
 */
export async function fetchData(
  ctx: DataContext,
  remote: RemoteStore,
  paths: readonly string[] = [],
  options: TransferOptions = {},
): Promise<TransferResult> {
  const items = await readItems(ctx, paths);
  return fetchItems(ctx, remote, items, options);
}

/**
 * `mlops data pull`: `fetchData`, then `checkoutData` for the same paths. Workspace data that
 * differs from its pointer is not overwritten unless `force` (checked before anything moves).
 */
export async function pullData(
  ctx: DataContext,
  remote: RemoteStore,
  paths: readonly string[] = [],
  options: PullOptions = {},
): Promise<PullResult> {
  const items = await readItems(ctx, paths);
  if (options.force !== true) {
    const modified = (await dataStatus(ctx, paths)).filter((e) => e.status === 'modified');
    if (modified.length > 0) {
      const names = modified.map((e) => e.path).join(', ');
      throw new MlopsError(
        'INVALID_STATE',
        `Not pulling: ${names} ${modified.length === 1 ? 'differs' : 'differ'} from ${modified.length === 1 ? 'its pointer' : 'their pointers'} (local changes). Record them with \`mlops data add\`, or pass --force to overwrite them with the pointer's version.`,
        { details: { paths: modified.map((e) => e.path) } },
      );
    }
  }
  const fetched = await fetchItems(ctx, remote, items, options);
  const checkout = await checkoutData(
    ctx,
    items.map((i) => i.target.rel),
  );
  return { ...fetched, checkout };
}

async function fetchItems(
  ctx: DataContext,
  remote: RemoteStore,
  items: readonly TransferItem[],
  options: TransferOptions,
): Promise<TransferResult> {
  const reader = new LayeredReader([ctx.blobs, remote.blobs]);
  return withRemoteContext('fetch from', remote, () =>
    transfer(items, {
      direction: 'fetch',
      remote,
      reader,
      source: remote.blobs,
      dest: ctx.blobs,
      trustDestManifests: false,
      missingSource: (item, err) => {
        const lost = err.code === 'BLOB_NOT_FOUND';
        return new MlopsError(
          err.code,
          lost
            ? `Cannot fetch ${item.target.rel}: remote '${remote.name}' (${remote.location}) does not hold all of it (${err.message}). Push it from a machine whose cache has it (\`mlops data push ${item.target.rel}\`).`
            : `Cannot fetch ${item.target.rel}: ${err.message}`,
          { cause: err, details: { path: item.target.rel, remote: remote.name, ...err.details } },
        );
      },
      options,
    }),
  );
}

/** The pointers `paths` name (all when empty), read and validated before anything moves. */
async function readItems(ctx: DataContext, paths: readonly string[]): Promise<TransferItem[]> {
  const targets = await pointerTargets(ctx, paths);
  return Promise.all(
    targets.map(async (target) => ({
      target,
      pointer: await readPointerFile(target.pointerAbs, target.pointerRel),
    })),
  );
}

interface TransferSpec {
  readonly direction: TransferDirection;
  readonly remote: RemoteStore;
  readonly reader: LayeredReader;
  readonly source: BlobStore;
  readonly dest: BlobStore;
  readonly trustDestManifests: boolean;
  readonly sourceMustHave?: BlobStore;
  readonly missingSource: (item: TransferItem, err: MlopsError) => MlopsError;
  readonly options: TransferOptions;
}

async function transfer(
  items: readonly TransferItem[],
  spec: TransferSpec,
): Promise<TransferResult> {
  const { direction, reader, source, dest, options } = spec;
  const jobs = options.jobs ?? DEFAULT_TRANSFER_JOBS;
  const report = (p: Omit<TransferProgress, 'direction'>) =>
    options.onProgress?.({ direction, ...p });
  const plan = await planTransfer(items, {
    reader,
    dest,
    trustDestManifests: spec.trustDestManifests,
    concurrency: jobs,
    missingSource: spec.missingSource,
    ...(spec.sourceMustHave === undefined ? {} : { sourceMustHave: spec.sourceMustHave }),
    onCheck: (done, total) => report({ phase: 'check', done, total, bytes: 0, totalBytes: 0 }),
  });
  const total = plan.phases.reduce((n, p) => n + p.length, 0);
  const totalBytes = [...plan.sizes.values()].reduce((n, s) => n + s, 0);
  let done = 0;
  let bytes = 0;
  if (total > 0) report({ phase: 'transfer', done, total, bytes, totalBytes });
  for (const phase of plan.phases) {
    await settlePool(phase, jobs, async (hash) => {
      // Remote reads are hash-checked by the store (`get` re-hashes), and so are the bytes
      // planning kept; `put` writes atomically under the hash of what it was given.
      const data = reader.memo.get(hash) ?? (await source.get(hash));
      const stored = await dest.put(data);
      if (stored !== hash) {
        throw new MlopsError(
          'BLOB_CORRUPT',
          `Blob ${hash} read from ${source.location} hashes to ${stored}; nothing was stored under its name.`,
          { details: { hash, actual: stored } },
        );
      }
      done += 1;
      bytes += data.byteLength;
      report({ phase: 'transfer', done, total, bytes, totalBytes });
    });
  }
  return {
    remote: spec.remote.name,
    location: spec.remote.location,
    blobs: done,
    bytes,
    skipped: plan.skipped,
    paths: items.map(({ target, pointer }) => ({
      path: target.rel,
      sha256: pointer.sha256,
      size: pointer.size,
      ...(pointer.files === undefined ? {} : { files: pointer.files }),
      action: plan.upToDate.has(target.rel) ? 'up-to-date' : 'transferred',
    })),
  };
}

/** Names the remote in a failure that does not already say which store it was. */
async function withRemoteContext<R>(
  verb: string,
  remote: RemoteStore,
  fn: () => Promise<R>,
): Promise<R> {
  try {
    return await fn();
  } catch (err) {
    if (!MlopsError.is(err) || err.message.includes(remote.location)) throw err;
    throw new MlopsError(
      err.code,
      `Cannot ${verb} remote '${remote.name}' (${remote.location}): ${err.message}`,
      { cause: err, details: { remote: remote.name, ...err.details } },
    );
  }
}

import { MlopsError } from '../../core/index.js';
import type { BlobStore } from '../../blobs/index.js';
import { checkoutData, type CheckoutEntry } from '../checkout-data.js';
import type { DataContext } from '../data-context.js';
import { dataStatus } from '../data-status.js';
import { pointerTargets, targetOf } from '../find-pointers.js';
import { pointersAtRevisions, type RevisionSelection } from '../history/revision-pointers.js';
import { readPointerFile } from '../pointer.js';
import type { RemoteStore } from '../remotes/open-remote.js';
import { LayeredReader, presentIn, settlePool } from './blob-pool.js';
import { itemKey, planTransfer, type TransferItem } from './plan-transfer.js';

/**
 * Requests in flight at once unless `jobs` says otherwise. Chunks average 64 KiB, so a transfer
 * is many small requests whose round trips overlap: 32 keeps a remote tens of ms away busy.
 */
export const DEFAULT_TRANSFER_JOBS = 32;

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

export interface TransferOptions extends RevisionSelection {
  /** Requests in flight at once (default `DEFAULT_TRANSFER_JOBS`). */
  readonly jobs?: number;
  readonly onProgress?: (progress: TransferProgress) => void;
}

export interface TransferredPath {
  readonly path: string;
  /** Set for a version committed at a revision (`--rev`, `--all-commits`), not the working tree's. */
  readonly rev?: string;
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
  const items = await readItems(ctx, paths, options);
  const spec: TransferSpec = {
    direction: 'push',
    remote,
    reader: new LayeredReader([ctx.blobs]),
    source: ctx.blobs,
    dest: remote.blobs,
    destHas: (hashes, jobs, onChecked, sizes) => remote.hasMany(hashes, jobs, onChecked, sizes),
    // Planning found these missing, in batches: no lookup again before each upload.
    put: (bytes) => remote.putMissing(bytes),
    trustDestManifests: true,
    sourceMustHave: ctx.blobs,
    missingSource: (item, err) =>
      sourceError(
        item,
        err,
        `Cannot push ${item.target.rel}: the cache ${ctx.blobs.location} does not hold all of it (${err.message}). Run \`mlops data status\`; \`mlops data add ${item.target.rel}\` stores the workspace copy again, or push the other paths by name.`,
      ),
  };
  return withRemoteContext('push to', remote, () => transfer(items, spec, options));
}

/**
 * `mlops data fetch`: copies into the local cache what the selected pointers need and the cache
 * lacks, from the remote. Every blob is hash-checked as it is read from the remote and written
 * atomically; chunks land (durably) before manifests and listings, so the cache never claims
 * data it does not hold. The workspace is not touched. Fails before writing anything when the
 * remote lacks some of the data.
 */
export async function fetchData(
  ctx: DataContext,
  remote: RemoteStore,
  paths: readonly string[] = [],
  options: TransferOptions = {},
): Promise<TransferResult> {
  return fetchItems(ctx, remote, await readItems(ctx, paths, options), options);
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
  const items = await readItems(ctx, paths, options);
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
  // Committed versions (--rev, --all-commits) are only fetched; the workspace gets its own.
  const checkout = await checkoutData(
    ctx,
    items.filter((i) => i.rev === undefined).map((i) => i.target.rel),
  );
  return { ...fetched, checkout };
}

async function fetchItems(
  ctx: DataContext,
  remote: RemoteStore,
  items: readonly TransferItem[],
  options: TransferOptions,
): Promise<TransferResult> {
  const spec: TransferSpec = {
    direction: 'fetch',
    remote,
    reader: new LayeredReader([ctx.blobs, remote.blobs]),
    source: remote.blobs,
    dest: ctx.blobs,
    destHas: (hashes, jobs, onChecked) => presentIn(ctx.blobs, hashes, jobs, onChecked),
    put: (bytes) => ctx.blobs.put(bytes),
    trustDestManifests: false,
    missingSource: (item, err) =>
      sourceError(
        item,
        err,
        err.code === 'BLOB_NOT_FOUND'
          ? `Cannot fetch ${item.target.rel}: remote '${remote.name}' (${remote.location}) does not hold all of it (${err.message}). Push it from a machine whose cache has it (\`mlops data push ${item.target.rel}\`).`
          : `Cannot fetch ${item.target.rel}: ${err.message}`,
        { remote: remote.name },
      ),
  };
  return withRemoteContext('fetch from', remote, () => transfer(items, spec, options));
}

/** A failure to read what `item` names from the source, said in the direction's words. */
function sourceError(
  item: TransferItem,
  err: MlopsError,
  message: string,
  details: Record<string, unknown> = {},
): MlopsError {
  return new MlopsError(err.code, message, {
    cause: err,
    details: { path: item.target.rel, ...details, ...err.details },
  });
}

/**
 * The pointers `paths` name (all when empty) in the working tree, plus the versions committed at
 * the selected revisions (under the same paths; one item per distinct data version), read and
 * validated before anything moves.
 */
async function readItems(
  ctx: DataContext,
  paths: readonly string[],
  selection: RevisionSelection,
): Promise<TransferItem[]> {
  const targets = await pointerTargets(ctx, paths);
  const items: TransferItem[] = await Promise.all(
    targets.map(async (target) => ({
      target,
      pointer: await readPointerFile(target.pointerAbs, target.pointerRel),
    })),
  );
  const committed = await pointersAtRevisions(ctx.root, selection);
  if (committed.length === 0) return items;
  const wanted = (path: string) =>
    paths.length === 0 ||
    targets.some((t) => path === t.rel || path.startsWith(`${t.rel}/`) || t.rel === '.');
  const seen = new Set(items.map((i) => i.pointer.manifest));
  for (const { path, pointer, where } of committed) {
    if (!wanted(path) || seen.has(pointer.manifest)) continue;
    seen.add(pointer.manifest);
    items.push({ target: targetOf(ctx.root, path), pointer, rev: where });
  }
  return items;
}

interface TransferSpec {
  readonly direction: TransferDirection;
  readonly remote: RemoteStore;
  readonly reader: LayeredReader;
  readonly source: BlobStore;
  readonly dest: BlobStore;
  /** The subset of `hashes` `dest` holds (with the sizes `sizes` gives, where it checks them). */
  readonly destHas: (
    hashes: readonly string[],
    jobs: number,
    onChecked: (checked: number) => void,
    sizes: ReadonlyMap<string, number>,
  ) => Promise<Set<string>>;
  /** Stores bytes in `dest` (known missing there) and returns their hash. */
  readonly put: (bytes: Uint8Array) => Promise<string>;
  readonly trustDestManifests: boolean;
  readonly sourceMustHave?: BlobStore;
  readonly missingSource: (item: TransferItem, err: MlopsError) => MlopsError;
}

async function transfer(
  items: readonly TransferItem[],
  spec: TransferSpec,
  options: TransferOptions,
): Promise<TransferResult> {
  const { direction, reader, source, dest } = spec;
  const jobs = options.jobs ?? DEFAULT_TRANSFER_JOBS;
  const report = (p: Omit<TransferProgress, 'direction'>) =>
    options.onProgress?.({ direction, ...p });
  const plan = await planTransfer(items, {
    reader,
    destHas: (hashes, onChecked, sizes) => spec.destHas(hashes, jobs, onChecked, sizes),
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
      const stored = await spec.put(data);
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
    // Stores may defer durability to `flush`: a phase is durable before the next names it, and
    // all is before the caller records anything (a pull's checkout, a pointer).
    await dest.flush();
  }
  return {
    remote: spec.remote.name,
    location: spec.remote.location,
    blobs: done,
    bytes,
    skipped: plan.skipped,
    paths: items.map((item) => ({
      path: item.target.rel,
      ...(item.rev === undefined ? {} : { rev: item.rev }),
      sha256: item.pointer.sha256,
      size: item.pointer.size,
      ...(item.pointer.files === undefined ? {} : { files: item.pointer.files }),
      action: plan.upToDate.has(itemKey(item)) ? 'up-to-date' : 'transferred',
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

import { MlopsError } from '../../core/index.js';
import { readManifest, type BlobStore } from '../../blobs/index.js';
import { readListing } from '../directory-listing.js';
import type { PointerTarget } from '../find-pointers.js';
import type { DataPointer } from '../pointer.js';
import { presentIn, settlePool, type LayeredReader } from './blob-pool.js';

/** One versioned path to transfer: its working-tree version, or one committed at `rev`. */
export interface TransferItem {
  readonly target: PointerTarget;
  readonly pointer: DataPointer;
  readonly rev?: string;
}

/** How results name an item: its path, plus `@<rev>` for a committed version. */
export function itemKey(item: TransferItem): string {
  return item.rev === undefined ? item.target.rel : `${item.target.rel}@${item.rev}`;
}

/**
 * What the destination lacks, in the order to send it. Phase 0: chunks (file data and listing
 * bytes); phase 1: file manifests; phase 2: directory listings' manifests. Each phase completes
 * before the next starts, so a destination never holds a manifest whose chunks are missing, nor a
 * listing whose files are missing: an interrupted transfer leaves only complete objects behind
 * names that say "complete", and running it again sends the rest.
 */
export interface TransferPlan {
  readonly phases: readonly [chunks: string[], manifests: string[], listings: string[]];
  /** Size in bytes of every blob to send. */
  readonly sizes: ReadonlyMap<string, number>;
  /** Blobs found at the destination (not sent). */
  readonly skipped: number;
  /** Paths whose blobs were all at the destination already. */
  readonly upToDate: ReadonlySet<string>;
}

export interface PlanOptions {
  /** Reads manifests and listings (remembering them for the transfer). */
  readonly reader: LayeredReader;
  /**
   * The subset of `hashes` the destination holds (the remote's `hasMany` on push, which may
   * list rather than look up each); `onChecked` gets the number answered so far. A blob held
   * with another size than `sizes` gives (a truncated object) counts as missing.
   */
  readonly destHas: (
    hashes: readonly string[],
    onChecked: (checked: number) => void,
    sizes: ReadonlyMap<string, number>,
  ) => Promise<Set<string>>;
  /**
   * Take a manifest at the destination as proof that its chunks are there too (true for remotes,
   * which only mlops writes and always manifest-last): one lookup per file instead of one per
   * chunk. False for the local cache, where lookups are cheap and every chunk is checked.
   */
  readonly trustDestManifests: boolean;
  readonly concurrency: number;
  /** Wraps a failure to read what `item` names (not in the cache / not on the remote). */
  readonly missingSource: (item: TransferItem, err: MlopsError) => MlopsError;
  readonly onCheck?: (checked: number, total: number) => void;
  /**
   * Check that this store (the local cache, on push) holds every blob to send, so that a gap
   * fails the transfer before anything is sent rather than halfway through. Its sizes of
   * manifests are also the sizes the destination's copies must have to count as present.
   */
  readonly sourceMustHave?: BlobStore;
}

/** Works out which blobs `items` need that `dest` lacks; reads only manifests and listings. */
export async function planTransfer(
  items: readonly TransferItem[],
  options: PlanOptions,
): Promise<TransferPlan> {
  const { reader, concurrency } = options;
  const sizes = new Map<string, number>();
  let skipped = 0;
  const check = async (hashes: readonly string[], expected: ReadonlyMap<string, number>) => {
    if (hashes.length === 0) return new Set<string>();
    const present = await options.destHas(
      hashes,
      (n) => options.onCheck?.(n, hashes.length),
      expected,
    );
    skipped += present.size;
    return present;
  };
  /** The sizes of `hashes` in `sourceMustHave`, where it has them (one stat each locally). */
  const sourceSizes = async (hashes: readonly string[]) => {
    const found = new Map<string, number>();
    const source = options.sourceMustHave;
    if (source === undefined) return found;
    await settlePool(hashes, concurrency, async (h) => {
      try {
        found.set(h, await source.size(h));
      } catch (err) {
        if (!MlopsError.is(err) || err.code !== 'BLOB_NOT_FOUND') throw err;
      }
    });
    return found;
  };
  const guard = async <R>(item: TransferItem, fn: () => Promise<R>): Promise<R> => {
    try {
      return await fn();
    } catch (err) {
      if (MlopsError.is(err) && (err.code === 'BLOB_NOT_FOUND' || err.code === 'BLOB_CORRUPT')) {
        throw options.missingSource(item, err);
      }
      throw err;
    }
  };

  // 1. The top-level manifests: on a trusted destination, present means complete.
  let pending = [...items];
  const knownMissing = new Set<string>();
  if (options.trustDestManifests) {
    const tops = unique(items.map((i) => i.pointer.manifest));
    const present = await check(tops, await sourceSizes(tops));
    pending = items.filter((i) => !present.has(i.pointer.manifest));
    for (const i of pending) knownMissing.add(i.pointer.manifest);
  }

  // 2. Directories: read each listing (its manifest and bytes); its files join the file list.
  const owners = new Map<string, Set<string>>(); // blob -> paths that need it
  const own = (hash: string, item: TransferItem) => {
    let set = owners.get(hash);
    if (!set) owners.set(hash, (set = new Set()));
    set.add(itemKey(item));
  };
  const listings = new Set<string>();
  const fileManifests = new Map<string, TransferItem>();
  for (const item of pending) {
    const top = item.pointer.manifest;
    if (item.pointer.files === undefined) {
      if (!fileManifests.has(top)) fileManifests.set(top, item);
      own(top, item);
      continue;
    }
    listings.add(top);
    own(top, item);
    const entries = await guard(item, async () => {
      const listingManifest = await readManifest(reader, top);
      sizes.set(top, (await reader.get(top)).byteLength);
      for (const c of listingManifest.chunks) {
        sizes.set(c.hash, c.size);
        own(c.hash, item);
      }
      return readListing(reader, top);
    });
    for (const e of entries) {
      if (!fileManifests.has(e.manifest)) fileManifests.set(e.manifest, item);
      own(e.manifest, item);
    }
  }

  // 3. Files: a trusted destination's manifests need no expanding.
  let expand = [...fileManifests.keys()];
  if (options.trustDestManifests) {
    const unknown = expand.filter((h) => !knownMissing.has(h));
    const present = await check(unknown, await sourceSizes(unknown));
    expand = expand.filter((h) => !present.has(h));
  }
  const manifests = new Set(expand);
  await settlePool(expand, concurrency, async (id) => {
    const item = fileManifests.get(id) as TransferItem;
    await guard(item, async () => {
      const manifest = await readManifest(reader, id);
      sizes.set(id, (await reader.get(id)).byteLength);
      for (const c of manifest.chunks) {
        sizes.set(c.hash, c.size);
        own(c.hash, item);
      }
    });
  });

  // 4. Everything not yet known to be missing is looked up at the destination.
  const candidates = [...sizes.keys()];
  const known = options.trustDestManifests ? new Set([...manifests, ...listings]) : new Set();
  const present = await check(
    candidates.filter((h) => !known.has(h)),
    sizes,
  );
  const missing = (h: string) => !present.has(h);
  const chunks = candidates.filter((h) => missing(h) && !manifests.has(h) && !listings.has(h));
  const phases: TransferPlan['phases'] = [
    chunks,
    [...manifests].filter(missing),
    [...listings].filter(missing),
  ];
  if (options.sourceMustHave) {
    const toSend = phases.flat();
    const held = await presentIn(options.sourceMustHave, toSend, concurrency);
    const lacking = toSend.find((h) => !held.has(h));
    if (lacking !== undefined) {
      const rel = [...(owners.get(lacking) ?? [])][0];
      const item = items.find((i) => itemKey(i) === rel) ?? items[0];
      const err = new MlopsError(
        'BLOB_NOT_FOUND',
        `Blob ${lacking} not found in ${options.sourceMustHave.location}.`,
        { details: { hash: lacking } },
      );
      throw item ? options.missingSource(item, err) : err;
    }
  }
  const touched = new Set<string>();
  for (const phase of phases) {
    for (const h of phase) for (const rel of owners.get(h) ?? []) touched.add(rel);
  }
  const upToDate = new Set(items.map(itemKey).filter((key) => !touched.has(key)));
  for (const h of candidates) if (!missing(h)) sizes.delete(h);
  return { phases, sizes, skipped, upToDate };
}

function unique(hashes: readonly string[]): string[] {
  return [...new Set(hashes)];
}

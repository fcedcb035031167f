import { MlopsError } from '../core/index.js';
import { isBlobHash } from './blob-hash.js';
import type { BlobStore } from './blob-store.js';
import type { GcRootProvider, GcRootRegistry } from './gc-root-registry.js';
import { decodeManifest, looksLikeManifest } from './manifest.js';

export interface GcOptions {
  /** Report what would be deleted; delete nothing. */
  readonly dryRun?: boolean;
}

/** A root (or a chunk of a root manifest) that a provider named but the store lacks. */
export interface GcMissing {
  readonly provider: string;
  readonly hash: string;
  /** The manifest that lists `hash` as a chunk, when it is one. */
  readonly manifestId?: string;
}

export interface GcReport {
  readonly dryRun: boolean;
  readonly kept: number;
  /** Deleted, or that would be deleted on a dry run. */
  readonly deleted: number;
  readonly bytesFreed: number;
  /** Roots yielded per provider (duplicates counted once per provider). */
  readonly roots: Readonly<Record<string, number>>;
  readonly missing: readonly GcMissing[];
  /** Roots that could not be read to find their chunks (kept, and worth a `verify`). */
  readonly unreadable: readonly string[];
  /** Temp files crashed writers had left, removed (0 on a dry run). */
  readonly tempsRemoved: number;
}

/**
 * Mark and sweep: every root and, when a root is a manifest, its chunks are kept; every other
 * blob is deleted. A provider that throws or yields a malformed hash aborts gc before anything is
 * deleted. The store is listed before marking, so blobs written while gc runs are not swept;
 * still, run gc when no writer is recording new roots.
 */
export async function collectGarbage(
  blobs: BlobStore,
  registry: GcRootRegistry,
  options: GcOptions = {},
): Promise<GcReport> {
  const dryRun = options.dryRun === true;
  const candidates = new Set<string>();
  for await (const hash of blobs.list()) candidates.add(hash);
  // Listed blobs exist; others (written since) are asked about one by one.
  const exists = async (hash: string) => candidates.has(hash) || (await blobs.has(hash));

  const marked = new Set<string>();
  const roots: Record<string, number> = {};
  const missing: GcMissing[] = [];
  const unreadable: string[] = [];
  for (const { name, provider } of registry.entries()) {
    const seen = new Set<string>();
    for await (const root of rootsOf(name, provider)) {
      if (!isBlobHash(root)) {
        throw new MlopsError(
          'INVALID_PARAMETER_VALUE',
          `gc root provider '${name}' yielded ${JSON.stringify(String(root).slice(0, 80))}, not a 64-hex blob hash; nothing was deleted.`,
        );
      }
      if (seen.has(root)) continue;
      seen.add(root);
      if (marked.has(root)) continue;
      if (!(await exists(root))) {
        missing.push({ provider: name, hash: root });
        continue;
      }
      marked.add(root);
      await markChunks(blobs, root, name, { marked, missing, unreadable, exists });
    }
    roots[name] = seen.size;
  }

  let kept = 0;
  let deleted = 0;
  let bytesFreed = 0;
  for (const hash of candidates) {
    if (marked.has(hash)) {
      kept++;
      continue;
    }
    const size = await blobs.size(hash).catch((err: unknown) => {
      if (MlopsError.is(err) && err.code === 'BLOB_NOT_FOUND') return undefined;
      throw err;
    });
    if (size === undefined) continue; // deleted by someone else meanwhile
    if (!dryRun) await blobs.delete(hash);
    deleted++;
    bytesFreed += size;
  }
  const tempsRemoved = dryRun ? 0 : ((await blobs.sweepTemps?.()) ?? 0);
  return { dryRun, kept, deleted, bytesFreed, roots, missing, unreadable, tempsRemoved };
}

/** The provider's roots; any failure inside the provider aborts gc with its name. */
async function* rootsOf(name: string, provider: GcRootProvider): AsyncIterable<string> {
  let iterator: AsyncIterator<string> | Iterator<string>;
  try {
    const roots = await provider();
    iterator =
      Symbol.asyncIterator in roots ? roots[Symbol.asyncIterator]() : roots[Symbol.iterator]();
  } catch (err) {
    throw gcAborted(name, err);
  }
  for (;;) {
    let step: IteratorResult<string>;
    try {
      step = await iterator.next();
    } catch (err) {
      throw gcAborted(name, err);
    }
    if (step.done) return;
    yield step.value;
  }
}

interface MarkState {
  readonly marked: Set<string>;
  readonly missing: GcMissing[];
  readonly unreadable: string[];
  readonly exists: (hash: string) => Promise<boolean>;
}

async function markChunks(
  blobs: BlobStore,
  root: string,
  provider: string,
  { marked, missing, unreadable, exists }: MarkState,
): Promise<void> {
  let bytes: Uint8Array;
  try {
    bytes = await blobs.get(root);
  } catch (err) {
    if (MlopsError.is(err) && (err.code === 'BLOB_CORRUPT' || err.code === 'BLOB_NOT_FOUND')) {
      unreadable.push(root);
      return;
    }
    throw err;
  }
  if (!looksLikeManifest(bytes)) return;
  let chunks;
  try {
    chunks = decodeManifest(bytes, root).chunks;
  } catch {
    unreadable.push(root); // a raw blob that merely starts like a manifest; kept as a root
    return;
  }
  for (const hash of new Set(chunks.map((c) => c.hash))) {
    if (marked.has(hash)) continue;
    if (await exists(hash)) marked.add(hash);
    else missing.push({ provider, hash, manifestId: root });
  }
}

function gcAborted(name: string, err: unknown): MlopsError {
  return new MlopsError(
    MlopsError.is(err) ? err.code : 'INTERNAL_ERROR',
    `gc root provider '${name}' failed (${err instanceof Error ? err.message : String(err)}); nothing was deleted.`,
    { cause: err },
  );
}

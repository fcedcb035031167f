import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { MlopsError } from '../core/index.js';
import { assertBlobHash, LocalBlobStore, readManifest, type BlobStore } from '../blobs/index.js';
import { readListing } from './directory-listing.js';
import { ioError, isNotFound } from './fs-errors.js';
import { mapLimit } from './map-limit.js';
import type { DataPointer } from './pointer.js';

/** Store lookups in flight at once. */
const LOOKUPS = 16;
/**
 * From this many ids on, a local store is asked by reading the prefix directories they fall in
 * (256 at most) rather than with one stat per id: 100,000 stats cost seconds, the reads ~0.1 s.
 */
const READ_DIRS_FROM = 256;

/** The ones of `ids` that the store lacks. */
async function missingIds(blobs: BlobStore, ids: Iterable<string>): Promise<Set<string>> {
  const wanted = new Set(ids);
  const missing = new Set<string>();
  if (!(blobs instanceof LocalBlobStore) || wanted.size < READ_DIRS_FROM) {
    await mapLimit([...wanted], LOOKUPS, async (id) => {
      if (!(await blobs.has(id))) missing.add(id);
    });
    return missing;
  }
  // Per prefix directory, the wanted names not found in it (one Set of the wanted, not of all).
  const byPrefix = new Map<string, Set<string>>();
  for (const id of wanted) {
    const prefix = id.slice(0, 2);
    const group = byPrefix.get(prefix);
    if (group) group.add(id.slice(2));
    else byPrefix.set(prefix, new Set([id.slice(2)]));
  }
  await mapLimit([...byPrefix], LOOKUPS, async ([prefix, group]) => {
    assertBlobHash(prefix + [...group][0]); // the prefix becomes a path; the rest is compared
    for (const name of await blobNames(join(blobs.root, prefix))) group.delete(name);
    for (const rest of group) missing.add(prefix + rest);
  });
  return missing;
}

/** True when the store holds manifest `id` and every chunk it lists (bytes are not re-hashed). */
export async function storedFileComplete(blobs: BlobStore, id: string): Promise<boolean> {
  return (await incompleteFiles(blobs, [id])).size === 0;
}

/**
 * The ones of stored-file manifests `ids` that the store cannot give back: the manifest or a
 * chunk of it is missing, or the manifest is corrupt. Checked in batches (see `missingIds`).
 */
export async function incompleteFiles(
  blobs: BlobStore,
  ids: readonly string[],
): Promise<Set<string>> {
  const lost = await missingIds(blobs, ids);
  const chunksOf = new Map<string, string[]>();
  const present = [...new Set(ids)].filter((id) => !lost.has(id));
  await mapLimit(present, LOOKUPS, async (id) => {
    const manifest = await unlessMissingOrCorrupt(readManifest(blobs, id));
    if (manifest)
      chunksOf.set(
        id,
        manifest.chunks.map((c) => c.hash),
      );
    else lost.add(id);
  });
  const gone = await missingIds(blobs, [...chunksOf.values()].flat());
  if (gone.size === 0) return lost;
  for (const [id, hashes] of chunksOf) if (hashes.some((h) => gone.has(h))) lost.add(id);
  return lost;
}

/**
 * True when everything the pointer names is stored: the manifest and its chunks, for a directory
 * the listing and each listed file's manifest and chunks (every file manifest is read).
 */
export function pointerCached(blobs: BlobStore, pointer: DataPointer): Promise<boolean> {
  return pointerComplete(blobs, pointer, incompleteFiles);
}

/**
 * What `data status` reports as `cached`, reading at most one manifest or listing per pointer: a
 * file's manifest and its chunks; a directory's listing (read whole, so complete) and the
 * presence of each file manifest it names. Those file manifests are not opened (100,000 reads
 * for 100,000 files): a store writes a manifest only after its chunks, so a present manifest had
 * them all. `pointerCached` and `mlops data verify` check every chunk.
 */
export function pointerStored(blobs: BlobStore, pointer: DataPointer): Promise<boolean> {
  return pointerComplete(blobs, pointer, missingIds);
}

/**
 * True when the store holds a file pointer's manifest and chunks, or a directory pointer's
 * listing with none of its file manifests in what `lacking` returns.
 */
async function pointerComplete(
  blobs: BlobStore,
  pointer: DataPointer,
  lacking: (blobs: BlobStore, fileManifests: string[]) => Promise<Set<string>>,
): Promise<boolean> {
  if (pointer.files === undefined) return storedFileComplete(blobs, pointer.manifest);
  const entries = await unlessMissingOrCorrupt(readListing(blobs, pointer.manifest));
  if (!entries) return false;
  const lost = await lacking(
    blobs,
    entries.map((e) => e.manifest),
  );
  return lost.size === 0;
}

/** What `read` gives, or undefined when the blob is missing or corrupt (other failures throw). */
async function unlessMissingOrCorrupt<T>(read: Promise<T>): Promise<T | undefined> {
  try {
    return await read;
  } catch (err) {
    if (isMissingOrCorrupt(err)) return undefined;
    throw err;
  }
}

function isMissingOrCorrupt(err: unknown): boolean {
  return MlopsError.is(err) && (err.code === 'BLOB_NOT_FOUND' || err.code === 'BLOB_CORRUPT');
}

/** Names in a prefix directory of the store (none when it does not exist). */
async function blobNames(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (isNotFound(err)) return [];
    throw ioError('list', dir, err);
  }
}

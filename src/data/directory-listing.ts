import { createHash } from 'node:crypto';
import { z } from 'zod';
import { MlopsError } from '../core/index.js';
import { readStoredFile, type BlobStore } from '../blobs/index.js';

/** One file of a versioned directory. `path` is relative to the directory, '/'-separated. */
export interface ListingEntry {
  readonly path: string;
  readonly sha256: string;
  /** 0o755 when any execute bit is set, else 0o644 (restored on checkout). */
  readonly mode: number;
  readonly size: number;
  /** The file's chunk manifest in the byte store. */
  readonly manifest: string;
}

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const listingSchema = z.object({
  kind: z.literal('mlops.directory'),
  version: z.literal(1),
  entries: z.array(
    z.object({
      path: z.string().min(1),
      sha256: hex64,
      mode: z.union([z.literal(0o644), z.literal(0o755)]),
      size: z.number().int().nonnegative(),
      manifest: hex64,
    }),
  ),
});

export function fileMode(mode: number): number {
  return (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

export function sortEntries<T extends { readonly path: string }>(entries: readonly T[]): T[] {
  return [...entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * A directory's identity: sha256 of the canonical JSON of its sorted (path, sha256, mode) list.
 * Manifest ids are left out on purpose, so the identity does not depend on how files were chunked.
 */
export function directoryHash(
  entries: readonly Pick<ListingEntry, 'path' | 'sha256' | 'mode'>[],
): string {
  const canonical = sortEntries(entries).map((e) => ({
    path: e.path,
    sha256: e.sha256,
    mode: e.mode,
  }));
  return createHash('sha256').update(JSON.stringify(canonical)).digest('hex');
}

/** The stored form of a listing (canonical JSON; entries sorted by path). */
export function encodeListing(entries: readonly ListingEntry[]): Uint8Array {
  const sorted = sortEntries(entries).map((e) => ({
    path: e.path,
    sha256: e.sha256,
    mode: e.mode,
    size: e.size,
    manifest: e.manifest,
  }));
  return Buffer.from(JSON.stringify({ kind: 'mlops.directory', version: 1, entries: sorted }));
}

/** Loads the listing stored under `manifestId`; `BLOB_CORRUPT` when it is not one. */
export async function readListing(blobs: BlobStore, manifestId: string): Promise<ListingEntry[]> {
  const bytes = await readStoredFile(blobs, manifestId);
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    value = undefined;
  }
  const parsed = listingSchema.safeParse(value);
  if (!parsed.success) {
    throw new MlopsError(
      'BLOB_CORRUPT',
      `Stored directory listing ${manifestId} is not a valid listing; run \`mlops data add\` on the directory again.`,
      { details: { hash: manifestId } },
    );
  }
  for (const e of parsed.data.entries) {
    if (e.path.startsWith('/') || e.path.split('/').some((p) => p === '..' || p === '')) {
      throw new MlopsError(
        'BLOB_CORRUPT',
        `Stored directory listing ${manifestId} names an unsafe path ${JSON.stringify(e.path)}.`,
        { details: { hash: manifestId } },
      );
    }
  }
  return parsed.data.entries;
}

import { MlopsError } from '../../core/index.js';
import { readManifest, verifyBlobs, type BlobStore } from '../../blobs/index.js';
import type { DataContext } from '../data-context.js';
import { directoryHash, readListing } from '../directory-listing.js';
import { findPointers, targetOf } from '../find-pointers.js';
import { readPointerFile } from '../pointer.js';

/** Something a working-tree pointer names that the store cannot give back intact. */
export interface PointerProblem {
  /** The data path; for a file of a versioned directory, `<dir>/<file>`. */
  readonly path: string;
  /** `pointer`: the pointer file itself is invalid (`hash` is then empty). */
  readonly what: 'pointer' | 'manifest' | 'chunk' | 'listing';
  readonly problem: 'missing' | 'corrupt' | 'invalid';
  readonly hash: string;
  readonly detail?: string;
}

export interface DataVerifyReport {
  /** Blobs re-hashed, and their bytes. */
  readonly checked: number;
  readonly bytes: number;
  /** Blobs whose bytes no longer match their name. */
  readonly corrupt: readonly string[];
  /** Working-tree pointers checked. */
  readonly pointers: number;
  readonly problems: readonly PointerProblem[];
  /** True when nothing is corrupt, missing or invalid. */
  readonly ok: boolean;
}

/**
 * `mlops data verify`: re-hashes every blob in the store (`verifyBlobs`), then checks that each
 * working-tree pointer's manifest (for a directory: listing and each file's manifest) and every
 * chunk they list are present and intact, and that the recorded hashes agree with the pointer.
 * It reports; it repairs nothing.
 */
export async function verifyData(ctx: DataContext): Promise<DataVerifyReport> {
  const blobsReport = await verifyBlobs(ctx.blobs);
  const corrupt = new Set(blobsReport.corrupt);
  const problems: PointerProblem[] = [];
  const rels = await findPointers(ctx.root);
  for (const rel of rels) {
    const target = targetOf(ctx.root, rel);
    let pointer;
    try {
      pointer = await readPointerFile(target.pointerAbs, target.pointerRel);
    } catch (err) {
      if (!MlopsError.is(err) || err.code !== 'INVALID_PARAMETER_VALUE') throw err;
      problems.push({
        path: rel,
        what: 'pointer',
        problem: 'invalid',
        hash: '',
        detail: err.message,
      });
      continue;
    }
    if (pointer.files === undefined) {
      problems.push(
        ...(await checkStoredFile(ctx.blobs, corrupt, rel, pointer.manifest, pointer.sha256)),
      );
      continue;
    }
    const listingProblems = await checkStoredFile(ctx.blobs, corrupt, rel, pointer.manifest);
    if (listingProblems.length > 0) {
      problems.push(
        ...listingProblems.map((p) => ({
          ...p,
          what: p.what === 'manifest' ? ('listing' as const) : p.what,
        })),
      );
      continue;
    }
    let entries;
    try {
      entries = await readListing(ctx.blobs, pointer.manifest);
    } catch (err) {
      if (!MlopsError.is(err) || err.code !== 'BLOB_CORRUPT') throw err;
      problems.push({
        path: rel,
        what: 'listing',
        problem: 'corrupt',
        hash: pointer.manifest,
        detail: err.message,
      });
      continue;
    }
    if (directoryHash(entries) !== pointer.sha256) {
      problems.push({
        path: rel,
        what: 'listing',
        problem: 'corrupt',
        hash: pointer.manifest,
        detail: `the listing does not hash to the pointer's ${pointer.sha256}`,
      });
      continue;
    }
    for (const e of entries) {
      problems.push(
        ...(await checkStoredFile(ctx.blobs, corrupt, `${rel}/${e.path}`, e.manifest, e.sha256)),
      );
    }
  }
  return {
    checked: blobsReport.checked,
    bytes: blobsReport.bytes,
    corrupt: blobsReport.corrupt,
    pointers: rels.length,
    problems,
    ok: blobsReport.corrupt.length === 0 && problems.length === 0,
  };
}

/** Problems of stored file `manifestId` (and its chunks); `sha256` is what its bytes must hash to. */
async function checkStoredFile(
  blobs: BlobStore,
  corrupt: ReadonlySet<string>,
  path: string,
  manifestId: string,
  sha256?: string,
): Promise<PointerProblem[]> {
  const base = { path, what: 'manifest' as const, hash: manifestId };
  if (corrupt.has(manifestId)) return [{ ...base, problem: 'corrupt' }];
  if (!(await blobs.has(manifestId))) return [{ ...base, problem: 'missing' }];
  let manifest;
  try {
    manifest = await readManifest(blobs, manifestId);
  } catch (err) {
    if (!MlopsError.is(err)) throw err;
    if (err.code === 'BLOB_NOT_FOUND') return [{ ...base, problem: 'missing' }];
    if (err.code === 'BLOB_CORRUPT') return [{ ...base, problem: 'corrupt', detail: err.message }];
    throw err;
  }
  if (sha256 !== undefined && manifest.sha256 !== sha256) {
    return [
      {
        ...base,
        problem: 'corrupt',
        detail: `the manifest records sha256 ${manifest.sha256}, the pointer ${sha256}`,
      },
    ];
  }
  const out: PointerProblem[] = [];
  for (const hash of new Set(manifest.chunks.map((c) => c.hash))) {
    if (corrupt.has(hash)) out.push({ path, what: 'chunk', problem: 'corrupt', hash });
    else if (!(await blobs.has(hash))) out.push({ path, what: 'chunk', problem: 'missing', hash });
  }
  return out;
}

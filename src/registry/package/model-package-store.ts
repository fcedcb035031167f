import { readStoredFile, storeBytes, type BlobStore } from '../../blobs/index.js';
import { MlopsError, invalidParam } from '../../core/index.js';
import {
  buildModelPackage,
  type ModelPackageFields,
  type PackageFileRecord,
} from './build-model-package.js';
import { packageCorrupt, parseModelManifest } from './manifest-text.js';
import type { ModelPackageManifest } from './model-manifest.js';
import { computePackageHash } from './package-hash.js';
import {
  formatReferenceSample,
  parseReferenceSample,
  REFERENCE_FILE,
  type ReferenceSample,
} from './reference-sample.js';

export interface StoreModelPackageInput {
  readonly fields: Omit<ModelPackageFields, 'reference'>;
  /** Files already in the byte store (a run's artifact records, re-rooted at the package). */
  readonly files: readonly PackageFileRecord[];
  /** Stored as reference.json, a new blob beside the MLmodel. */
  readonly reference?: ReferenceSample;
}

export interface StoredModelPackage {
  /** The MLmodel's manifest id in the byte store: the model version's packageHash. */
  readonly packageHash: string;
  readonly manifest: ModelPackageManifest;
}

const encoder = new TextEncoder();

/**
 * Stores a package whose files are already stored: only the MLmodel text and reference.json are
 * new blobs, so registering a run's model stores nothing twice. Every named file must be present
 * in `blobs` (`BLOB_NOT_FOUND` naming it otherwise); everything is durable before the hash returns.
 */
export async function storeModelPackage(
  blobs: BlobStore,
  input: StoreModelPackageInput,
): Promise<StoredModelPackage> {
  for (const f of input.files) {
    if (!(await blobs.has(f.manifestId))) {
      throw new MlopsError(
        'BLOB_NOT_FOUND',
        `Model package file '${f.path}' (manifest ${f.manifestId}) is not in the byte store at ${blobs.location}.`,
        { details: { path: f.path, hash: f.manifestId } },
      );
    }
  }
  const files = [...input.files];
  let fields: ModelPackageFields = input.fields;
  if (input.reference) {
    if (files.some((f) => f.path === REFERENCE_FILE)) {
      throw invalidParam(`The model's files already hold a '${REFERENCE_FILE}'; rename it.`);
    }
    const bytes = encoder.encode(formatReferenceSample(input.reference));
    const stored = await storeBytes(blobs, bytes, { flush: false });
    files.push({ path: REFERENCE_FILE, manifestId: stored.manifestId, size: stored.size });
    fields = {
      ...fields,
      reference: {
        file: REFERENCE_FILE,
        feature_columns: [...input.reference.features.columns],
        rows: input.reference.features.rows.length,
      },
    };
  }
  const built = buildModelPackage(fields, files);
  const stored = await storeBytes(blobs, encoder.encode(built.text), { flush: false });
  await blobs.flush();
  return { packageHash: stored.manifestId, manifest: built.manifest };
}

/** A verified package: the manifest and every file's bytes, checked against their hashes. */
export interface LoadedModelPackage {
  readonly packageHash: string;
  readonly manifest: ModelPackageManifest;
  /** The MLmodel text as stored. */
  readonly text: string;
  /** The bytes of a package file (`RESOURCE_DOES_NOT_EXIST` naming it when the package has none). */
  readFile(path: string): Promise<Uint8Array>;
  /** The reference sample, when the package has one. */
  reference(): Promise<ReferenceSample | undefined>;
}

async function readVerified(
  blobs: BlobStore,
  packageHash: string,
  file: string,
  manifestId: string,
): Promise<Uint8Array> {
  try {
    return await readStoredFile(blobs, manifestId);
  } catch (err) {
    if (MlopsError.is(err) && (err.code === 'BLOB_NOT_FOUND' || err.code === 'BLOB_CORRUPT')) {
      const what = err.code === 'BLOB_NOT_FOUND' ? 'is missing from' : 'is corrupt in';
      throw packageCorrupt(
        packageHash,
        `file '${file}' (manifest ${manifestId}) ${what} the byte store at ${blobs.location}: ${err.message}`,
        { file, hash: manifestId },
        err,
      );
    }
    throw err;
  }
}

/**
 * Reads and verifies the package whose MLmodel has manifest id `packageHash`: the MLmodel's bytes
 * hash to it, its `package_hash` recomputes, and every file's bytes hash to their manifest id and
 * size. Any mismatch is `PACKAGE_CORRUPT` naming the file. Files are read once, up front, so a
 * loaded package never fails later.
 */
export async function readModelPackage(
  blobs: BlobStore,
  packageHash: string,
): Promise<LoadedModelPackage> {
  if (!/^[0-9a-f]{64}$/.test(packageHash)) {
    throw invalidParam(
      `Package hash '${packageHash}' is not a sha256 (64 lower-case hex characters).`,
    );
  }
  const bytes = await readVerified(blobs, packageHash, 'MLmodel', packageHash);
  const text = new TextDecoder().decode(bytes);
  const manifest = parseModelManifest(text, packageHash);
  const recomputed = computePackageHash(manifest);
  if (recomputed !== manifest.package_hash) {
    throw packageCorrupt(
      packageHash,
      `its MLmodel's package_hash ${manifest.package_hash} does not match its content (${recomputed}); the manifest was edited`,
      { file: 'MLmodel' },
    );
  }
  const contents = new Map<string, Uint8Array>();
  for (const [path, entry] of Object.entries(manifest.files)) {
    const data = await readVerified(blobs, packageHash, path, entry.manifest_id);
    if (data.byteLength !== entry.size) {
      throw packageCorrupt(
        packageHash,
        `file '${path}' has ${data.byteLength} bytes, the MLmodel records ${entry.size}`,
        { file: path },
      );
    }
    contents.set(path, data);
  }
  const readFile = async (path: string): Promise<Uint8Array> => {
    const data = contents.get(path);
    if (data) return data;
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `Model package ${packageHash} has no file '${path}' (it has ${[...contents.keys()].join(', ')}).`,
    );
  };
  return {
    packageHash,
    manifest,
    text,
    readFile,
    async reference() {
      const file = manifest.reference?.file;
      if (file === undefined) return undefined;
      const result = parseReferenceSample(new TextDecoder().decode(await readFile(file)));
      if ('problem' in result) {
        throw packageCorrupt(
          packageHash,
          `file '${file}' is not a reference sample: ${result.problem}`,
          {
            file,
          },
        );
      }
      return result.sample;
    },
  };
}

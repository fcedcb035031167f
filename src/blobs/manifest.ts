import { MlopsError } from '../core/index.js';
import { isBlobHash } from './blob-hash.js';

export interface ManifestChunk {
  readonly hash: string;
  readonly size: number;
}

/**
 * What a stored file is: its size, the sha256 of its whole bytes, and its chunks in order. The
 * manifest is itself a blob; its hash (the manifest id) names the stored file.
 */
export interface Manifest {
  readonly kind: 'mlops.manifest';
  readonly version: 1;
  readonly size: number;
  readonly sha256: string;
  readonly chunks: readonly ManifestChunk[];
}

/** Every encoded manifest starts with these bytes; gc uses them to spot manifests among roots. */
export const MANIFEST_PREFIX = '{"kind":"mlops.manifest",';

/**
 * Canonical JSON (fixed key order, no spaces), so the same file always gets the same manifest id.
 */
export function encodeManifest(manifest: Omit<Manifest, 'kind' | 'version'>): Uint8Array {
  const canonical = {
    kind: 'mlops.manifest',
    version: 1,
    size: manifest.size,
    sha256: manifest.sha256,
    chunks: manifest.chunks.map((c) => ({ hash: c.hash, size: c.size })),
  };
  return Buffer.from(JSON.stringify(canonical), 'utf8');
}

/** True when `bytes` starts like an encoded manifest (cheap; `decodeManifest` decides). */
export function looksLikeManifest(bytes: Uint8Array): boolean {
  const prefix = Buffer.from(MANIFEST_PREFIX, 'utf8');
  return bytes.byteLength >= prefix.byteLength && prefix.equals(bytes.subarray(0, prefix.length));
}

/** Parses and validates a manifest blob; anything malformed is `BLOB_CORRUPT` naming `id`. */
export function decodeManifest(bytes: Uint8Array, id: string): Manifest {
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString());
  } catch (err) {
    throw corrupt(id, `it is not JSON (${(err as Error).message})`);
  }
  const m = value as Record<string, unknown> | null;
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw corrupt(id, 'not an object');
  if (m['kind'] !== 'mlops.manifest') throw corrupt(id, `kind is not "mlops.manifest"`);
  if (m['version'] !== 1) throw corrupt(id, `version ${String(m['version'])} is not 1`);
  if (!isSize(m['size'])) throw corrupt(id, 'size is not a non-negative integer');
  if (!isBlobHash(m['sha256'])) throw corrupt(id, 'sha256 is not 64 lower-case hex');
  if (!Array.isArray(m['chunks'])) throw corrupt(id, 'chunks is not an array');
  const chunks: ManifestChunk[] = [];
  let total = 0;
  for (const [i, c] of (m['chunks'] as unknown[]).entries()) {
    const chunk = c as Record<string, unknown> | null;
    if (typeof chunk !== 'object' || chunk === null)
      throw corrupt(id, `chunks[${i}] not an object`);
    if (!isBlobHash(chunk['hash'])) throw corrupt(id, `chunks[${i}].hash is not 64 lower-case hex`);
    if (!isSize(chunk['size']) || chunk['size'] === 0) {
      throw corrupt(id, `chunks[${i}].size is not a positive integer`);
    }
    chunks.push({ hash: chunk['hash'], size: chunk['size'] });
    total += chunk['size'];
  }
  if (total !== m['size']) throw corrupt(id, `chunk sizes add up to ${total}, not ${m['size']}`);
  return { kind: 'mlops.manifest', version: 1, size: m['size'], sha256: m['sha256'], chunks };
}

function isSize(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function corrupt(id: string, why: string): MlopsError {
  return new MlopsError('BLOB_CORRUPT', `Manifest ${id} is invalid: ${why}.`, {
    details: { hash: id },
  });
}

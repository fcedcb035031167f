import { isBlobHash } from './blob-hash.js';
import { manifestCorrupt as corrupt, type Manifest, type ManifestChunk } from './manifest-types.js';

/** Version 1 manifests were canonical JSON starting with these bytes; stores still hold some. */
export const JSON_MANIFEST_PREFIX = Buffer.from('{"kind":"mlops.manifest",', 'utf8');

/** Reads a version 1 (JSON) manifest; anything malformed is `BLOB_CORRUPT` naming `id`. */
export function decodeJsonManifest(bytes: Uint8Array, id: string): Manifest {
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

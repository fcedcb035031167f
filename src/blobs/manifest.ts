import { MlopsError } from '../core/index.js';
import { isBlobHash } from './blob-hash.js';
import { decodeJsonManifest, JSON_MANIFEST_PREFIX } from './manifest-json.js';
import { manifestCorrupt, type Manifest, type ManifestChunk } from './manifest-types.js';

export type { Manifest, ManifestChunk } from './manifest-types.js';

/**
 * Binary layout, all integers little-endian: the 8 magic bytes, total size (u64), whole-file
 * sha256 (32 bytes), chunk count (u32), then per chunk its sha256 (32 bytes) and size (u32).
 * 36 bytes a chunk against ~100 in JSON: manifests are most of what a small edit adds to the
 * store, since every version of a file gets a new one.
 */
const MANIFEST_MAGIC = Buffer.from('MLOPSMF\x02', 'latin1');
const HEADER = MANIFEST_MAGIC.length + 8 + 32 + 4;
const ENTRY = 32 + 4;
const MAX_CHUNK = 0xffffffff;

/** Canonical bytes (one encoding per manifest), so the same file always gets the same id. */
export function encodeManifest(manifest: Omit<Manifest, 'kind' | 'version'>): Uint8Array {
  const out = Buffer.allocUnsafe(HEADER + ENTRY * manifest.chunks.length);
  MANIFEST_MAGIC.copy(out, 0);
  let at = MANIFEST_MAGIC.length;
  out.writeBigUInt64LE(BigInt(manifest.size), at);
  at += 8;
  at += out.write(manifest.sha256, at, 32, 'hex');
  out.writeUInt32LE(manifest.chunks.length, at);
  at += 4;
  for (const c of manifest.chunks) {
    if (!isBlobHash(c.hash) || !Number.isSafeInteger(c.size) || c.size <= 0 || c.size > MAX_CHUNK) {
      throw new MlopsError(
        'INTERNAL_ERROR',
        `Cannot encode chunk ${c.hash} of ${c.size} bytes: expected 64 hex and 1..${MAX_CHUNK} bytes.`,
      );
    }
    at += out.write(c.hash, at, 32, 'hex');
    out.writeUInt32LE(c.size, at);
    at += 4;
  }
  return out;
}

/** True when `bytes` starts like an encoded manifest (cheap; `decodeManifest` decides). */
export function looksLikeManifest(bytes: Uint8Array): boolean {
  return startsWith(bytes, MANIFEST_MAGIC) || startsWith(bytes, JSON_MANIFEST_PREFIX);
}

/** Parses and validates a manifest blob; anything malformed is `BLOB_CORRUPT` naming `id`. */
export function decodeManifest(bytes: Uint8Array, id: string): Manifest {
  if (startsWith(bytes, JSON_MANIFEST_PREFIX)) return decodeJsonManifest(bytes, id);
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!startsWith(buf, MANIFEST_MAGIC)) throw manifestCorrupt(id, 'it does not start as one');
  if (buf.length < HEADER)
    throw manifestCorrupt(id, `${buf.length} bytes is shorter than a header`);
  let at = MANIFEST_MAGIC.length;
  const size = buf.readBigUInt64LE(at);
  at += 8;
  const sha256 = buf.toString('hex', at, at + 32);
  at += 32;
  const count = buf.readUInt32LE(at);
  at += 4;
  if (buf.length !== HEADER + count * ENTRY) {
    throw manifestCorrupt(id, `${buf.length} bytes do not hold ${count} chunks`);
  }
  const chunks: ManifestChunk[] = new Array<ManifestChunk>(count);
  let total = 0;
  for (let i = 0; i < count; i++) {
    const hash = buf.toString('hex', at, at + 32);
    const chunkSize = buf.readUInt32LE(at + 32);
    at += ENTRY;
    if (chunkSize === 0) throw manifestCorrupt(id, `chunk ${i} has size 0`);
    chunks[i] = { hash, size: chunkSize };
    total += chunkSize;
  }
  if (BigInt(total) !== size)
    throw manifestCorrupt(id, `chunk sizes add up to ${total}, not ${size}`);
  return { kind: 'mlops.manifest', version: 2, size: total, sha256, chunks };
}

function startsWith(bytes: Uint8Array, prefix: Uint8Array): boolean {
  if (bytes.byteLength < prefix.byteLength) return false;
  for (let i = 0; i < prefix.byteLength; i++) if (bytes[i] !== prefix[i]) return false;
  return true;
}

// Baselines and byte counts for `npm run bench -- data`.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';
import { looksLikeManifest } from '../src/blobs/index.js';

const run = promisify(execFile);

/** Wall seconds `fn` takes. */
export async function seconds(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

/** `openssl dgst -sha256 <path>`: wall seconds and the hex digest. */
export async function opensslSha256(path: string): Promise<{ s: number; sha256: string }> {
  const t0 = performance.now();
  const { stdout } = await run('openssl', ['dgst', '-sha256', '-r', path]);
  return { s: (performance.now() - t0) / 1000, sha256: stdout.slice(0, 64) };
}

/**
 * The data module's identity hash as src/data/hash-file.ts computes it (node:crypto sha256 over a
 * read stream with 1 MiB pieces); `hashFile` is not exported from the module's index.
 */
export async function nodeSha256(
  path: string,
  pieceBytes = 1024 * 1024,
): Promise<{ s: number; sha256: string }> {
  const t0 = performance.now();
  const hasher = createHash('sha256');
  for await (const piece of createReadStream(path, { highWaterMark: pieceBytes })) {
    hasher.update(piece as Buffer);
  }
  const sha256 = hasher.digest('hex');
  return { s: (performance.now() - t0) / 1000, sha256 };
}

export interface StoreUsage {
  /** Sum of blob file sizes (apparent bytes). */
  readonly bytes: number;
  /** Disk blocks in use (`du`), bytes. */
  readonly diskBytes: number;
  readonly blobs: number;
  readonly manifests: number;
  readonly manifestBytes: number;
  /** Files that are not blobs (temp files left behind). */
  readonly other: number;
}

// Long enough for both manifest signatures (binary magic, and the JSON start of version 1).
const HEAD_BYTES = 25;

/** What a `LocalBlobStore` directory holds: chunks and manifests, by apparent and disk size. */
export async function storeUsage(blobsDir: string): Promise<StoreUsage> {
  let bytes = 0;
  let diskBytes = 0;
  let blobs = 0;
  let manifests = 0;
  let manifestBytes = 0;
  let other = 0;
  const head = Buffer.alloc(HEAD_BYTES);
  for (const prefix of await readdir(blobsDir)) {
    for (const name of await readdir(join(blobsDir, prefix))) {
      const path = join(blobsDir, prefix, name);
      const st = await stat(path);
      if (!/^[0-9a-f]{62}$/.test(name)) {
        other++;
        continue;
      }
      blobs++;
      bytes += st.size;
      diskBytes += st.blocks * 512;
      const handle = await open(path, 'r');
      const { bytesRead } = await handle.read(head, 0, head.byteLength, 0);
      await handle.close();
      if (looksLikeManifest(head.subarray(0, bytesRead))) {
        manifests++;
        manifestBytes += st.size;
      }
    }
  }
  return { bytes, diskBytes, blobs, manifests, manifestBytes, other };
}

/** A plain readdir + stat walk: the least a no-change status over a directory has to do. */
export async function walkStat(dir: string): Promise<{ files: number; bytes: number }> {
  let files = 0;
  let bytes = 0;
  async function walk(d: string): Promise<void> {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) {
        files++;
        bytes += (await stat(p)).size;
      }
    }
  }
  await walk(dir);
  return { files, bytes };
}

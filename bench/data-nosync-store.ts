// A LocalBlobStore whose writes skip fsync: only to show what per-chunk fsync costs `data add`.
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { LocalBlobStore, sha256Hex } from '../src/blobs/index.js';

export class NoSyncBlobStore extends LocalBlobStore {
  override async put(bytes: Uint8Array): Promise<string> {
    const hash = sha256Hex(bytes);
    const path = this.pathOf(hash);
    const existing = await stat(path).catch(() => undefined);
    if (existing?.isFile() && existing.size === bytes.byteLength) return hash;
    await mkdir(dirname(path), { recursive: true });
    await writeFile(`${path}.tmp`, bytes);
    await rename(`${path}.tmp`, path);
    return hash;
  }
}

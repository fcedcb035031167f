import { mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MlopsError } from '../core/index.js';
import { assertBlobHash, sha256Hex } from './blob-hash.js';
import type { BlobStore } from './blob-store.js';
import { ioError, isNotFound } from './io-error.js';
import { writeFileAtomic } from './write-file-atomic.js';

const PREFIX_DIR = /^[0-9a-f]{2}$/;
const REST_NAME = /^[0-9a-f]{62}$/;

/**
 * Blobs as files under a local directory: `<root>/<first 2 hex>/<other 62 hex>` (two levels keep
 * directories small). Writes go through a synced temp file and a rename.
 */
export class LocalBlobStore implements BlobStore {
  readonly root: string;
  readonly location: string;

  constructor(root: string) {
    this.root = resolve(root);
    this.location = this.root;
  }

  /** The file a blob lives in (whether or not it exists). */
  pathOf(hash: string): string {
    assertBlobHash(hash);
    return join(this.root, hash.slice(0, 2), hash.slice(2));
  }

  async put(bytes: Uint8Array): Promise<string> {
    const hash = sha256Hex(bytes);
    const path = this.pathOf(hash);
    try {
      // Same name and size: already stored (content is re-checked on every read).
      const existing = await stat(path).catch((err: unknown) => {
        if (isNotFound(err)) return undefined;
        throw err;
      });
      if (existing?.isFile() && existing.size === bytes.byteLength) return hash;
      await mkdir(join(this.root, hash.slice(0, 2)), { recursive: true });
      await writeFileAtomic(path, [bytes]);
    } catch (err) {
      throw ioError('write blob', path, err);
    }
    return hash;
  }

  async get(hash: string): Promise<Uint8Array> {
    const path = this.pathOf(hash);
    let bytes: Buffer;
    try {
      bytes = await readFile(path);
    } catch (err) {
      if (isNotFound(err)) throw this.notFound(hash);
      throw ioError('read blob', path, err);
    }
    const actual = sha256Hex(bytes);
    if (actual !== hash) {
      throw new MlopsError(
        'BLOB_CORRUPT',
        `Blob ${hash} in ${this.location} is corrupt: its bytes hash to ${actual}. Delete ${path} and store it again (or pull it from a remote).`,
        { details: { hash, actual, path } },
      );
    }
    return bytes;
  }

  async has(hash: string): Promise<boolean> {
    const path = this.pathOf(hash);
    try {
      return (await stat(path)).isFile();
    } catch (err) {
      if (isNotFound(err)) return false;
      throw ioError('stat blob', path, err);
    }
  }

  async size(hash: string): Promise<number> {
    const path = this.pathOf(hash);
    try {
      return (await stat(path)).size;
    } catch (err) {
      if (isNotFound(err)) throw this.notFound(hash);
      throw ioError('stat blob', path, err);
    }
  }

  async delete(hash: string): Promise<void> {
    const path = this.pathOf(hash);
    try {
      await rm(path, { force: true });
    } catch (err) {
      throw ioError('delete blob', path, err);
    }
  }

  async *list(): AsyncIterable<string> {
    for (const prefix of await this.readDir(this.root)) {
      if (!PREFIX_DIR.test(prefix)) continue;
      for (const rest of await this.readDir(join(this.root, prefix))) {
        if (REST_NAME.test(rest)) yield prefix + rest;
      }
    }
  }

  private async readDir(dir: string): Promise<string[]> {
    try {
      return (await readdir(dir)).sort();
    } catch (err) {
      if (isNotFound(err)) return [];
      throw ioError('list', dir, err);
    }
  }

  private notFound(hash: string): MlopsError {
    return new MlopsError('BLOB_NOT_FOUND', `Blob ${hash} not found in ${this.location}.`, {
      details: { hash, location: this.location },
    });
  }
}

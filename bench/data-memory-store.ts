// A store that keeps only the names and sizes of what is put: `data add` into it costs reading,
// FastCDC cutting and hashing, but no file system writes (what the disk adds to an add).
import { sha256Hex, type BlobStore } from '../src/blobs/index.js';

export class NameOnlyBlobStore implements BlobStore {
  readonly location = 'memory (names only)';
  private readonly sizes = new Map<string, number>();

  async put(bytes: Uint8Array): Promise<string> {
    const hash = sha256Hex(bytes);
    this.sizes.set(hash, bytes.byteLength);
    return hash;
  }
  get(hash: string): Promise<Uint8Array> {
    return Promise.reject(new Error(`${hash}: this bench store keeps no bytes`));
  }
  async has(hash: string): Promise<boolean> {
    return this.sizes.has(hash);
  }
  async size(hash: string): Promise<number> {
    return this.sizes.get(hash) ?? 0;
  }
  async delete(hash: string): Promise<void> {
    this.sizes.delete(hash);
  }
  async *list(): AsyncIterable<string> {
    yield* this.sizes.keys();
  }
  async flush(): Promise<void> {}
}

import { assertBlobHash, isBlobHash, sha256Hex, type BlobStore } from '../blobs/index.js';
import { MlopsError } from '../core/index.js';
import type { HttpTransport } from './http-transport.js';

const BLOBS = '/api/mlops/blobs';

/**
 * The byte store of an mlops server, over `/api/mlops/blobs`. The server re-hashes what it
 * receives and refuses a mismatch; this client re-hashes what it reads, so bytes damaged on either
 * side or on the way are caught (`BLOB_CORRUPT`). Hashes are checked locally before any request.
 *
 * `has` and `size` read a HEAD answer, which carries no body: a 404 means "no such blob" (a
 * server without these routes would look empty).
 */
export class HttpBlobStore implements BlobStore {
  readonly location: string;

  constructor(readonly transport: HttpTransport) {
    this.location = `${transport.baseUrl}${BLOBS}`;
  }

  async put(bytes: Uint8Array): Promise<string> {
    const hash = sha256Hex(bytes);
    // No HEAD first: the server skips bytes it has, and one round trip beats two.
    const res = await this.transport.putBytes<{ hash?: string }>(`${BLOBS}/${hash}`, bytes);
    if (res.hash !== undefined && res.hash !== hash) {
      throw new MlopsError(
        'BLOB_CORRUPT',
        `Blob ${hash} was stored by ${this.location} under another hash, ${String(res.hash)}.`,
        { details: { hash } },
      );
    }
    return hash;
  }

  async get(hash: string): Promise<Uint8Array> {
    assertBlobHash(hash);
    let bytes: Uint8Array;
    try {
      bytes = await this.transport.getBytes(`${BLOBS}/${hash}`);
    } catch (err) {
      throw this.notFoundOr(hash, err);
    }
    const actual = sha256Hex(bytes);
    if (actual !== hash) {
      throw new MlopsError(
        'BLOB_CORRUPT',
        `Blob ${hash} from ${this.location} is corrupt: the bytes read hash to ${actual}. Read it again; if this persists, run \`mlops data verify\` where the server's byte store lives.`,
        { details: { hash, actual } },
      );
    }
    return bytes;
  }

  async has(hash: string): Promise<boolean> {
    assertBlobHash(hash);
    return (await this.transport.head(`${BLOBS}/${hash}`)) !== undefined;
  }

  async size(hash: string): Promise<number> {
    assertBlobHash(hash);
    const headers = await this.transport.head(`${BLOBS}/${hash}`);
    if (!headers) throw this.notFound(hash);
    const length = Number(headers.get('content-length'));
    if (headers.get('content-length') === null || !Number.isSafeInteger(length) || length < 0) {
      throw new MlopsError(
        'INTERNAL_ERROR',
        `${this.location} answered HEAD for blob ${hash} without a usable Content-Length.`,
        { details: { hash } },
      );
    }
    return length;
  }

  async delete(hash: string): Promise<void> {
    assertBlobHash(hash);
    try {
      await this.transport.delete(`${BLOBS}/${hash}`);
    } catch (err) {
      if (MlopsError.is(err) && err.code === 'BLOB_NOT_FOUND') return;
      throw err;
    }
  }

  async *list(): AsyncIterable<string> {
    let pageToken: string | undefined;
    do {
      const res = await this.transport.get<{ hashes?: unknown[]; nextPageToken?: string }>(BLOBS, {
        pageToken,
      });
      for (const hash of res.hashes ?? []) {
        if (!isBlobHash(hash)) {
          throw new MlopsError(
            'INTERNAL_ERROR',
            `${this.location} listed ${JSON.stringify(hash)}, which is not a blob hash.`,
          );
        }
        yield hash;
      }
      pageToken = res.nextPageToken || undefined;
    } while (pageToken);
  }

  async flush(): Promise<void> {
    await this.transport.post(`${BLOBS}/flush`);
  }

  private notFound(hash: string, cause?: unknown): MlopsError {
    return new MlopsError('BLOB_NOT_FOUND', `Blob ${hash} not found in ${this.location}.`, {
      cause,
      details: { hash },
    });
  }

  /** The server's BLOB_NOT_FOUND as ours, naming the hash; other errors as they are. */
  private notFoundOr(hash: string, err: unknown): unknown {
    if (MlopsError.is(err) && err.code === 'BLOB_NOT_FOUND') return this.notFound(hash, err);
    return err;
  }
}

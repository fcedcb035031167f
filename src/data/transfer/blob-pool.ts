import { MlopsError } from '../../core/index.js';
import type { BlobStore } from '../../blobs/index.js';

/**
 * `fn` over `items` with at most `limit` calls in flight. On the first failure no new call
 * starts, the ones in flight are awaited, then the first error is thrown: when this returns or
 * throws, nothing is still writing.
 */
export async function settlePool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | undefined;
  async function worker(): Promise<void> {
    while (failure === undefined && next < items.length) {
      const item = items[next++] as T;
      try {
        await fn(item);
      } catch (err) {
        failure ??= { err };
      }
    }
  }
  const workers = Math.max(1, Math.min(limit, items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  if (failure !== undefined) throw failure.err;
}

/**
 * The subset of `hashes` that `store` holds, with at most `concurrency` lookups at once;
 * `onChecked` gets the number answered so far.
 */
export async function presentIn(
  store: BlobStore,
  hashes: readonly string[],
  concurrency: number,
  onChecked?: (checked: number) => void,
): Promise<Set<string>> {
  const present = new Set<string>();
  let checked = 0;
  await settlePool(hashes, concurrency, async (h) => {
    if (await store.has(h)) present.add(h);
    onChecked?.(++checked);
  });
  return present;
}

/**
 * A read-only view that reads each blob from the first store holding it (the local cache before
 * a remote) and remembers what it read: planning reads manifests and listings once, and the
 * transfer reuses those bytes. Every read is hash-checked by the store it came from.
 */
export class LayeredReader implements BlobStore {
  readonly location: string;
  readonly memo = new Map<string, Uint8Array>();
  private readonly stores: readonly BlobStore[];

  constructor(stores: readonly BlobStore[]) {
    this.stores = stores;
    this.location = stores.map((s) => s.location).join(' or ');
  }

  async get(hash: string): Promise<Uint8Array> {
    const known = this.memo.get(hash);
    if (known) return known;
    let lastError: unknown;
    for (const [i, store] of this.stores.entries()) {
      const last = i === this.stores.length - 1;
      if (!last && !(await store.has(hash))) continue;
      try {
        const bytes = await store.get(hash);
        this.memo.set(hash, bytes);
        return bytes;
      } catch (err) {
        // A corrupt local copy: the next store may still have good bytes.
        if (!last && MlopsError.is(err) && err.code === 'BLOB_CORRUPT') {
          lastError = err;
          continue;
        }
        throw err;
      }
    }
    throw lastError;
  }

  async has(hash: string): Promise<boolean> {
    for (const store of this.stores) if (await store.has(hash)) return true;
    return false;
  }

  put(): Promise<string> {
    return Promise.reject(new MlopsError('INTERNAL_ERROR', 'LayeredReader is read-only.'));
  }

  async size(hash: string): Promise<number> {
    return (await this.get(hash)).byteLength;
  }

  delete(): Promise<void> {
    return Promise.reject(new MlopsError('INTERNAL_ERROR', 'LayeredReader is read-only.'));
  }

  /** Nothing to make durable: it never writes. */
  async flush(): Promise<void> {}

  // eslint-disable-next-line require-yield
  async *list(): AsyncIterable<string> {
    throw new MlopsError('INTERNAL_ERROR', 'LayeredReader cannot list.');
  }
}

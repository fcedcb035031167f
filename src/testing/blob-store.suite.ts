import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../blobs/index.js';
import { MlopsError } from '../core/index.js';

/** What a `BlobStore` implementation hands the suite: a fresh, empty store per test. */
export interface BlobStoreFixture {
  readonly store: BlobStore;
  cleanup(): Promise<void>;
  /** Replaces a stored blob's bytes behind the store's back, when the backend allows it. */
  corrupt?(hash: string): Promise<void>;
}

const sha = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (s: string) => new TextEncoder().encode(s);

async function collect(iterable: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    if (MlopsError.is(err)) return err.code;
    throw err;
  }
  throw new Error('expected the call to fail');
}

/**
 * The `BlobStore` contract (see src/blobs/blob-store.ts), written only against the interface, so
 * that the local directory store and the S3 store are held to the same behaviour.
 */
export function blobStoreSuite(name: string, factory: () => Promise<BlobStoreFixture>): void {
  describe(`BlobStore conformance: ${name}`, () => {
    let fixture: BlobStoreFixture;
    let store: BlobStore;
    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('puts and gets bytes under their sha256', async () => {
      const bytes = text('hello, blobs');
      const hash = await store.put(bytes);
      expect(hash).toBe(sha(bytes));
      expect(Buffer.from(await store.get(hash)).equals(Buffer.from(bytes))).toBe(true);
      expect(await store.size(hash)).toBe(bytes.byteLength);
      expect(typeof store.location).toBe('string');
    });

    it('put is idempotent: the same bytes are one blob', async () => {
      const a = await store.put(text('same'));
      const b = await store.put(text('same'));
      expect(a).toBe(b);
      expect(await collect(store.list())).toEqual([a]);
    });

    it('has and delete look at one name; delete of an absent blob is a no-op', async () => {
      const keep = await store.put(text('keep'));
      const drop = await store.put(text('drop'));
      expect(await store.has(drop)).toBe(true);
      await store.delete(drop);
      expect(await store.has(drop)).toBe(false);
      expect(await store.has(keep)).toBe(true);
      await store.delete(drop);
      expect(await codeOf(store.get(drop))).toBe('BLOB_NOT_FOUND');
    });

    it('lists every stored hash once', async () => {
      const hashes = await Promise.all(['a', 'b', 'c', 'd'].map((s) => store.put(text(s))));
      expect((await collect(store.list())).sort()).toEqual([...hashes].sort());
    });

    it('lists nothing when empty', async () => {
      expect(await collect(store.list())).toEqual([]);
    });

    it('reports a missing blob as BLOB_NOT_FOUND naming the hash', async () => {
      const missing = sha(text('never stored'));
      const err = await store.get(missing).catch((e: unknown) => e);
      expect(MlopsError.is(err) && err.code).toBe('BLOB_NOT_FOUND');
      expect((err as Error).message).toContain(missing);
      expect(await codeOf(store.size(missing))).toBe('BLOB_NOT_FOUND');
      expect(await store.has(missing)).toBe(false);
    });

    it('refuses hashes that are not 64 lower-case hex', async () => {
      const bad = [
        '',
        'abc',
        '../../etc/passwd',
        sha(text('x')).toUpperCase(),
        `${'a'.repeat(63)}/`,
      ];
      for (const hash of bad) {
        const calls = [store.get(hash), store.has(hash), store.size(hash), store.delete(hash)];
        for (const call of calls) expect(await codeOf(call)).toBe('INVALID_PARAMETER_VALUE');
      }
    });

    it('stores the empty blob', async () => {
      const hash = await store.put(new Uint8Array(0));
      expect(hash).toBe(sha(new Uint8Array(0)));
      expect((await store.get(hash)).byteLength).toBe(0);
      expect(await store.has(hash)).toBe(true);
    });

    it('round-trips a blob of a few MB', async () => {
      const bytes = randomBytes(5 * 1024 * 1024 + 7);
      const hash = await store.put(bytes);
      expect(Buffer.from(await store.get(hash)).equals(bytes)).toBe(true);
      expect(await store.size(hash)).toBe(bytes.byteLength);
    });

    it('accepts a view into a larger buffer', async () => {
      const whole = text('xxhello-viewyy');
      const view = whole.subarray(2, 12);
      const hash = await store.put(view);
      expect(Buffer.from(await store.get(hash)).toString()).toBe('hello-view');
    });

    it('flush resolves after puts (and when there is nothing to flush); blobs stay readable', async () => {
      const hashes = await Promise.all([store.put(text('one')), store.put(text('two'))]);
      await store.flush();
      await store.flush();
      for (const [i, hash] of hashes.entries()) {
        expect(Buffer.from(await store.get(hash)).toString()).toBe(['one', 'two'][i]);
      }
    });

    it('survives concurrent puts of the same bytes', async () => {
      const bytes = randomBytes(256 * 1024);
      const hashes = await Promise.all(Array.from({ length: 8 }, () => store.put(bytes)));
      expect(new Set(hashes).size).toBe(1);
      expect(await collect(store.list())).toEqual([sha(bytes)]);
      expect(Buffer.from(await store.get(sha(bytes))).equals(bytes)).toBe(true);
    });

    it('detects corrupt bytes on read as BLOB_CORRUPT', async (ctx) => {
      if (!fixture.corrupt) {
        ctx.skip();
        return;
      }
      const hash = await store.put(text('pristine'));
      await fixture.corrupt(hash);
      const err = await store.get(hash).catch((e: unknown) => e);
      expect(MlopsError.is(err) && err.code).toBe('BLOB_CORRUPT');
      expect((err as Error).message).toContain(hash);
    });
  });
}

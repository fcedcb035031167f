import { createCipheriv, createHash } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Hex } from './blob-hash.js';
import { FASTCDC_DEFAULTS, FastCdcChunker } from './fastcdc-chunker.js';
import { GEAR, GEAR_SEED, gearTable } from './fastcdc-gear.js';
import { LocalBlobStore } from './local-blob-store.js';
import { readManifest } from './read-manifest.js';
import { readStoredFile } from './read-stored-file.js';
import { storeBytes } from './store-file.js';

const KiB = 1024;
const MiB = 1024 * KiB;

/** Reproducible pseudo-random bytes (AES-128-CTR keystream keyed by `seed`). */
function randomish(size: number, seed: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(seed);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16)).update(Buffer.alloc(size));
}

/** Cuts `data` into pieces whose sizes come from `sizes` (cycled), as a stream. */
async function* pieces(data: Uint8Array, sizes: readonly number[]): AsyncIterable<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < data.byteLength; i++) {
    const size = sizes[i % sizes.length]!;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

/** Piece sizes from 0 to `max` bytes (empty pieces included), reproducible from `seed`. */
function randomSizes(count: number, max: number, seed: number): number[] {
  const raw = randomish(count * 4, seed);
  return Array.from({ length: count }, (_, i) => raw.readUInt32LE(i * 4) % (max + 1));
}

async function split(
  chunker: FastCdcChunker,
  source: AsyncIterable<Uint8Array>,
): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const chunk of chunker.split(source)) out.push(Buffer.from(chunk));
  return out;
}

const sizesOf = (chunks: readonly Uint8Array[]) => chunks.map((c) => c.byteLength);
const hashesOf = (chunks: readonly Uint8Array[]) => new Set(chunks.map((c) => sha256Hex(c)));
const notIn = (a: ReadonlySet<string>, b: ReadonlySet<string>) =>
  [...a].filter((h) => !b.has(h)).length;

/** Asserts the chunks rebuild `data` and respect the chunker's bounds. */
function expectWellFormed(chunker: FastCdcChunker, data: Uint8Array, chunks: readonly Buffer[]) {
  expect(Buffer.concat(chunks).equals(data)).toBe(true);
  for (const [i, chunk] of chunks.entries()) {
    expect(chunk.byteLength).toBeGreaterThan(0);
    expect(chunk.byteLength).toBeLessThanOrEqual(chunker.maxSize);
    if (i < chunks.length - 1) expect(chunk.byteLength).toBeGreaterThanOrEqual(chunker.minSize);
  }
}

describe('FastCdcChunker', () => {
  const data4M = randomish(4 * MiB, 1);

  it('defaults to 16 KiB / 64 KiB / 256 KiB with normalisation level 2', () => {
    const chunker = new FastCdcChunker();
    expect(FASTCDC_DEFAULTS).toEqual({
      minSize: 16 * KiB,
      avgSize: 64 * KiB,
      maxSize: 256 * KiB,
      normalization: 2,
    });
    expect(chunker.name).toBe('fastcdc-16384-65536-262144-nc2');
    // 16 bits for 64 KiB: 18 top bits before the average size, 14 after.
    expect(chunker.maskSmall >>> 0).toBe(0xffffc000);
    expect(chunker.maskLarge >>> 0).toBe(0xfffc0000);
    const custom = new FastCdcChunker({ minSize: 1024, avgSize: 4096, maxSize: 8192 });
    expect(custom.name).toBe('fastcdc-1024-4096-8192-nc2');
  });

  it('refuses sizes that are not integers in order, and a bad normalisation level', () => {
    const bad = [
      { minSize: 0 },
      { minSize: 63 },
      { minSize: 1000.5 },
      { avgSize: Number.NaN },
      { maxSize: 2 ** 31 },
      { minSize: 128 * KiB },
      { maxSize: 32 * KiB },
      { normalization: -1 },
      { normalization: 4 },
      { normalization: 1.5 },
      { minSize: 64, avgSize: 2 ** 30, maxSize: 2 ** 30 },
    ];
    for (const options of bad) {
      expect(() => new FastCdcChunker(options), JSON.stringify(options)).toThrow(
        expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }),
      );
    }
    expect(() => new FastCdcChunker({ minSize: 64, avgSize: 64, maxSize: 64 })).not.toThrow();
  });

  it('yields nothing for empty input and one chunk for input below the minimum', async () => {
    const chunker = new FastCdcChunker();
    expect(await split(chunker, pieces(Buffer.alloc(0), [1]))).toEqual([]);
    expect(await split(chunker, pieces(Buffer.alloc(0), [0]))).toEqual([]);
    const small = randomish(10_000, 2);
    const chunks = await split(chunker, pieces(small, [3000, 0, 7000]));
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.equals(small)).toBe(true);
  });

  it('cuts random data into chunks between min and max around the average', async () => {
    const chunker = new FastCdcChunker();
    const chunks = await split(chunker, pieces(data4M, [MiB]));
    expectWellFormed(chunker, data4M, chunks);
    const mean = data4M.byteLength / chunks.length;
    expect(mean).toBeGreaterThan(48 * KiB);
    expect(mean).toBeLessThan(96 * KiB);
    // Pinned: boundaries must never move (stored data would stop deduplicating against new data).
    expect(sizesOf(chunks).slice(0, 6)).toEqual([71384, 75296, 67244, 70602, 68804, 118288]);
    expect(chunks).toHaveLength(60);
  });

  it('cuts at the maximum size when the content never gives a cut point', async () => {
    const chunker = new FastCdcChunker();
    const zeros = Buffer.alloc(MiB + 5);
    const chunks = await split(chunker, pieces(zeros, [100_000]));
    expect(sizesOf(chunks)).toEqual([256 * KiB, 256 * KiB, 256 * KiB, 256 * KiB, 5]);
    const tight = new FastCdcChunker({ minSize: 64, avgSize: 256, maxSize: 300 });
    const data = randomish(100_000, 3);
    const tightChunks = await split(tight, pieces(data, [4096]));
    expectWellFormed(tight, data, tightChunks);
    expect(sizesOf(tightChunks)).toContain(300);
  });

  it('gives the same chunks whatever the sizes of the input pieces', async () => {
    const chunker = new FastCdcChunker();
    const whole = sizesOf(await split(chunker, pieces(data4M, [data4M.byteLength])));
    expect(sizesOf(await split(chunker, pieces(data4M, [MiB])))).toEqual(whole);
    expect(sizesOf(await split(chunker, pieces(data4M, randomSizes(500, 40_000, 4))))).toEqual(
      whole,
    );
    expect(sizesOf(await split(chunker, pieces(data4M, randomSizes(50, 600_000, 5))))).toEqual(
      whole,
    );

    const small = data4M.subarray(0, 300 * KiB);
    const smallWhole = await split(chunker, pieces(small, [small.byteLength]));
    expect(smallWhole.length).toBeGreaterThan(2);
    expect(sizesOf(await split(chunker, pieces(small, [1])))).toEqual(sizesOf(smallWhole));

    const tiny = new FastCdcChunker({ minSize: 64, avgSize: 256, maxSize: 1024 });
    const tinyData = randomish(50_000, 6);
    const tinyWhole = await split(tiny, pieces(tinyData, [tinyData.byteLength]));
    expectWellFormed(tiny, tinyData, tinyWhole);
    expect(tinyWhole.length).toBeGreaterThan(100);
    expect(sizesOf(await split(tiny, pieces(tinyData, [1])))).toEqual(sizesOf(tinyWhole));
    expect(sizesOf(await split(tiny, pieces(tinyData, randomSizes(300, 700, 7))))).toEqual(
      sizesOf(tinyWhole),
    );
  });

  it('streams: chunks come out before the input ends, holding about one chunk', async () => {
    const chunker = new FastCdcChunker();
    const piece = MiB;
    let given = 0;
    async function* source(): AsyncIterable<Uint8Array> {
      for (let offset = 0; offset < data4M.byteLength; offset += piece) {
        given += piece;
        yield data4M.subarray(offset, offset + piece);
      }
    }
    let taken = 0;
    for await (const chunk of chunker.split(source())) {
      taken += chunk.byteLength;
      expect(given - taken).toBeLessThanOrEqual(piece + chunker.maxSize);
    }
    expect(taken).toBe(data4M.byteLength);
  });

  it('yields fresh buffers that later input does not overwrite', async () => {
    const chunker = new FastCdcChunker({ minSize: 64, avgSize: 256, maxSize: 1024 });
    const data = randomish(20_000, 8);
    const reused = Buffer.alloc(1000);
    async function* source(): AsyncIterable<Uint8Array> {
      for (let offset = 0; offset < data.byteLength; offset += reused.byteLength) {
        data.copy(reused, 0, offset, offset + reused.byteLength);
        yield reused;
      }
    }
    expect(Buffer.concat(await split(chunker, source())).equals(data)).toBe(true);
  });

  it('keeps all but a few chunks when bytes are inserted in the middle or appended', async () => {
    const chunker = new FastCdcChunker();
    const original = await split(chunker, pieces(data4M, [MiB]));
    const mid = 2 * MiB + 12_345;
    const inserted = Buffer.concat([
      data4M.subarray(0, mid),
      randomish(100, 9),
      data4M.subarray(mid),
    ]);
    const appended = Buffer.concat([data4M, randomish(100 * KiB, 10)]);
    const a = hashesOf(original);
    const b = hashesOf(await split(chunker, pieces(inserted, [MiB])));
    const c = hashesOf(await split(chunker, pieces(appended, [MiB])));
    expect(a.size).toBeGreaterThan(40);
    expect(notIn(b, a)).toBeLessThanOrEqual(3);
    expect(notIn(a, b)).toBeLessThanOrEqual(3);
    expect(notIn(c, a)).toBeLessThanOrEqual(3);
    expect(notIn(a, c)).toBeLessThanOrEqual(3);
  });

  it('uses the pinned gear table generated from its seed', () => {
    expect(GEAR).toEqual(gearTable(GEAR_SEED));
    expect(new Set(GEAR).size).toBe(256);
    expect(createHash('sha256').update(new Uint8Array(GEAR.buffer)).digest('hex')).toBe(
      'bd040477fb7e69228b274f9d0fd3a284b5d9a5c478009014f1a1094ee946acf2',
    );
  });
});

describe('storeBytes with the default (FastCDC) chunker', () => {
  let dir: string;
  let blobs: LocalBlobStore;
  const countFiles = async () =>
    (await readdir(blobs.root, { recursive: true, withFileTypes: true })).filter((e) => e.isFile())
      .length;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-fastcdc-'));
    blobs = new LocalBlobStore(join(dir, 'blobs'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes only the changed chunks of an edited or appended version', async () => {
    const original = randomish(4 * MiB, 11);
    const stored = await storeBytes(blobs, original);
    const manifest = await readManifest(blobs, stored.manifestId);
    const expected = await split(new FastCdcChunker(), pieces(original, [original.byteLength]));
    expect(manifest.chunks.map((c) => c.size)).toEqual(sizesOf(expected));
    expect(await countFiles()).toBe(hashesOf(expected).size + 1);

    const mid = 2 * MiB;
    const edited = Buffer.concat([
      original.subarray(0, mid),
      randomish(100, 12),
      original.subarray(mid),
    ]);
    let before = await countFiles();
    const editedStored = await storeBytes(blobs, edited);
    const newForEdit = (await countFiles()) - before - 1; // minus the new manifest
    expect(newForEdit).toBeGreaterThanOrEqual(1);
    expect(newForEdit).toBeLessThanOrEqual(3);

    const appended = Buffer.concat([original, randomish(50 * KiB, 13)]);
    before = await countFiles();
    const appendedStored = await storeBytes(blobs, appended);
    const newForAppend = (await countFiles()) - before - 1;
    expect(newForAppend).toBeGreaterThanOrEqual(1);
    expect(newForAppend).toBeLessThanOrEqual(3);

    expect((await readStoredFile(blobs, editedStored.manifestId)).equals(edited)).toBe(true);
    expect((await readStoredFile(blobs, appendedStored.manifestId)).equals(appended)).toBe(true);
  });
});

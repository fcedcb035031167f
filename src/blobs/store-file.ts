import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { MlopsError } from '../core/index.js';
import type { BlobStore } from './blob-store.js';
import type { Chunker } from './chunker.js';
import { FastCdcChunker } from './fastcdc-chunker.js';
import { DEFAULT_CHUNK_SIZE } from './fixed-size-chunker.js';
import { ioError, isNotFound } from './io-error.js';
import { encodeManifest, type ManifestChunk } from './manifest.js';
import { readFileHashed, type HashedRead } from './worker-sha256.js';

/** A stored file: its manifest id (the name to keep), size and the sha256 of its whole bytes. */
export interface StoredFile {
  readonly manifestId: string;
  readonly size: number;
  readonly sha256: string;
}

export interface StoreOptions {
  /**
   * How to cut the bytes; default content-defined chunks (`FastCdcChunker`: 16 KiB min, 64 KiB
   * average, 256 KiB max), so an edited or appended file shares all but the changed chunks with
   * its earlier version. `FixedSizeChunker` is still there for callers that want it.
   */
  readonly chunker?: Chunker;
  /**
   * Make the stored bytes durable before returning (`BlobStore.flush`); default true. Callers
   * storing many files pass false and flush once at their commit point.
   */
  readonly flush?: boolean;
}

const defaultChunker = new FastCdcChunker();

/** From this size on the whole-file sha256 runs in a worker thread, beside the chunking. */
const WORKER_HASH_MIN_BYTES = 32 * 1024 * 1024;

/**
 * Streams the file at `path` into `blobs` as chunks plus a manifest. Bytes already stored are not
 * written again, so storing the same file twice writes nothing new. Memory stays at about one
 * read piece (1 MiB) plus one maximum-size chunk whatever the file size.
 */
export async function storeFile(
  blobs: BlobStore,
  path: string,
  options: StoreOptions = {},
): Promise<StoredFile> {
  const size = await stat(path).then(
    (s) => s.size,
    () => 0, // reading reports the error with its own message
  );
  if (size < WORKER_HASH_MIN_BYTES) return storeStream(blobs, readFileStream(path), options);
  const read: HashedRead = { size: 0 };
  const stored = await storeChunks(blobs, readFileHashed(path, read), options).catch(
    (err: unknown) => {
      throw ioError('read', path, err);
    },
  );
  if (read.sha256 === undefined || read.size !== stored.size) {
    throw new MlopsError('INTERNAL_ERROR', `Hashing ${path} in a worker lost track of its bytes.`);
  }
  return putManifest(blobs, stored.chunks, read.size, read.sha256, options);
}

/** `storeFile` for bytes in memory. */
export async function storeBytes(
  blobs: BlobStore,
  bytes: Uint8Array,
  options: StoreOptions = {},
): Promise<StoredFile> {
  return storeStream(blobs, [bytes], options);
}

/** `storeFile` for any byte stream. */
export async function storeStream(
  blobs: BlobStore,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: StoreOptions = {},
): Promise<StoredFile> {
  const hasher = createHash('sha256');
  let size = 0;
  async function* tap(): AsyncIterable<Uint8Array> {
    for await (const piece of source) {
      hasher.update(piece);
      size += piece.byteLength;
      yield piece;
    }
  }
  const { chunks } = await storeChunks(blobs, tap(), options);
  return putManifest(blobs, chunks, size, hasher.digest('hex'), options);
}

/** Cuts `source` into chunks and puts each; the chunks in order and their total size. */
async function storeChunks(
  blobs: BlobStore,
  source: AsyncIterable<Uint8Array>,
  options: StoreOptions,
): Promise<{ chunks: ManifestChunk[]; size: number }> {
  const chunker = options.chunker ?? defaultChunker;
  const chunks: ManifestChunk[] = [];
  let size = 0;
  for await (const chunk of chunker.split(source)) {
    if (chunk.byteLength === 0) continue;
    chunks.push({ hash: await blobs.put(chunk), size: chunk.byteLength });
    size += chunk.byteLength;
  }
  return { chunks, size };
}

async function putManifest(
  blobs: BlobStore,
  chunks: ManifestChunk[],
  size: number,
  sha256: string,
  options: StoreOptions,
): Promise<StoredFile> {
  const chunked = chunks.reduce((sum, c) => sum + c.size, 0);
  if (chunked !== size) {
    const name = (options.chunker ?? defaultChunker).name;
    throw new MlopsError(
      'INTERNAL_ERROR',
      `Chunker ${name} returned ${chunked} bytes for ${size} bytes of input.`,
    );
  }
  const manifestId = await blobs.put(encodeManifest({ size, sha256, chunks }));
  if (options.flush !== false) await blobs.flush();
  return { manifestId, size, sha256 };
}

async function* readFileStream(path: string): AsyncIterable<Uint8Array> {
  try {
    for await (const piece of createReadStream(path, { highWaterMark: DEFAULT_CHUNK_SIZE })) {
      yield piece as Buffer;
    }
  } catch (err) {
    if (isNotFound(err)) {
      throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `Cannot store ${path}: no such file.`, {
        cause: err,
      });
    }
    throw ioError('read', path, err);
  }
}

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { MlopsError } from '../core/index.js';
import type { BlobStore } from './blob-store.js';
import type { Chunker } from './chunker.js';
import { FastCdcChunker } from './fastcdc-chunker.js';
import { DEFAULT_CHUNK_SIZE } from './fixed-size-chunker.js';
import { ioError, isNotFound } from './io-error.js';
import { encodeManifest, type ManifestChunk } from './manifest.js';

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
}

const defaultChunker = new FastCdcChunker();

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
  return storeStream(blobs, readFileStream(path), options);
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
  const chunker = options.chunker ?? defaultChunker;
  const hasher = createHash('sha256');
  let size = 0;
  async function* tap(): AsyncIterable<Uint8Array> {
    for await (const piece of source) {
      hasher.update(piece);
      size += piece.byteLength;
      yield piece;
    }
  }
  const chunks: ManifestChunk[] = [];
  let chunked = 0;
  for await (const chunk of chunker.split(tap())) {
    if (chunk.byteLength === 0) continue;
    chunks.push({ hash: await blobs.put(chunk), size: chunk.byteLength });
    chunked += chunk.byteLength;
  }
  if (chunked !== size) {
    throw new MlopsError(
      'INTERNAL_ERROR',
      `Chunker ${chunker.name} returned ${chunked} bytes for ${size} bytes of input.`,
    );
  }
  const sha256 = hasher.digest('hex');
  const manifestId = await blobs.put(encodeManifest({ size, sha256, chunks }));
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

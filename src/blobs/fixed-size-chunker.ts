import { invalidParam } from '../core/index.js';
import type { Chunker } from './chunker.js';

/** 1 MiB: large enough that a manifest stays small, small enough to dedupe appended data. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/** Cuts every `chunkSize` bytes; the last chunk holds the remainder. */
export class FixedSizeChunker implements Chunker {
  readonly chunkSize: number;
  readonly name: string;

  constructor(chunkSize = DEFAULT_CHUNK_SIZE) {
    if (!Number.isSafeInteger(chunkSize) || chunkSize < 1) {
      throw invalidParam(`Invalid chunk size ${chunkSize}: expected a positive integer of bytes.`);
    }
    this.chunkSize = chunkSize;
    this.name = `fixed-${chunkSize}`;
  }

  async *split(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    const size = this.chunkSize;
    let pending = Buffer.allocUnsafe(size);
    let filled = 0;
    for await (const piece of source) {
      let offset = 0;
      while (offset < piece.byteLength) {
        const n = Math.min(size - filled, piece.byteLength - offset);
        pending.set(piece.subarray(offset, offset + n), filled);
        filled += n;
        offset += n;
        if (filled === size) {
          yield pending;
          pending = Buffer.allocUnsafe(size);
          filled = 0;
        }
      }
    }
    if (filled > 0) yield Buffer.from(pending.subarray(0, filled));
  }
}

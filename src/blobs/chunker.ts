/**
 * Splits a byte stream into the chunks a stored file is made of. Concatenating the output must
 * give the input exactly, and the same bytes must always give the same chunks (or nothing would
 * dedupe). FastCdcChunker (content-defined) is the default; FixedSizeChunker remains for tests.
 */
export interface Chunker {
  /** A short name for messages and benchmarks, e.g. `fixed-1048576`. */
  readonly name: string;
  /** Yields chunks; each must be a fresh buffer the caller may keep. Never yields empty chunks. */
  split(source: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
}

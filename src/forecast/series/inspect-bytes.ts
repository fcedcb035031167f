import type { Hash } from 'node:crypto';
import { invalidParam } from '../../core/index.js';

/** What the inspection saw, filled in while the bytes stream past. */
export interface ByteStats {
  bytes: number;
}

const notText = (file: string, what: string) =>
  invalidParam(
    `${file} is not a text CSV file (${what}). Give a daily price CSV such as Yahoo Finance's ` +
      `Date,Open,High,Low,Close,Adj Close,Volume export.`,
    { file },
  );

/**
 * A pipeline stage that hashes the file's bytes (the dataset version's identity) and stops at the
 * first sign of binary content: a NUL byte or bytes that are not UTF-8. Both are fatal, since the
 * CSV parser would otherwise turn binary noise into thousands of meaningless cell problems.
 */
export function inspectBytes(file: string, hash: Hash, stats: ByteStats) {
  return async function* (source: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    for await (const chunk of source) {
      const nul = chunk.indexOf(0);
      if (nul >= 0) throw notText(file, `NUL byte at byte offset ${stats.bytes + nul}`);
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        throw notText(file, `bytes that are not UTF-8 after byte offset ${stats.bytes}`);
      }
      hash.update(chunk);
      stats.bytes += chunk.length;
      yield chunk;
    }
    try {
      decoder.decode();
    } catch {
      throw notText(file, 'it ends inside a UTF-8 character');
    }
  };
}

import { describe, expect, it } from 'vitest';
import { FixedSizeChunker } from './fixed-size-chunker.js';

async function split(chunker: FixedSizeChunker, pieces: string[]): Promise<string[]> {
  async function* source() {
    for (const p of pieces) yield Buffer.from(p);
  }
  const out: string[] = [];
  for await (const chunk of chunker.split(source())) out.push(Buffer.from(chunk).toString());
  return out;
}

describe('FixedSizeChunker', () => {
  it('cuts every chunkSize bytes whatever the input pieces', async () => {
    const chunker = new FixedSizeChunker(4);
    expect(await split(chunker, ['abcdefghij'])).toEqual(['abcd', 'efgh', 'ij']);
    expect(await split(chunker, ['a', 'bc', 'defgh', '', 'ijkl'])).toEqual([
      'abcd',
      'efgh',
      'ijkl',
    ]);
  });

  it('yields nothing for empty input', async () => {
    expect(await split(new FixedSizeChunker(4), [])).toEqual([]);
    expect(await split(new FixedSizeChunker(4), [''])).toEqual([]);
  });

  it('yields fresh buffers the caller may keep', async () => {
    const chunker = new FixedSizeChunker(2);
    const kept: Uint8Array[] = [];
    async function* source() {
      yield Buffer.from('aabbcc');
    }
    for await (const chunk of chunker.split(source())) kept.push(chunk);
    expect(kept.map((c) => Buffer.from(c).toString())).toEqual(['aa', 'bb', 'cc']);
  });

  it('refuses a chunk size that is not a positive integer', () => {
    expect(() => new FixedSizeChunker(0)).toThrow(/positive integer/);
    expect(() => new FixedSizeChunker(1.5)).toThrow(/positive integer/);
  });
});

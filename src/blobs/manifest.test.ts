import { describe, expect, it } from 'vitest';
import { MlopsError } from '../core/index.js';
import { sha256Hex } from './blob-hash.js';
import { decodeManifest, encodeManifest, looksLikeManifest } from './manifest.js';

const h = (s: string) => sha256Hex(Buffer.from(s));

describe('manifests', () => {
  const manifest = {
    size: 5,
    sha256: h('whole'),
    chunks: [
      { hash: h('a'), size: 3 },
      { hash: h('b'), size: 2 },
    ],
  };

  it('encodes canonical binary: magic, size, sha256, count, then 36 bytes a chunk', () => {
    const bytes = Buffer.from(encodeManifest({ ...manifest }));
    expect(bytes.subarray(0, 8).toString('latin1')).toBe('MLOPSMF\x02');
    expect(bytes.readBigUInt64LE(8)).toBe(5n);
    expect(bytes.toString('hex', 16, 48)).toBe(h('whole'));
    expect(bytes.readUInt32LE(48)).toBe(2);
    expect(bytes.toString('hex', 52, 84)).toBe(h('a'));
    expect(bytes.readUInt32LE(84)).toBe(3);
    expect(bytes.byteLength).toBe(52 + 2 * 36);
    // Key order of the input does not matter.
    const shuffled = { chunks: manifest.chunks, sha256: manifest.sha256, size: manifest.size };
    expect(Buffer.from(encodeManifest(shuffled)).equals(bytes)).toBe(true);
  });

  it('round-trips and is recognisable', () => {
    const bytes = encodeManifest(manifest);
    expect(looksLikeManifest(bytes)).toBe(true);
    expect(looksLikeManifest(Buffer.from('{"kind":"other"}'))).toBe(false);
    expect(decodeManifest(bytes, 'id')).toEqual({
      kind: 'mlops.manifest',
      version: 2,
      ...manifest,
    });
  });

  it('still reads version 1 (JSON) manifests written before', () => {
    const text = `{"kind":"mlops.manifest","version":1,"size":5,"sha256":"${h('whole')}","chunks":[{"hash":"${h('a')}","size":3},{"hash":"${h('b')}","size":2}]}`;
    expect(looksLikeManifest(Buffer.from(text))).toBe(true);
    expect(decodeManifest(Buffer.from(text), 'id')).toEqual({
      kind: 'mlops.manifest',
      version: 1,
      ...manifest,
    });
  });

  it.each([
    ['truncated', () => Buffer.from(encodeManifest(manifest)).subarray(0, 60)],
    ['a header only', () => Buffer.from(encodeManifest(manifest)).subarray(0, 30)],
    [
      'sizes that do not add up',
      () => {
        const b = Buffer.from(encodeManifest(manifest));
        b.writeBigUInt64LE(9n, 8);
        return b;
      },
    ],
    [
      'a zero-size chunk',
      () => {
        const b = Buffer.from(encodeManifest(manifest));
        b.writeUInt32LE(0, 84);
        return b;
      },
    ],
  ])('refuses a binary manifest that is %s as BLOB_CORRUPT naming the id', (_why, make) => {
    try {
      decodeManifest(make(), 'the-manifest-id');
      expect.unreachable();
    } catch (err) {
      expect(MlopsError.is(err) && err.code).toBe('BLOB_CORRUPT');
      expect((err as Error).message).toContain('the-manifest-id');
    }
  });

  it.each([
    ['not JSON', 'nope'],
    ['wrong kind', '{"kind":"x","version":1,"size":0,"sha256":"","chunks":[]}'],
    ['bad sha256', `{"kind":"mlops.manifest","version":1,"size":0,"sha256":"xyz","chunks":[]}`],
    [
      'sizes that do not add up',
      `{"kind":"mlops.manifest","version":1,"size":9,"sha256":"${h('w')}","chunks":[{"hash":"${h('a')}","size":3}]}`,
    ],
    [
      'a bad chunk hash',
      `{"kind":"mlops.manifest","version":1,"size":3,"sha256":"${h('w')}","chunks":[{"hash":"../x","size":3}]}`,
    ],
  ])('refuses %s as BLOB_CORRUPT naming the id', (_why, text) => {
    try {
      decodeManifest(Buffer.from(text), 'the-manifest-id');
      expect.unreachable();
    } catch (err) {
      expect(MlopsError.is(err) && err.code).toBe('BLOB_CORRUPT');
      expect((err as Error).message).toContain('the-manifest-id');
    }
  });
});

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

  it('encodes canonical JSON in a fixed key order', () => {
    const text = Buffer.from(encodeManifest({ ...manifest })).toString();
    expect(text).toBe(
      `{"kind":"mlops.manifest","version":1,"size":5,"sha256":"${h('whole')}","chunks":[{"hash":"${h('a')}","size":3},{"hash":"${h('b')}","size":2}]}`,
    );
    // Key order of the input does not matter.
    const shuffled = { chunks: manifest.chunks, sha256: manifest.sha256, size: manifest.size };
    expect(Buffer.from(encodeManifest(shuffled)).toString()).toBe(text);
  });

  it('round-trips and is recognisable', () => {
    const bytes = encodeManifest(manifest);
    expect(looksLikeManifest(bytes)).toBe(true);
    expect(looksLikeManifest(Buffer.from('{"kind":"other"}'))).toBe(false);
    expect(decodeManifest(bytes, 'id')).toEqual({
      kind: 'mlops.manifest',
      version: 1,
      ...manifest,
    });
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

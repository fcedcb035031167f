import { describe, expect, it } from 'vitest';
import { formatNodeUri, parseNodeUri } from './node-uri.js';
import type { NodeRef } from './node-ref.js';

const HASH = 'ab12cd34'.repeat(8);

describe('lineage node URIs', () => {
  it.each<[string, NodeRef]>([
    [
      'runs:/0123456789abcdef0123456789abcdef',
      { type: 'run', id: '0123456789abcdef0123456789abcdef' },
    ],
    ['models:/goog-lstm/3', { type: 'model_version', id: 'goog-lstm/3' }],
    [`data:/data/prices.csv@${HASH}`, { type: 'dataset', id: `data/prices.csv@${HASH}` }],
    [`artifact:${HASH}`, { type: 'artifact', id: HASH }],
    ['deployment:goog-prod', { type: 'deployment', id: 'goog-prod' }],
    ['snapshot:42', { type: 'snapshot', id: '42' }],
    ['experiment:0', { type: 'experiment', id: '0' }],
  ])('parses and formats %s', (uri, node) => {
    expect(parseNodeUri(uri)).toEqual(node);
    expect(formatNodeUri(node)).toBe(uri);
  });

  it.each([
    ['runs:/', /runs:\/<run_id>/],
    ['runs:/abc/model', /no artifact path/],
    ['models:/goog-lstm@champion', /resolve an @alias/],
    ['models:/goog-lstm/latest', /positive integer version/],
    ['data:/data/prices.csv', /data:\/<path>@<sha256/],
    ['data:/data/prices.csv@ab12cd34', /64 lower-case hex/],
    ['artifact:../../etc', /artifact:<manifest id>/],
    ['run:abc', /runs:\/<run_id>/],
    ['dataset:x@y', /data:\/<path>@<sha256>/],
    ['no-scheme', /<type>:<id>/],
    ['Deployment:x', /<type>:<id>/],
    ['deployment:', /<type>:<id>/],
  ])('refuses %s naming what was expected', (uri, expected) => {
    expect(() => parseNodeUri(uri)).toThrow(expected);
    try {
      parseNodeUri(uri);
    } catch (err) {
      expect(err).toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    }
  });
});

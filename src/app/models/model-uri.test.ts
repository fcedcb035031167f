import { describe, expect, it } from 'vitest';
import { parseModelUri } from './model-uri.js';

describe('parseModelUri', () => {
  it('reads the four forms', () => {
    expect(parseModelUri('models:/goog-lstm@champion')).toEqual({
      scheme: 'models',
      name: 'goog-lstm',
      alias: 'champion',
    });
    expect(parseModelUri('models:/goog-lstm/3')).toEqual({
      scheme: 'models',
      name: 'goog-lstm',
      version: '3',
    });
    expect(parseModelUri('models:/goog-lstm/latest')).toEqual({
      scheme: 'models',
      name: 'goog-lstm',
      latest: true,
    });
    expect(parseModelUri('runs:/abc123/model')).toEqual({
      scheme: 'runs',
      runId: 'abc123',
      path: 'model',
    });
    expect(parseModelUri('runs:/abc123')).toEqual({
      scheme: 'runs',
      runId: 'abc123',
      path: 'model',
    });
    expect(parseModelUri('runs:/abc123/out/model/')).toEqual({
      scheme: 'runs',
      runId: 'abc123',
      path: 'out/model',
    });
  });

  it.each([
    ['models:/goog', /version \(\/3, \/latest\) or an alias \(@champion\) is missing/],
    ['models:/goog/0', /version '0' is not a positive integer or 'latest'/],
    ['models:/goog/x1', /version 'x1' is not a positive integer/],
    ['models:/@champion', /a model name and an alias are both needed/],
    ['models:/goog@', /a model name and an alias are both needed/],
    ['runs:/abc/../other', /artifact path '\.\.\/other' is not a relative path/],
    ['s3://bucket/model', /unknown scheme/],
    ['goog@champion', /unknown scheme/],
  ])('refuses %s', (uri, message) => {
    expect(() => parseModelUri(uri)).toThrow(message);
    expect(() => parseModelUri(uri)).toThrow(
      /Expected models:\/<name>@<alias>, models:\/<name>\/<version>/,
    );
  });
});

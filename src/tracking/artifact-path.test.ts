import { describe, expect, it } from 'vitest';
import { MlopsError } from '../core/index.js';
import { safeArtifactPath } from './artifact-path.js';

describe('safeArtifactPath', () => {
  it('canonicalises harmless paths', () => {
    expect(safeArtifactPath('')).toBe('');
    expect(safeArtifactPath('model/./weights.bin')).toBe('model/weights.bin');
    expect(safeArtifactPath('a//b/')).toBe('a/b');
    expect(safeArtifactPath('plots/loss%20curve.png')).toBe('plots/loss%20curve.png');
    expect(safeArtifactPath('50%25.txt')).toBe('50%25.txt');
    expect(safeArtifactPath('%zz')).toBe('%zz');
  });

  it.each([
    '..',
    '../secret',
    'a/../../b',
    '/etc/passwd',
    'C:/Windows',
    '~/x',
    'a\\..\\b',
    '%2e%2e/x',
    '%252e%252e%252fx',
    '..%2fx',
    'a\0b',
    '%00',
  ])('refuses %j', (path) => {
    try {
      safeArtifactPath(path);
      expect.unreachable();
    } catch (err) {
      expect(MlopsError.is(err) && err.code).toBe('INVALID_PARAMETER_VALUE');
    }
  });
});

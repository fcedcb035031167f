import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { newToken, tokenHash } from './tokens.js';

describe('API tokens', () => {
  it('are prefixed, 256 random bits in base64url, and differ every time', () => {
    const a = newToken();
    expect(a).toMatch(/^mlops_[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.toBe(a);
  });

  it('are stored as their sha256 in hex', () => {
    const token = newToken();
    expect(tokenHash(token)).toBe(createHash('sha256').update(token).digest('hex'));
    expect(tokenHash(token)).toMatch(/^[0-9a-f]{64}$/);
  });
});

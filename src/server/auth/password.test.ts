import { describe, expect, it } from 'vitest';
import { expectCode } from '../../testing/index.js';
import { hashPassword, verifyPassword } from './password.js';

describe('password hashing', () => {
  it('verifies the right password and rejects a wrong one', async () => {
    const stored = await hashPassword('correct horse');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsE', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('salts each hash afresh', async () => {
    const [a, b] = await Promise.all([
      hashPassword('same password'),
      hashPassword('same password'),
    ]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
  });

  it('reads the cost from the stored hash, so old hashes keep working after a change', async () => {
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.from('0123456789abcdef');
    const hash = scryptSync('cheap one', salt, 32, { N: 1024, r: 8, p: 1 });
    const stored = `scrypt$1024$8$1$${salt.toString('base64')}$${hash.toString('base64')}`;
    expect(await verifyPassword('cheap one', stored)).toBe(true);
  });

  it('treats the same text in another Unicode form as the same password', async () => {
    const stored = await hashPassword('caf\u00e9-latte');
    expect(await verifyPassword('cafe\u0301-latte', stored)).toBe(true);
  });

  it('refuses empty and short passwords', async () => {
    await expectCode(hashPassword(''), 'INVALID_PARAMETER_VALUE');
    const err = await expectCode(hashPassword('1234567'), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toContain('at least 8 characters');
  });

  it('says no to unreadable or hostile stored hashes instead of throwing', async () => {
    for (const stored of [
      '',
      'plain',
      'pbkdf2$1$2$3$aa$bb',
      'scrypt$1000$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==', // N not a power of two
      'scrypt$1073741824$8$1$c2FsdA==$aGFzaGhhc2hoYXNoaGFzaA==', // 128 GiB of memory
      'scrypt$1024$8$1$c2FsdA==$',
    ]) {
      expect(await verifyPassword('whatever1', stored), stored).toBe(false);
    }
  });
});

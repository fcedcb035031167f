import { describe, expect, it } from 'vitest';
import { expectCode } from '../../testing/index.js';
import { withTimeout } from './with-timeout.js';

describe('withTimeout', () => {
  it('settles with the work when it is in time', async () => {
    expect(await withTimeout(Promise.resolve(3), 1000)).toBe(3);
    await expect(withTimeout(Promise.reject(new Error('boom')), 1000)).rejects.toThrow('boom');
  });

  it('rejects with TEMPORARILY_UNAVAILABLE when the work is late', async () => {
    const never = new Promise<number>(() => {});
    const err = await expectCode(withTimeout(never, 5), 'TEMPORARILY_UNAVAILABLE');
    expect(err.message).toMatch(/request timeout of 5 ms/);
  });
});

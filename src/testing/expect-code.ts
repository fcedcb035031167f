import { expect } from 'vitest';
import { MlopsError, type ErrorCode } from '../core/index.js';

/** Awaits `promise`, expects it to reject with an MlopsError of `code`, and returns the error. */
export async function expectCode(promise: Promise<unknown>, code: ErrorCode): Promise<MlopsError> {
  try {
    await promise;
  } catch (err) {
    if (!MlopsError.is(err)) throw err;
    expect(err.code, err.message).toBe(code);
    return err;
  }
  throw new Error(`expected an MlopsError ${code}, but the call succeeded`);
}

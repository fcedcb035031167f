import { describe, expect, it } from 'vitest';
import { ParityFixture } from './parity-fixtures.js';
import { exportPersistenceOnnx } from './persistence.js';
import { runOnnx } from './run-onnx.js';

describe('exportPersistenceOnnx', () => {
  const fixture = new ParityFixture(1);

  it.each([1, 50, 256])('predicts the last close for a batch of %i windows', async (n) => {
    const windows = fixture.windows(n, 12);
    const got = await runOnnx(exportPersistenceOnnx(12), windows);
    // Exact up to the float32 input: the graph only slices.
    expect(Array.from(got)).toEqual(windows.map((w) => Math.fround(w[11] ?? 0)));
  });

  it('rejects a window size below 2', () => {
    expect(() => exportPersistenceOnnx(1)).toThrow(/windowSize/);
  });
});

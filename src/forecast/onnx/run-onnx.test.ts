import { describe, expect, it } from 'vitest';
import { exportPersistenceOnnx } from './persistence.js';
import { openOnnxForecaster, runOnnx } from './run-onnx.js';

describe('runOnnx', () => {
  const bytes = exportPersistenceOnnx(3);

  it('returns nothing for no windows', async () => {
    expect(await runOnnx(bytes, [])).toEqual(new Float64Array(0));
  });

  it('rejects windows of different lengths', async () => {
    await expect(
      runOnnx(bytes, [
        [1, 2, 3],
        [1, 2],
      ]),
    ).rejects.toThrow(/Window 1 has 2 closes/);
  });

  it('rejects windows that do not fit the graph', async () => {
    await expect(runOnnx(bytes, [[1, 2, 3, 4]])).rejects.toThrow(/rejected 1 windows of 4 closes/);
  });

  it('serves many batches from one session', async () => {
    const model = await openOnnxForecaster(bytes);
    expect(Array.from(await model.predict([[1, 2, 3]]))).toEqual([3]);
    expect(Array.from(await model.predict([[4, 5, 6], Float64Array.of(7, 8, 9.5)]))).toEqual([
      6, 9.5,
    ]);
    await model.release();
  });
});

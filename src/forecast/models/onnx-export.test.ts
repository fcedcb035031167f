import { describe, expect, it } from 'vitest';
import { splitWindows } from '../features/sliding-windows.js';
import { protocolSplit } from '../features/split.js';
import { runOnnx } from '../onnx/index.js';
import { createForecaster } from './create-forecaster.js';
import { syntheticCloses } from './synthetic-closes.js';

const closes = syntheticCloses(200, 8);
const split = protocolSplit(200, 10);
const test = splitWindows(closes, split, 'test', 10);

describe('exportOnnx', () => {
  it.each([
    ['persistence', {}],
    ['linear', {}],
    ['linear', { target: 'close_minmax' }],
    ['lstm', { units: 4, layers: 2, epochs: 1 }],
    ['lstm', { units: 4, epochs: 1, target: 'close_minmax' }],
  ])('%s %o: ONNX Runtime matches predict to 1e-5 on the test windows', async (kind, params) => {
    const f = createForecaster(kind, { window: 10, ...params });
    await f.fit({ closes, split });
    const expected = await f.predict(test.windows);
    const actual = await runOnnx(await f.exportOnnx(), test.windows);
    expect(actual).toHaveLength(expected.length);
    actual.forEach((a, k) => expect(Math.abs(a / expected[k]! - 1)).toBeLessThan(1e-5));
  });
});

import { describe, expect, it } from 'vitest';
import { fitWindowTransform } from '../features/fit-window-transform.js';
import { protocolSplit } from '../features/split.js';
import { LstmForecaster } from './lstm-forecaster.js';
import { RidgeForecaster } from './ridge-forecaster.js';
import { syntheticCloses } from './synthetic-closes.js';

/**
 * The no-leakage property: everything fitted (transform, ridge weights, LSTM weights with early
 * stopping) is bit-identical whatever the closes at or after testStart are.
 */
const closes = syntheticCloses(200, 6);
const split = protocolSplit(200, 10);
const tampered = {
  scaled: closes.map((c, t) => (t >= split.testStart ? c * 1000 : c)),
  nan: closes.map((c, t) => (t >= split.testStart ? NaN : c)),
};

const bits = (arrays: ArrayLike<number>[]) =>
  arrays.map((a) => Buffer.from(Float64Array.from(a).buffer).toString('hex'));

describe('no leakage from the test rows', () => {
  it('leaves the fitted transforms unchanged', () => {
    for (const kind of ['log_return', 'close_minmax'] as const) {
      const original = fitWindowTransform(closes, split, kind);
      for (const series of Object.values(tampered)) {
        expect(fitWindowTransform(series, split, kind)).toStrictEqual(original);
      }
    }
  });

  it('leaves the ridge weights and bias unchanged', async () => {
    const fit = async (series: Float64Array) => {
      const f = new RidgeForecaster({ window: 10 });
      await f.fit({ closes: series, split });
      const s = f.state!;
      return { transform: s.transform, w: bits([s.weights, [s.bias]]) };
    };
    const original = await fit(closes);
    for (const series of Object.values(tampered)) expect(await fit(series)).toEqual(original);
  });

  it('leaves the LSTM weights (and its early-stopping record) unchanged', async () => {
    const fit = async (series: Float64Array) => {
      const f = new LstmForecaster({ window: 10, units: 4, epochs: 2, batchSize: 16, seed: 3 });
      await f.fit({ closes: series, split });
      const s = f.state!;
      const result = {
        weights: bits(s.model.getWeights().map((w) => w.dataSync())),
        history: s.training?.history,
      };
      f.dispose();
      return result;
    };
    const original = await fit(closes);
    for (const series of Object.values(tampered)) expect(await fit(series)).toEqual(original);
  });
});

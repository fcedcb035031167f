import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { forecastMetrics } from './forecast-metrics.js';

const f64 = (xs: number[]): Float64Array => Float64Array.from(xs);

describe('forecastMetrics', () => {
  // Five targets, yesterday's close always 10:
  //   actual     11    9    12    10    8     (changes +1 -1 +2  0 -2)
  //   predicted  10.5  9.5  11    10.5  9     (changes +.5 -.5 +1 +.5 -1)
  //   error a-p  .5   -.5   1    -.5   -1
  const input = {
    previous: f64([10, 10, 10, 10, 10]),
    actual: f64([11, 9, 12, 10, 8]),
    predicted: f64([10.5, 9.5, 11, 10.5, 9]),
  };
  const m = forecastMetrics(input);

  it('computes RMSE, MAE and MAPE by hand', () => {
    expect(m.n).toBe(5);
    // squared errors .25 .25 1 .25 1 -> sum 2.75, mean .55
    expect(m.rmse).toBeCloseTo(Math.sqrt(0.55), 14);
    expect(m.mae).toBeCloseTo(3.5 / 5, 14);
    expect(m.mape).toBeCloseTo((100 * (0.5 / 11 + 0.5 / 9 + 1 / 12 + 0.5 / 10 + 1 / 8)) / 5, 12);
  });

  it('computes directional accuracy with ties counted as documented', () => {
    // signs: pred + - + + -, actual + - + 0 -: the 4th (pred up, actual flat) is a miss -> 4/5.
    expect(m.directional_accuracy).toBe(0.8);
    // Wilson 95% for 4/5, from scipy 1.17 binomtest(4, 5).proportion_ci(method='wilson').
    expect(m.directional_accuracy_ci_low).toBeCloseTo(0.3755346297625253, 12);
    expect(m.directional_accuracy_ci_high).toBeCloseTo(0.9637758913675698, 12);
  });

  it('computes skill and change_std_ratio by hand', () => {
    // persistence squared errors 1 1 4 0 4 -> mean 2
    expect(m.persistence_rmse).toBeCloseTo(Math.SQRT2, 14);
    expect(m.skill).toBeCloseTo(1 - Math.sqrt(0.55 / 2), 14);
    // predicted changes: mean .1, squared deviations sum 2.7 -> var .54; actual: mean 0, var 10/5 = 2
    expect(m.change_std_ratio).toBeCloseTo(Math.sqrt(0.54 / 2), 14);
  });

  it('computes the Diebold-Mariano statistic and p-values by hand', () => {
    // d = model loss - persistence loss = -.75 -.75 -3 .25 -3; mean -1.45;
    // gamma0 = (.49 + .49 + 2.4025 + 2.89 + 2.4025) / 5 = 1.735; DM = -1.45 / sqrt(1.735 / 5)
    const dm = -1.45 / Math.sqrt(1.735 / 5);
    expect(m.dm_statistic).toBeCloseTo(dm, 12);
    // Same data through numpy + scipy 1.17 (2 * norm.sf(|DM|); HLN: DM * sqrt(4/5), 2 * t.sf(., 4)):
    expect(m.dm_statistic).toBeCloseTo(-2.461519410810784, 12);
    expect(m.dm_p_value).toBeCloseTo(0.013834991118492802, 12);
    expect(m.dm_hln_p_value).toBeCloseTo(0.0924824188839437, 10);
  });

  it('scores persistence itself: skill 0, DA 0, ratio 0 and an undefined DM test', () => {
    const p = forecastMetrics({ ...input, predicted: input.previous });
    expect(p.skill).toBe(0);
    expect(p.directional_accuracy).toBeCloseTo(0.2, 14); // only the flat day is "right"
    expect(p.change_std_ratio).toBe(0);
    expect(p.dm_statistic).toBeNaN();
    expect(p.dm_p_value).toBeNaN();
  });

  it('gives NaN where a ratio has a zero denominator', () => {
    const flat = forecastMetrics({
      previous: f64([5, 5, 5]),
      actual: f64([5, 5, 5]),
      predicted: f64([5, 6, 4]),
    });
    expect(flat.skill).toBeNaN(); // persistence RMSE is 0
    expect(flat.change_std_ratio).toBeNaN(); // actual changes have no spread
    expect(flat.directional_accuracy).toBeCloseTo(1 / 3, 14); // flat call on a flat day is a hit
    const zero = forecastMetrics({ previous: f64([1]), actual: f64([0]), predicted: f64([1]) });
    expect(zero.mape).toBeNaN();
  });

  it('rejects empty, mismatched or non-finite input', () => {
    const bad = [
      { previous: f64([]), actual: f64([]), predicted: f64([]) },
      { previous: f64([1, 2]), actual: f64([1, 2]), predicted: f64([1]) },
      { previous: f64([1, 2]), actual: f64([1, Number.NaN]), predicted: f64([1, 2]) },
    ];
    for (const b of bad) {
      let error: unknown;
      try {
        forecastMetrics(b);
      } catch (e) {
        error = e;
      }
      expect(MlopsError.is(error) && error.code).toBe('INVALID_PARAMETER_VALUE');
    }
  });
});

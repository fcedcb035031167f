import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { PARAM_SPECS, resolveParams } from './forecaster-params.js';

function errorOf(fn: () => unknown): MlopsError {
  try {
    fn();
  } catch (error) {
    if (MlopsError.is(error)) return error;
    throw error;
  }
  throw new Error('expected an error');
}

describe('resolveParams', () => {
  it('fills every param with its default', () => {
    const p = resolveParams('lstm');
    expect(p).toEqual(
      Object.fromEntries(Object.entries(PARAM_SPECS.lstm).map(([k, s]) => [k, s.default])),
    );
    expect(Object.isFrozen(p)).toBe(true);
  });

  it('parses CLI strings, including exponents and snake_case names', () => {
    const p = resolveParams('lstm', { units: '64', learning_rate: '5e-4', target: 'close_minmax' });
    expect(p).toMatchObject({ units: 64, learningRate: 5e-4, target: 'close_minmax' });
    expect(resolveParams('linear', { alpha: 0 }).alpha).toBe(0);
  });

  it('applies the preset under explicit params', () => {
    expect(resolveParams('lstm', {}, 'quick').epochs).toBeLessThan(PARAM_SPECS.lstm.epochs.default);
    expect(resolveParams('lstm', { epochs: '2' }, 'quick').epochs).toBe(2);
  });

  it.each([
    [{ units: '0' }, /'units'.*integer in \[1, 1024\].*'0'/],
    [{ units: '2.5' }, /'units'.*integer/],
    [{ units: '' }, /'units'/],
    [{ dropout: '1' }, /'dropout'.*number in \[0, 1\)/],
    [{ learningRate: '0' }, /'learningRate'.*\(0, 1\]/],
    [{ epochs: 'many' }, /'epochs'.*'many'/],
    [{ target: 'price' }, /'target'.*log_return, close_minmax/],
    [{ seed: '-1' }, /'seed'/],
  ])('rejects %o naming the param and its range', (raw, message) => {
    const error = errorOf(() => resolveParams('lstm', raw));
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toMatch(message);
  });

  it('rejects unknown params, models and presets, listing the known ones', () => {
    expect(errorOf(() => resolveParams('linear', { units: 3 })).message).toMatch(
      /Unknown param 'units'.*window, alpha, target/,
    );
    expect(errorOf(() => resolveParams('arima' as 'lstm')).message).toMatch(
      /persistence, linear, lstm/,
    );
    expect(errorOf(() => resolveParams('lstm', {}, 'slow' as 'quick')).message).toMatch(/quick/);
  });
});

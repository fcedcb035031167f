import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_CONFIG, parseGateConfig } from './gate-config.js';
import { compareScores, improvementOver, parseGateMetric } from './gate-metrics.js';

describe('parseGateConfig', () => {
  it('fills the defaults and reads the snake_case keys of params.yaml', () => {
    expect(parseGateConfig(undefined)).toEqual(DEFAULT_GATE_CONFIG);
    expect(parseGateConfig({ metric: 'mae', min_improvement: 0.01 })).toEqual({
      metric: 'mae',
      minImprovement: 0.01,
      minRows: 20,
      alias: 'champion',
    });
    expect(parseGateConfig({ min_rows: 5, alias: 'challenger' })).toMatchObject({
      minRows: 5,
      alias: 'challenger',
    });
  });

  it('names the key and what it expected', () => {
    expect(() => parseGateConfig({ metric: 'r2' }, 'params.yaml gate')).toThrow(
      'params.yaml gate.metric must be one of rmse, mae, mape, directional_accuracy, skill; got "r2".',
    );
    expect(() => parseGateConfig({ min_improvement: -1 })).toThrow(
      /gate.min_improvement must be a number >= 0/,
    );
    expect(() => parseGateConfig({ min_rows: 2.5 })).toThrow(
      /gate.min_rows must be an integer >= 1/,
    );
    expect(() => parseGateConfig({ alias: 'no way' })).toThrow(/gate.alias must be an alias name/);
    expect(() => parseGateConfig({ metrc: 'rmse' })).toThrow(/unknown key 'metrc'/);
    expect(() => parseGateConfig(['rmse'])).toThrow(/gate must be a mapping/);
  });
});

describe('gate metrics', () => {
  it('orders by the metric direction, non-finite last', () => {
    expect(compareScores('rmse', 1, 2)).toBeLessThan(0);
    expect(compareScores('skill', 0.1, 0.2)).toBeGreaterThan(0);
    expect(compareScores('rmse', Number.NaN, 5)).toBeGreaterThan(0);
    expect(improvementOver('rmse', 2, 1.5)).toBeCloseTo(0.25, 12);
    expect(improvementOver('directional_accuracy', 0.5, 0.53)).toBeCloseTo(0.03, 12);
    expect(() => parseGateMetric('auc', '--metric')).toThrow(/--metric must be one of/);
  });
});

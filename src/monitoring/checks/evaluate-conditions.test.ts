import { describe, expect, it } from 'vitest';
import type { MetricMap } from './check-types.js';
import { evaluateConditions } from './evaluate-conditions.js';

const metrics: MetricMap = {
  'rows.current': 60,
  'data_drift.dataset_drift': true,
  'data_drift.drifted_share': 0.6,
  'data_drift.drifted_columns': 3,
  'performance.mae': null,
  'performance.rmse': 2.5,
};

const one = (condition: Parameters<typeof evaluateConditions>[1][number]) =>
  evaluateConditions(metrics, [condition])[0]!;

describe('evaluateConditions', () => {
  it.each([
    [{ gt: 0.5 }, 'pass'],
    [{ gt: 0.6 }, 'fail'],
    [{ gte: 0.6 }, 'pass'],
    [{ gte: 0.61 }, 'fail'],
    [{ lt: 0.7 }, 'pass'],
    [{ lt: 0.6 }, 'fail'],
    [{ lte: 0.6 }, 'pass'],
    [{ lte: 0.59 }, 'fail'],
    [{ eq: 0.6 }, 'pass'],
    [{ eq: 0.5 }, 'fail'],
    [{ between: [0.6, 1] as const }, 'pass'],
    [{ between: [0, 0.6] as const }, 'pass'],
    [{ between: [0, 0.59] as const }, 'fail'],
  ])('%o on 0.6 -> %s', (ops, status) => {
    expect(one({ metric: 'data_drift.drifted_share', ...ops }).status).toBe(status);
  });

  it('gives one result per condition, in order, with a readable message', () => {
    const results = evaluateConditions(metrics, [
      { metric: 'data_drift.drifted_share', lt: 0.5 },
      { metric: 'rows.current', gte: 30, name: 'enough rows' },
    ]);
    expect(results).toEqual([
      {
        name: 'data_drift.drifted_share lt 0.5',
        metric: 'data_drift.drifted_share',
        condition: 'lt 0.5',
        actual: 0.6,
        status: 'fail',
        message: 'data_drift.drifted_share = 0.6, expected lt 0.5',
      },
      {
        name: 'enough rows',
        metric: 'rows.current',
        condition: 'gte 30',
        actual: 60,
        status: 'pass',
        message: 'rows.current = 60, expected gte 30',
      },
    ]);
  });

  it('ANDs several operators of one condition and lists them all', () => {
    const inside = one({ metric: 'performance.rmse', gt: 1, lt: 3 });
    expect(inside).toMatchObject({ status: 'pass', condition: 'gt 1 and lt 3' });
    const outside = one({ metric: 'performance.rmse', gt: 1, lt: 2 });
    expect(outside).toMatchObject({ status: 'fail', condition: 'gt 1 and lt 2' });
    expect(outside.message).toBe('performance.rmse = 2.5, expected gt 1 and lt 2');
  });

  it('reports a condition without an operator as an error', () => {
    const result = one({ metric: 'rows.current' });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/rows\.current has no condition; give one of gt, gte/);
  });

  it('reports an unknown metric as an error with close names', () => {
    const result = one({ metric: 'data_drift.drifted_shar', lt: 0.5 });
    expect(result).toMatchObject({ status: 'error', actual: null });
    expect(result.message).toBe(
      "no metric 'data_drift.drifted_shar' in the report (did you mean 'data_drift.drifted_share'?)",
    );
    const bare = one({ metric: 'drifted_share', lt: 0.5 });
    expect(bare.message).toMatch(/did you mean 'data_drift\.drifted_share'/);
    const far = one({ metric: 'latency.p99', lt: 0.5 });
    expect(far.message).toMatch(/no metric 'latency\.p99' in the report; it has 6 metrics, e\.g\./);
  });

  it('reports a null metric as could not be computed', () => {
    const result = one({ metric: 'performance.mae', lt: 3 });
    expect(result).toMatchObject({ status: 'error', actual: null });
    expect(result.message).toBe(
      'performance.mae could not be computed (no value in the report), so lt 3 cannot be checked',
    );
  });

  it('compares booleans with eq only', () => {
    expect(one({ metric: 'data_drift.dataset_drift', eq: false }).status).toBe('fail');
    expect(one({ metric: 'data_drift.dataset_drift', eq: true }).status).toBe('pass');
    const ordered = one({ metric: 'data_drift.dataset_drift', lt: 1 });
    expect(ordered.status).toBe('error');
    expect(ordered.message).toMatch(/is a boolean \(true\); only eq applies to it, not lt/);
    const mixed = one({ metric: 'data_drift.drifted_share', eq: true });
    expect(mixed.status).toBe('error');
    expect(mixed.message).toMatch(/is a number, but eq true compares a boolean/);
  });

  it('refuses an inverted between', () => {
    const result = one({ metric: 'rows.current', between: [100, 10] });
    expect(result.status).toBe('error');
    expect(result.message).toMatch(/lower bound is above the upper/);
  });
});

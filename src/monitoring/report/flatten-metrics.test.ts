import { describe, expect, it } from 'vitest';
import type { DataDriftResult } from '../drift/drift-types.js';
import { computeRegressionPerformance } from '../performance/index.js';
import { buildMonitorReport } from './build-monitor-report.js';
import { flattenMetrics } from './flatten-metrics.js';
import { parseMonitorReport } from './parse-monitor-report.js';
import { sampleMonitorReport } from './report-fixture.js';

const sample = sampleMonitorReport();
const parts = {
  reference: sample.reference,
  current: sample.current,
  dataDrift: sample.dataDrift,
  predictionDrift: sample.predictionDrift,
  dataQuality: sample.dataQuality,
  performance: sample.performance,
};

describe('flattenMetrics', () => {
  it('gives every documented metric of a full report', () => {
    const m = flattenMetrics(parts);
    expect(m).toMatchObject({
      'rows.reference': 1254,
      'rows.current': 60,
      'data_drift.dataset_drift': true,
      'data_drift.drifted_share': 0.5,
      'data_drift.drifted_columns': 3,
      'data_drift.tested_columns': 6,
      'data_drift.error_columns': 1,
      'data_drift.column.last_close.score': 1.6613,
      'data_drift.column.last_close.drifted': true,
      'data_drift.column.weekday.score': 0.0412,
      'data_drift.column.weekday.drifted': false,
      'prediction_drift.score': 0.00031,
      'prediction_drift.drifted': true,
      'data_quality.missing_share': 2 / 360,
      'data_quality.schema_violations': 1,
      'data_quality.contract_errors': 0,
      'data_quality.contract_warnings': 1,
      'data_quality.column.volatility_20d.missing_share': 2 / 60,
      'data_quality.column.last_close.out_of_range_share': 0.45,
      'data_quality.column.weekday.missing_share': 0,
      'data_quality.column.weekday.new_categories': 0,
      'data_quality.column.weekday.out_of_list_share': 0,
      'performance.count': 60,
      'performance.unscored': 1,
      'performance.mae': 2.79,
      'performance.rmse': 3.66,
      'performance.mape': 0.0166,
      'performance.skill': -0.021,
      'performance.latest_window.count': 5,
      'performance.latest_window.mae': 3.52,
    });
    expect(m['performance.mae_change']).toBeCloseTo(0.74, 12);
    expect(m['performance.rmse_change']).toBeCloseTo(0.92, 12);
    expect(m['performance.mape_change']).toBeCloseTo(0.0045, 12);
    expect(m['performance.skill_change']).toBeCloseTo(-0.064, 12);
    expect(m['performance.latest_window.rmse']).toBeCloseTo(3.52 * 1.31, 12);
    expect(m['performance.latest_window.skill']).toBeCloseTo(-0.082, 12);
    expect(m['performance.latest_window.mape']).toBeCloseTo(3.52 / 168, 12);
    // Out-of-range applies to numerical columns only; new categories to categorical ones.
    expect(m).not.toHaveProperty(['data_quality.column.weekday.out_of_range_share']);
    expect(m).not.toHaveProperty(['data_quality.column.last_close.new_categories']);
    // Every column of every part has its keys, and nothing else is there.
    const perColumn = 2 * 7 + (2 * 5 + 3);
    expect(Object.keys(m)).toHaveLength(2 + 5 + 2 + 4 + perColumn + 2 + 4 + 4 + 5);
  });

  it('counts every new label, not only the listed ones', () => {
    const quality = sample.dataQuality!;
    const columns = quality.columns.map((c) =>
      c.column === 'weekday'
        ? {
            ...c,
            newCategories: ['Sat'],
            newCategoryCount: 3,
            outOfList: 4,
            outOfListShare: 4 / 60,
          }
        : c,
    );
    const m = flattenMetrics({ dataQuality: { ...quality, columns } });
    expect(m['data_quality.column.weekday.new_categories']).toBe(3);
    expect(m['data_quality.column.weekday.out_of_list_share']).toBe(4 / 60);
  });

  it('has a null score and verdict for a column whose test could not run', () => {
    const m = flattenMetrics(parts);
    expect(m['data_drift.column.volume_change.score']).toBeNull();
    // Its `drifted: false` means "not tested": a check on it must not pass.
    expect(m['data_drift.column.volume_change.drifted']).toBeNull();
  });

  it('gives no keys for absent parts, so checks on them report an error', () => {
    const m = flattenMetrics({ reference: sample.reference, dataDrift: sample.dataDrift });
    const prefixes = new Set(Object.keys(m).map((k) => k.split('.')[0]));
    expect([...prefixes].sort()).toEqual(['data_drift', 'rows']);
    expect(m).toHaveProperty(['rows.reference']);
    expect(m).not.toHaveProperty(['rows.current']);
    expect(flattenMetrics({})).toEqual({});
  });

  it('reports drift as not computed when no column could be tested', () => {
    const nothing: DataDriftResult = {
      columns: sample.dataDrift.columns.filter((c) => c.status === 'error'),
      testedColumns: 0,
      driftedColumns: 0,
      driftedShare: 0,
      driftShare: 0.5,
      datasetDrift: false,
      problems: ['the current window is empty'],
    };
    const m = flattenMetrics({ dataDrift: nothing });
    expect(m).toEqual({
      'data_drift.dataset_drift': null,
      'data_drift.drifted_share': null,
      'data_drift.drifted_columns': 0,
      'data_drift.tested_columns': 0,
      'data_drift.error_columns': 1,
      'data_drift.column.volume_change.score': null,
      'data_drift.column.volume_change.drifted': null,
    });
  });

  it('gives null for scores that cannot be compared: no registration, no windows, non-finite', () => {
    const performance = sample.performance!;
    const m = flattenMetrics({
      performance: {
        overall: { ...performance.overall, mape: null, skill: Number.NaN },
        windows: [],
        unscored: 0,
      },
    });
    expect(m).toEqual({
      'performance.count': 60,
      'performance.unscored': 0,
      'performance.mae': 2.79,
      'performance.rmse': 3.66,
      'performance.mape': null,
      'performance.skill': null,
      'performance.mae_change': null,
      'performance.rmse_change': null,
      'performance.mape_change': null,
      'performance.skill_change': null,
      'performance.latest_window.count': null,
      'performance.latest_window.mae': null,
      'performance.latest_window.rmse': null,
      'performance.latest_window.mape': null,
      'performance.latest_window.skill': null,
    });
  });

  it('takes the latest window by its end, whatever the order', () => {
    const performance = sample.performance!;
    const reversed = { ...performance, windows: [...performance.windows].reverse() };
    expect(flattenMetrics({ performance: reversed })['performance.latest_window.mae']).toBe(3.52);
  });
});

describe('buildMonitorReport', () => {
  it('fills schemaVersion and metrics, and leaves absent parts out', () => {
    const report = buildMonitorReport({
      title: 'drift only',
      reference: sample.reference,
      current: sample.current,
      dataDrift: sample.dataDrift,
      performance: undefined,
      generatedAt: new Date(Date.UTC(2026, 10, 27, 8)),
    });
    expect(report.schemaVersion).toBe(1);
    expect(report.generatedAt).toBe('2026-11-27T08:00:00.000Z');
    expect(report.metrics).toEqual(flattenMetrics(report));
    expect(report.notes).toEqual([]);
    expect(report.checks).toEqual([]);
    for (const key of ['model', 'predictionDrift', 'dataQuality', 'performance']) {
      expect(Object.keys(report)).not.toContain(key);
    }
  });

  it('leaves out a performance part with nothing scored (its NaN means have no JSON form) and says why', () => {
    const performance = computeRegressionPerformance([
      { timestamp: 1, predicted: 100, actual: Number.NaN },
    ]);
    const report = buildMonitorReport({ ...parts, title: 't', performance });
    expect(Object.keys(report)).not.toContain('performance');
    expect(report.notes).toEqual([
      'Performance: none of the 1 predictions has an actual yet: nothing to score',
    ]);
    expect(report.metrics['performance.mae']).toBeUndefined();
    // The report stays writable: its JSON parses back to the same report.
    expect(parseMonitorReport(JSON.stringify(report))).toEqual(report);
  });

  it('stamps the current time by default', () => {
    const before = Date.now();
    const report = buildMonitorReport({ ...parts, title: 't', dataDrift: sample.dataDrift });
    expect(Date.parse(report.generatedAt)).toBeGreaterThanOrEqual(before);
    expect(report.metrics['performance.mae']).toBe(2.79);
  });
});

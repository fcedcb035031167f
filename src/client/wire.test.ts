import { describe, expect, it } from 'vitest';
import { MlopsError } from '../core/index.js';
import {
  artifactRecordFromWire,
  doubleFromWire,
  experimentFromWire,
  fileInfoFromWire,
  int64FromWire,
  metricFromWire,
  metricToWire,
  pageFromWire,
  runFromWire,
  runInfoFromWire,
  tagsFromWire,
} from './wire.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    return MlopsError.is(err) ? err.code : 'not an MlopsError';
  }
  return undefined;
}

describe('wire -> entities', () => {
  it('reads an experiment with tags as an array and int64 as strings', () => {
    expect(
      experimentFromWire({
        experiment_id: '7',
        name: 'goog',
        artifact_location: 'mlflow-artifacts:/7',
        lifecycle_stage: 'deleted',
        creation_time: '1700000000000',
        last_update_time: 1700000000001,
        tags: [{ key: 'team', value: 'quant' }, { key: 'empty' }],
      }),
    ).toEqual({
      experimentId: '7',
      name: 'goog',
      artifactLocation: 'mlflow-artifacts:/7',
      lifecycleStage: 'deleted',
      creationTime: 1_700_000_000_000,
      lastUpdateTime: 1_700_000_000_001,
      tags: { team: 'quant', empty: '' },
    });
  });

  it('fills omitted experiment fields, and reads an integer id as a string', () => {
    expect(experimentFromWire({ experiment_id: 0, name: 'Default' })).toEqual({
      experimentId: '0',
      name: 'Default',
      artifactLocation: '',
      lifecycleStage: 'active',
      creationTime: 0,
      lastUpdateTime: 0,
      tags: {},
    });
  });

  it('reads a run: params and tags as records, omitted end_time as null, omitted data as empty', () => {
    const run = runFromWire({
      info: {
        run_id: 'a'.repeat(32),
        run_uuid: 'a'.repeat(32),
        run_name: 'ridge',
        experiment_id: '1',
        user_id: 'ada',
        status: 'RUNNING',
        start_time: '1000',
        artifact_uri: 'mlflow-artifacts:/1/aaa/artifacts',
        lifecycle_stage: 'active',
      },
      data: {
        metrics: [{ key: 'rmse', value: 'NaN', timestamp: '5', step: '2' }],
        params: [{ key: 'units', value: '50' }],
        tags: [{ key: 'mlflow.runName', value: 'ridge' }],
      },
    });
    expect(run.info.endTime).toBeNull();
    expect(run.info.startTime).toBe(1000);
    expect(run.data.params).toEqual({ units: '50' });
    expect(run.data.tags).toEqual({ 'mlflow.runName': 'ridge' });
    expect(run.data.metrics[0]?.value).toBeNaN();
    expect(run.data.metrics[0]).toMatchObject({ key: 'rmse', timestamp: 5, step: 2 });

    const bare = runFromWire({ info: { run_uuid: 'b1', experiment_id: '1' } });
    expect(bare.data).toEqual({ metrics: [], params: {}, tags: {} });
    expect(bare.info).toMatchObject({ runId: 'b1', status: 'RUNNING', lifecycleStage: 'active' });
  });

  it('reads run status names and enum numbers, and falls back to the runName tag', () => {
    const info = runInfoFromWire(
      { run_id: 'r', experiment_id: '1', status: 3, end_time: 9 },
      {
        'mlflow.runName': 'from-tag',
      },
    );
    expect(info).toMatchObject({ status: 'FINISHED', endTime: 9, runName: 'from-tag' });
    expect(codeOf(() => runInfoFromWire({ run_id: 'r', experiment_id: '1', status: 'DONE' }))).toBe(
      'INTERNAL_ERROR',
    );
  });

  it('reads metric values as numbers or NaN/Infinity strings, missing step as 0', () => {
    const values = [1.5, 'NaN', 'Infinity', '-Infinity', '2.5e3'].map(
      (value) => metricFromWire({ key: 'm', value, timestamp: 1 }).value,
    );
    expect(values[0]).toBe(1.5);
    expect(values[1]).toBeNaN();
    expect(values[2]).toBe(Number.POSITIVE_INFINITY);
    expect(values[3]).toBe(Number.NEGATIVE_INFINITY);
    expect(values[4]).toBe(2500);
    expect(metricFromWire({ key: 'm', value: 0, timestamp: 3 }).step).toBe(0);
    expect(codeOf(() => doubleFromWire(null, 'v'))).toBe('INTERNAL_ERROR');
    expect(codeOf(() => doubleFromWire('nan', 'v'))).toBe('INTERNAL_ERROR');
  });

  it('reads int64 as numbers or decimal strings and refuses anything else', () => {
    expect(int64FromWire('-12', 't')).toBe(-12);
    expect(int64FromWire(12, 't')).toBe(12);
    expect(int64FromWire(undefined, 't')).toBeUndefined();
    for (const bad of ['1.5', 1.5, 'x', true]) {
      expect(codeOf(() => int64FromWire(bad, 't'))).toBe('INTERNAL_ERROR');
    }
  });

  it('reads file infos, pages and artifact records', () => {
    expect(fileInfoFromWire({ path: 'model', is_dir: true })).toEqual({
      path: 'model',
      isDir: true,
    });
    expect(fileInfoFromWire({ path: 'a.txt', file_size: '42' })).toEqual({
      path: 'a.txt',
      isDir: false,
      fileSize: 42,
    });
    expect(pageFromWire(undefined, '', (x: number) => x)).toEqual({ items: [] });
    expect(pageFromWire([1], 'tok', (x: number) => x * 2)).toEqual({
      items: [2],
      nextPageToken: 'tok',
    });
    expect(artifactRecordFromWire({ path: 'p', manifestId: 'm', size: 3 })).toEqual({
      path: 'p',
      manifestId: 'm',
      size: 3,
    });
  });

  it('lets a later duplicate tag win and refuses a tag without a key', () => {
    expect(
      tagsFromWire([
        { key: 't', value: '1' },
        { key: 't', value: '2' },
      ]),
    ).toEqual({ t: '2' });
    expect(codeOf(() => tagsFromWire([{ value: 'x' }]))).toBe('INTERNAL_ERROR');
  });

  it('says a response is malformed when an id is missing', () => {
    expect(codeOf(() => experimentFromWire({ name: 'x' }))).toBe('INTERNAL_ERROR');
    expect(codeOf(() => runFromWire(undefined))).toBe('INTERNAL_ERROR');
  });
});

describe('entities -> wire', () => {
  it('sends non-finite metric values as strings and the rest as numbers', () => {
    const out = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0.5].map(
      (value) => metricToWire({ key: 'm', value, timestamp: 1, step: 2 }),
    );
    expect(out.map((m) => m.value)).toEqual(['NaN', 'Infinity', '-Infinity', -0.5]);
    expect(out[0]).toEqual({ key: 'm', value: 'NaN', timestamp: 1, step: 2 });
    expect(JSON.parse(JSON.stringify(out[1]))).toEqual(out[1]);
  });

  it('refuses a metric value that is not a number, naming the key', () => {
    let err: unknown;
    try {
      metricToWire({ key: 'rmse', value: '1' as unknown as number, timestamp: 1, step: 0 });
    } catch (e) {
      err = e;
    }
    expect(MlopsError.is(err) && err.code).toBe('INVALID_PARAMETER_VALUE');
    expect((err as Error).message).toContain("'rmse'");
  });
});

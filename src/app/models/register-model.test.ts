import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readStoredFile, sha256Hex } from '../../blobs/index.js';
import { MONITORED_FEATURE_COLUMNS, trainForecast } from '../../forecast/index.js';
import type { RegistryStore } from '../../registry/index.js';
import { expectCode } from '../../testing/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import { connect, openRegistry } from '../connect.js';
import { loadModelPackage } from './load-model-package.js';
import type { ModelsContext } from './models-context.js';
import { registerModel } from './register-model.js';

const HEADER = 'Date,Open,High,Low,Close,Adj Close,Volume';

/** A contract-clean daily series of `n` weekday rows from 2020-01-02. */
function priceCsv(n: number): string {
  const out = [HEADER];
  const day = new Date(Date.UTC(2020, 0, 2));
  for (let i = 0; i < n; i++) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    const close = 100 + 10 * Math.sin(i / 7) + i * 0.05;
    const row = [close - 0.5, close + 1, close - 1, close, close, 1_000_000 + i];
    out.push([day.toISOString().slice(0, 10), ...row.map((v) => v.toFixed(4))].join(','));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return `${out.join('\n')}\n`;
}

describe('registerModel', () => {
  let dir: string;
  let client: TrackingClient;
  let registry: RegistryStore;
  let ctx: ModelsContext;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-models-'));
    await mkdir(join(dir, '.mlops'));
    client = await connect(undefined, { cwd: dir });
    registry = await openRegistry(client);
    ctx = { client, registry, cwd: dir };
  });
  afterEach(async () => {
    await client.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("packages a forecaster's run without storing its files twice", async () => {
    const data = join(dir, 'prices.csv');
    await writeFile(data, priceCsv(300));
    const trained = await trainForecast(client, {
      data,
      model: 'linear',
      params: { window: 10 },
    });
    const source = `runs:/${trained.runId}/model`;
    const r = await registerModel(ctx, { source, name: 'goog', description: 'first' });
    expect(r.version).toMatchObject({ name: 'goog', version: '1', runId: trained.runId, source });
    expect(r.version.packageHash).toBe(r.packageHash);
    expect(r.createdModel).toBe(true);
    const m = r.manifest;
    expect(m).toMatchObject({
      model_kind: 'linear',
      run_id: trained.runId,
      flavors: { onnx: { file: 'model.onnx', opset: 17, ir_version: 8 } },
      signature: {
        inputs: [{ name: 'closes', dtype: 'float32', shape: [-1, 10] }],
        outputs: [{ name: 'next_close', dtype: 'float32', shape: [-1, 1] }],
        window: 10,
      },
      dataset: { sha256: trained.datasetSha256, source: data, rows: 300 },
    });
    expect(m.flavors.mlops_forecaster).toEqual({ file: 'forecaster.json' });
    // Row ranges are the run's split: [start, end) target rows with their dates.
    const { train, validation, test } = trained.ranges;
    expect(m.row_ranges).toEqual({
      train: {
        start: train.firstRow,
        end: train.lastRow + 1,
        first_date: train.firstDate,
        last_date: train.lastDate,
      },
      validation: {
        start: validation.firstRow,
        end: validation.lastRow + 1,
        first_date: validation.firstDate,
        last_date: validation.lastDate,
      },
      test: {
        start: test.firstRow,
        end: 300,
        first_date: test.firstDate,
        last_date: test.lastDate,
      },
    });
    expect(m.input_example?.prices).toHaveLength(10);
    // The ONNX graph's test metrics match the run's (float32 inside the graph).
    expect(m.metrics?.['rmse']).toBeCloseTo(trained.metrics.rmse, 3);
    // Files are the run's artifact records, by the same manifest ids.
    const records = await client.store.listArtifactRecords(trained.runId, 'model');
    for (const rec of records) {
      expect(m.files[rec.path.slice('model/'.length)]?.manifest_id).toBe(rec.manifestId);
    }
    expect(Object.keys(m.files).sort()).toEqual(
      [...records.map((rec) => rec.path.slice('model/'.length)), 'reference.json'].sort(),
    );
    const loaded = await loadModelPackage(ctx, 'models:/goog/1');
    const reference = await loaded.files.reference();
    expect(reference?.features.columns).toEqual([...MONITORED_FEATURE_COLUMNS]);
    expect(reference?.features.rows).toHaveLength(train.lastRow + 1 - train.firstRow);
    expect(m.reference).toEqual({
      file: 'reference.json',
      feature_columns: [...MONITORED_FEATURE_COLUMNS],
      rows: train.lastRow + 1 - train.firstRow,
    });
    expect(reference?.holdout.dates[0]).toBe(test.firstDate);
    expect(reference?.holdout.predicted).toHaveLength(300 - test.firstRow);
    // The dataset version is stored (once) and named by the package.
    const dataset = await readStoredFile(client.blobs, m.dataset?.manifest_id ?? '');
    expect(sha256Hex(dataset)).toBe(trained.datasetSha256);
    const edges = await client.lineage.edgesFrom({ type: 'run', id: trained.runId });
    expect(edges.map((e) => [e.dst.type, e.dst.id, e.relation])).toContainEqual([
      'model_version',
      'goog/1',
      'registered_as',
    ]);

    // URIs: unknown alias, then the alias, the number and latest name the same package.
    const noAlias = await expectCode(
      loadModelPackage(ctx, 'models:/goog@champion'),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(noAlias.message).toMatch(/no alias 'champion' \(aliases: none\)/);
    await registry.setAlias('goog', 'champion', '1');
    for (const uri of ['models:/goog@champion', 'models:/goog/latest', 'models:/goog/1']) {
      expect((await loadModelPackage(ctx, uri)).packageHash).toBe(r.packageHash);
    }
    await expectCode(loadModelPackage(ctx, 'models:/goog/7'), 'RESOURCE_DOES_NOT_EXIST');
    await expectCode(loadModelPackage(ctx, 'models:/nope/1'), 'RESOURCE_DOES_NOT_EXIST');
    await expectCode(loadModelPackage(ctx, 'models:/goog'), 'INVALID_PARAMETER_VALUE');

    // The data file moved on: the run's version is still found through its earlier package.
    await writeFile(data, priceCsv(320));
    const again = await registerModel(ctx, { source, name: 'goog' });
    expect(again.version.version).toBe('2');
    expect(again.manifest.dataset?.manifest_id).toBe(m.dataset?.manifest_id);
  });

  it('records row ranges as rows of the whole file when the run used only the most recent rows', async () => {
    const data = join(dir, 'prices.csv');
    await writeFile(data, priceCsv(300));
    const trained = await trainForecast(client, {
      data,
      model: 'persistence',
      params: { window: 5 },
      lastRows: 250,
    });
    const r = await registerModel(ctx, { source: `runs:/${trained.runId}/model`, name: 'p' });
    const { train, test } = trained.ranges;
    expect(r.manifest.dataset?.rows).toBe(300);
    expect(r.manifest.row_ranges?.train).toEqual({
      start: train.firstRow + 50,
      end: train.lastRow + 51,
      first_date: train.firstDate,
      last_date: train.lastDate,
    });
    expect(r.manifest.row_ranges?.test.end).toBe(300);
    expect(r.manifest.row_ranges?.test.first_date).toBe(test.firstDate);
    // Persistence predicts the last close: the holdout says so exactly (float32 aside).
    const reference = await (await loadModelPackage(ctx, 'models:/p/1')).files.reference();
    const holdout = reference?.holdout;
    expect(holdout?.predicted[1]).toBeCloseTo(holdout?.actual[0] ?? Number.NaN, 3);
  });

  it('refuses a run whose data changed and is stored nowhere, naming both hashes', async () => {
    const data = join(dir, 'prices.csv');
    await writeFile(data, priceCsv(300));
    const trained = await trainForecast(client, { data, model: 'persistence' });
    await writeFile(data, priceCsv(310));
    const err = await expectCode(
      registerModel(ctx, { source: `runs:/${trained.runId}/model`, name: 'p' }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(err.message).toContain(`trained on ${data} with sha256 ${trained.datasetSha256}`);
    expect(err.message).toContain(`now has sha256 ${sha256Hex(await readFile(data))}`);
    await expectCode(registry.getRegisteredModel('p'), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('refuses malformed sources, unknown runs and runs without a model', async () => {
    await expectCode(
      registerModel(ctx, { source: 'models:/x/1', name: 'a' }),
      'INVALID_PARAMETER_VALUE',
    );
    await expectCode(
      registerModel(ctx, { source: 's3://bucket/model', name: 'a' }),
      'INVALID_PARAMETER_VALUE',
    );
    await expectCode(
      registerModel(ctx, { source: 'runs:/0123/model', name: 'a/b' }),
      'INVALID_PARAMETER_VALUE',
    );
    await expectCode(
      registerModel(ctx, { source: `runs:/${'f'.repeat(32)}/model`, name: 'a' }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    const empty = await client.withRun({ cwd: dir }, async (run) => run.id);
    const err = await expectCode(
      registerModel(ctx, { source: `runs:/${empty}/model`, name: 'a' }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(err.message).toMatch(/has no artifacts under 'model'/);
  });
});

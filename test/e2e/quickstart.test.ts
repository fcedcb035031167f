import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_INDEX, mlops, runNode, tempWorkspace } from './cli-harness.js';

interface QuickstartJson {
  validation: { ok: boolean; rows: number };
  ingestion: { rowsAdded: number; versioned: boolean; runId: string };
  dataLog: { versions: { runs: string[] }[] };
  results: { run_id: string; model: string; metrics: Record<string, number> }[];
}

describe('mlops quickstart', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let report: QuickstartJson;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    const out = await mlops(dir, 'quickstart', '--json');
    expect(out.code, out.stderr).toBe(0);
    report = JSON.parse(out.stdout) as QuickstartJson;
  });
  afterAll(() => cleanup());

  it('validates the embedded data and trains the baselines and the LSTM', () => {
    expect(existsSync(join(dir, '.mlops', 'mlops.db'))).toBe(true);
    expect(report.validation).toMatchObject({ ok: true, rows: 5105 });
    expect(report.results.map((r) => r.model)).toEqual(['persistence', 'linear', 'lstm']);
    for (const r of report.results) {
      for (const key of [
        'rmse',
        'mae',
        'mape',
        'directional_accuracy',
        'skill',
        'change_std_ratio',
      ]) {
        expect(typeof r.metrics[key], `${r.model} ${key}`).toBe('number');
      }
    }
    expect(report.results[0]?.metrics['skill']).toBe(0);
  });

  it('imports and versions the prices first, and the data log shows the runs that used them', () => {
    expect(report.ingestion).toMatchObject({ rowsAdded: 5105, versioned: true });
    expect(existsSync(join(dir, 'data', 'prices.csv.mlops'))).toBe(true);
    expect(report.dataLog.versions[0]?.runs).toHaveLength(3);
  });

  it('leaves runs, metrics, lineage edges and artifacts in the store', async () => {
    const lstm = report.results.find((r) => r.model === 'lstm');
    const script = `
      const { connect } = await import(${JSON.stringify(DIST_INDEX)});
      const client = await connect();
      const run = await client.getRun(${JSON.stringify(lstm?.run_id)});
      const losses = await client.store.getMetricHistory(run.info.runId, 'loss');
      const inputs = await client.lineage.edgesTo({ type: 'run', id: run.info.runId });
      const files = (await client.store.listArtifactRecords(run.info.runId)).map((a) => a.path);
      await client.close();
      console.log(JSON.stringify({ status: run.info.status, tags: run.data.tags, metrics: run.data.metrics.map((m) => m.key), losses: losses.items.length, inputs, files }));`;
    await writeFile(join(dir, 'inspect.mjs'), script);
    const out = await runNode(['inspect.mjs'], dir);
    expect(out.stderr).toBe('');
    const seen = JSON.parse(out.stdout) as {
      status: string;
      tags: Record<string, string>;
      metrics: string[];
      losses: number;
      inputs: { relation: string; src: { type: string; id: string } }[];
      files: string[];
    };
    expect(seen.status).toBe('FINISHED');
    expect(seen.tags['backend']).toMatch(/^(wasm|tensorflow)$/);
    expect(seen.tags['data.test_range']).toMatch(
      /^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2} \(rows \d+\.\.\d+\)$/,
    );
    expect(seen.metrics).toEqual(
      expect.arrayContaining(['rmse', 'skill', 'dm_p_value', 'loss', 'val_loss']),
    );
    expect(seen.losses).toBeGreaterThan(0);
    expect(seen.inputs).toHaveLength(1);
    expect(seen.inputs[0]).toMatchObject({ relation: 'input', src: { type: 'dataset' } });
    expect(seen.inputs[0]?.src.id).toMatch(/data\/prices\.csv@[0-9a-f]{64}$/);
    expect(seen.files).toEqual(
      expect.arrayContaining([
        'model/model.onnx',
        'model/forecaster.json',
        'model/scaler.json',
        'report/report.html',
        'report/actual_vs_predicted.svg',
        'report/learning_curves.svg',
        'report/validation.json',
      ]),
    );
  });

  it('prints a readable comparison on a terminal run', async () => {
    const out = await mlops(dir, 'quickstart');
    expect(out.code).toBe(0);
    expect(out.stdout).toContain('Data contract OK');
    expect(out.stdout).toMatch(/persistence\s+\d/);
    expect(out.stdout).toContain('--input-->');
    expect(out.stdout).toContain('imported 0 new rows');
    const list = await mlops(dir, 'runs', 'list', '-e', 'quickstart', '--json');
    expect((JSON.parse(list.stdout) as { runs: unknown[] }).runs).toHaveLength(6);
  });
});

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DIST_INDEX, mlops, runNode, tempWorkspace } from './cli-harness.js';

interface StageJson {
  name: string;
  status: string;
  reasons: string[];
  runId?: string;
}

interface QuickstartJson {
  created: string[];
  preset: string;
  validation: { ok: boolean; rows: number };
  ingestion: { rowsAdded: number; rowsTotal: number; versioned: boolean; runId: string };
  repro: { stages: StageJson[]; pipelineRunId: string };
  reproAgain: { stages: StageJson[]; pipelineRunId: string };
  metrics: {
    testRows: number;
    testRange: { first: string; last: string };
    models: { model: string; metrics: Record<string, number> }[];
    best: { model: string };
  };
  lineageRunId: string;
  lineage: string;
  dataLog: { versions: { runs: string[] }[] };
  blobCount: number;
  champion: {
    model: string;
    alias: string;
    version: string;
    kind: string;
    decisionFile: string;
    outcome: string;
    reasons: string[];
    lines: string[];
  };
  monitoring: {
    predictions: number;
    feedback: number;
    run: {
      snapshot: { id: string; monitor: string; modelVersion: string; rows: number };
      files: { html: string; json: string };
      report: {
        current: { uri: string; rows: number };
        dataDrift: { testedColumns: number; columns: { column: string; status: string }[] };
        performance?: { overall: { count: number } };
      };
    };
  };
}

const STAGES = [
  'validate',
  'train@persistence',
  'train@linear',
  'train@lstm',
  'evaluate',
  'register',
];
const MODELS = ['persistence', 'linear', 'lstm'];

describe('mlops quickstart', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let report: QuickstartJson;
  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    const out = await mlops(dir, 'quickstart', '--json');
    expect(out.code, out.stderr).toBe(0);
    report = JSON.parse(out.stdout) as QuickstartJson;
    // Trains the three models through `mlops repro`: some 30-60 s on two busy cores.
  }, 300_000);
  afterAll(() => cleanup());

  it('writes the example with the quick preset on the imported, versioned prices', async () => {
    expect(existsSync(join(dir, '.mlops', 'mlops.db'))).toBe(true);
    expect(report.created).toEqual(
      expect.arrayContaining([
        'data/prices.csv.mlops',
        'mlops.yaml',
        'params.yaml',
        'monitor.yaml',
      ]),
    );
    expect(report.ingestion).toMatchObject({ rowsAdded: 5105, rowsTotal: 5105, versioned: true });
    expect(existsSync(join(dir, 'data', 'prices.csv.mlops'))).toBe(true);
    expect(report.validation).toMatchObject({ ok: true, rows: 5105 });
    expect(report.preset).toBe('quick');
    const params = parse(await readFile(join(dir, 'params.yaml'), 'utf8')) as { preset: string };
    expect(params.preset).toBe('quick');
  });

  it('runs every stage through mlops repro, then a second repro skips them all', async () => {
    expect(report.repro.stages.map((s) => [s.name, s.status])).toEqual(
      STAGES.map((s) => [s, 'ran']),
    );
    expect(report.reproAgain.stages.map((s) => [s.name, s.status, s.reasons])).toEqual(
      STAGES.map((s) => [s, 'skipped', ['up to date']]),
    );
    expect(report.reproAgain.pipelineRunId).not.toBe(report.repro.pipelineRunId);
    const lock = parse(await readFile(join(dir, 'mlops.lock'), 'utf8')) as {
      stages: Record<string, unknown>;
    };
    expect(Object.keys(lock.stages)).toEqual(STAGES);
  });

  it('reports the numbers of metrics.json for the three models; persistence has skill 0', async () => {
    const file = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as Record<
      string,
      Record<string, number>
    >;
    expect(report.metrics.models.map((m) => m.model)).toEqual(MODELS);
    for (const { model, metrics } of report.metrics.models) {
      expect(metrics).toEqual(file[model]);
      for (const key of ['rmse', 'mae', 'mape', 'directional_accuracy', 'skill']) {
        expect(typeof metrics[key], `${model} ${key}`).toBe('number');
      }
    }
    expect(file['persistence']?.['skill']).toBe(0);
    expect(report.metrics.testRows).toBe(file['test_rows']);
    expect(report.metrics.testRange.first).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(MODELS).toContain(report.metrics.best.model);
    expect(existsSync(join(dir, 'plots', 'predictions.svg'))).toBe(true);
  });

  it('leaves stage runs, metrics, lineage edges and artifacts in the store', async () => {
    const lstm = report.repro.stages.find((s) => s.name === 'train@lstm');
    expect(report.lineageRunId).toBe(lstm?.runId);
    expect(report.lineage).toContain('--input-->');
    expect(report.dataLog.versions[0]?.runs).toContain(report.lineageRunId);
    const evaluate = report.repro.stages.find((s) => s.name === 'evaluate')?.runId;
    const script = `
      const { connect } = await import(${JSON.stringify(DIST_INDEX)});
      const client = await connect();
      const run = await client.getRun(${JSON.stringify(report.lineageRunId)});
      const losses = await client.store.getMetricHistory(run.info.runId, 'loss');
      const inputs = await client.lineage.edgesTo({ type: 'run', id: run.info.runId });
      const files = (await client.store.listArtifactRecords(run.info.runId)).map((a) => a.path);
      const scored = (await client.getRun(${JSON.stringify(evaluate)})).data.metrics.map((m) => m.key);
      await client.close();
      console.log(JSON.stringify({ status: run.info.status, tags: run.data.tags, metrics: run.data.metrics.map((m) => m.key), losses: losses.items.length, inputs, files, scored }));`;
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
      scored: string[];
    };
    expect(seen.status).toBe('FINISHED');
    expect(seen.tags).toMatchObject({
      'mlops.stage': 'train@lstm',
      'mlops.stage.status': 'ran',
      'mlflow.parentRunId': report.repro.pipelineRunId,
    });
    expect(seen.tags['backend']).toMatch(/^(wasm|tensorflow)$/);
    expect(seen.tags['data.test_range']).toMatch(/^\d{4}-\d{2}-\d{2}\.\.\d{4}-\d{2}-\d{2}$/);
    expect(seen.metrics).toEqual(
      expect.arrayContaining(['loss', 'val_loss', 'validation.rmse', 'duration_s']),
    );
    expect(seen.losses).toBeGreaterThan(0);
    const input = seen.inputs.find((e) => e.relation === 'input');
    expect(input?.src.type).toBe('dataset');
    expect(input?.src.id).toMatch(/data\/prices\.csv@[0-9a-f]{64}$/);
    expect(seen.inputs).toContainEqual(
      expect.objectContaining({
        relation: 'parent_of',
        src: { type: 'run', id: report.repro.pipelineRunId },
      }),
    );
    expect(seen.files).toEqual(
      expect.arrayContaining(['model/model.onnx', 'model/forecaster.json', 'model/scaler.json']),
    );
    expect(seen.scored).toEqual(expect.arrayContaining(['lstm.rmse', 'persistence.skill']));
    expect(report.blobCount).toBeGreaterThan(0);
  });

  it('ends with a champion chosen by the promotion gate, and says why', async () => {
    const { champion } = report;
    expect(champion).toMatchObject({
      model: 'stock-forecast',
      alias: 'champion',
      decisionFile: 'reports/promotion.json',
      outcome: 'promoted',
    });
    expect(MODELS).toContain(champion.kind);
    // No holder on the first run: the best of the three (persistence among them) takes it.
    expect(champion.reasons[0]).toMatch(
      /^Promoted: no version held 'champion'; v\d+ .* scores best of 3/,
    );
    const decision = JSON.parse(await readFile(join(dir, 'reports', 'promotion.json'), 'utf8')) as {
      alias_after: string;
      versions: { version: string; model_kind: string; roles: string[]; score: number }[];
    };
    expect(decision.alias_after).toBe(champion.version);
    expect(decision.versions.map((v) => v.model_kind).sort()).toEqual([...MODELS].sort());
    const best = decision.versions[0];
    expect(best?.version).toBe(champion.version);
    // Never worse than persistence on the rows they were compared on.
    const naive = decision.versions.find((v) => v.roles.includes('persistence'));
    expect(best?.score).toBeLessThanOrEqual(naive?.score ?? Number.NaN);
    expect(champion.lines.join('\n')).toContain('<- champion');
  });

  it('serves the champion, replays the last 30 days with feedback, and writes a drift report and a snapshot', async () => {
    const m = report.monitoring;
    expect(m).toMatchObject({ predictions: 30, feedback: 30 });
    expect(m.run.snapshot).toMatchObject({
      monitor: 'stock-forecast',
      modelVersion: report.champion.version,
      rows: 30,
    });
    expect(m.run.report.current).toMatchObject({ uri: 'inference-log', rows: 30 });
    expect(m.run.report.dataDrift.testedColumns).toBe(5);
    expect(m.run.report.performance?.overall.count).toBe(30);
    expect(m.run.files.html).toBe(join(dir, 'reports', 'monitor.html'));
    expect(await readFile(join(dir, 'reports', 'monitor.html'), 'utf8')).toContain('<html');
    const stored = JSON.parse(await readFile(join(dir, 'reports', 'monitor.json'), 'utf8')) as {
      schemaVersion: number;
    };
    expect(stored.schemaVersion).toBe(1);
    // The monitor.yaml init wrote works as it is: the same window, its one check evaluated.
    const check = await mlops(dir, 'monitor', 'check', '--config', 'monitor.yaml', '--json');
    expect([0, 1], check.stderr).toContain(check.code);
    const checked = JSON.parse(check.stdout) as { checks: { metric: string; status: string }[] };
    expect(checked.checks.map((c) => c.metric)).toEqual(['data_drift.dataset_drift']);
    expect(checked.checks[0]?.status).toBe(check.code === 0 ? 'pass' : 'fail');
  });

  it('prints readable blocks; a second quickstart imports 0 new rows and skips every stage', async () => {
    const lock = await readFile(join(dir, 'mlops.lock'), 'utf8');
    const metrics = await readFile(join(dir, 'metrics.json'), 'utf8');
    const out = await mlops(dir, 'quickstart');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('1. Data: imported 0 new rows into data/prices.csv');
    expect(out.stdout).toContain('Data contract OK');
    expect(out.stdout).toContain("Stage 'train@lstm' didn't change, skipping");
    expect(out.stdout).toMatch(/persistence\s+\d/);
    expect(out.stdout).toContain('3. mlops repro again: all 6 stages up to date (skipped)');
    expect(out.stdout).toContain(
      `Champion: models:/stock-forecast@champion -> version ${report.champion.version}`,
    );
    // The lineage of the run that trained the LSTM (the first quickstart's).
    expect(out.stdout).toContain(`mlops lineage runs:/${report.lineageRunId}`);
    expect(out.stdout).toContain('--input-->');
    expect(out.stdout).toContain('mlops plots diff -o plots.html');
    expect(out.stdout).toContain('6. mlops serve + mlops monitor run: 30 predictions');
    expect(out.stdout).toContain(`Monitoring report: ${join(dir, 'reports', 'monitor.html')}`);
    expect(await readFile(join(dir, 'mlops.lock'), 'utf8')).toBe(lock);
    expect(await readFile(join(dir, 'metrics.json'), 'utf8')).toBe(metrics);
    // Two quickstarts, two repros each: a pipeline run with six stage runs per repro.
    const list = await mlops(dir, 'runs', 'list', '-e', 'pipeline', '--json');
    expect((JSON.parse(list.stdout) as { runs: unknown[] }).runs).toHaveLength(4 * 7);
  });
});

describe('mlops quickstart in a workspace with another pipeline', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  it('refuses to run it and changes nothing', async () => {
    const pipeline = 'stages:\n  hello:\n    cmd: echo hi > hello.txt\n    outs: [hello.txt]\n';
    await writeFile(join(dir, 'mlops.yaml'), pipeline);
    const out = await mlops(dir, 'quickstart');
    expect(out.code).toBe(4);
    expect(out.stderr).toContain('RESOURCE_ALREADY_EXISTS');
    expect(out.stderr).toContain('is not the stock-forecast example');
    expect(existsSync(join(dir, 'hello.txt'))).toBe(false);
    expect(existsSync(join(dir, 'data'))).toBe(false);
    expect(await readFile(join(dir, 'mlops.yaml'), 'utf8')).toBe(pipeline);
  });
});

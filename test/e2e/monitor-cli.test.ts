// `mlops monitor report|check|run|history` through the built CLI on a small world: a linear
// model (window 10) registered from a generated series, logged predictions with feedback, and a
// one-stage pipeline that the retraining action reproduces after importing new rows.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openInferenceLog, registerModel } from '../../src/app/index.js';
import { trainForecast } from '../../src/forecast/index.js';
import type { InferenceRecord } from '../../src/serving/index.js';
import { CLI, mlops, type Result } from './cli-harness.js';
import { priceCsv, serveWorld, type ServeWorld } from './serve-model-harness.js';

const WINDOW = 10;
const NAME = 'goog';
const CHAMPION = `models:/${NAME}@champion`;

/** A wavy price path with a steady spread of returns. */
function closes(n: number, from = 0, scale = 1): Float64Array {
  return Float64Array.from({ length: n }, (_, k) => {
    const i = k + from;
    return scale * (100 + 10 * Math.sin(i / 7) + i * 0.05 + 0.8 * Math.sin(i * 1.7));
  });
}

/** Business days from 2015-01-05, as priceCsv writes them. */
function dates(n: number): string[] {
  const out: string[] = [];
  const day = new Date('2015-01-05T00:00:00Z');
  while (out.length < n) {
    if (day.getUTCDay() % 6 !== 0) out.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out;
}

/** Next-day predictions of the last `count` rows of `path`, as the server logs them. */
function logged(
  path: Float64Array,
  count: number,
  version: string,
  tag: string,
): InferenceRecord[] {
  const days = dates(path.length);
  const out: InferenceRecord[] = [];
  for (let t = path.length - count; t < path.length; t++) {
    const inputs = [...path.slice(t - WINDOW, t)];
    out.push({
      predictionId: `${tag}-${t}`,
      timestamp: 1_700_000_000_000 + t * 60_000,
      modelName: NAME,
      modelVersion: version,
      inputDate: days[t - 1] as string,
      targetDate: days[t] as string,
      horizonStep: 1,
      inputs,
      prediction: inputs[inputs.length - 1] as number,
      latencyMs: 1,
      route: 'predict',
    });
  }
  return out;
}

const json = <T>(r: Result): T => JSON.parse(r.stdout) as T;

describe('mlops monitor', () => {
  let w: ServeWorld;
  let hook: Server;
  let hookUrl: string;
  const received: unknown[] = [];
  const series = closes(300);

  beforeAll(async () => {
    w = await serveWorld(priceCsv(series));
    const trained = await trainForecast(w.client, {
      data: w.data,
      model: 'linear',
      params: { window: WINDOW },
    });
    await registerModel(w.ctx, { source: `runs:/${trained.runId}/model`, name: NAME });
    await w.ctx.registry.setAlias(NAME, 'champion', '1');
    const store = await openInferenceLog(w.client);
    try {
      const records = logged(series, 40, '1', 'p');
      await store.appendPredictions(records);
      await store.appendFeedback(
        records.slice(-20).map((r, i) => ({
          feedbackId: `f-${i}`,
          timestamp: r.timestamp + 1,
          predictionId: r.predictionId,
          actual: series[series.length - 20 + i] as number,
        })),
      );
    } finally {
      await store.close();
    }
    hook = createServer((req, res) => {
      let body = '';
      req.on('data', (d: Buffer) => (body += d.toString()));
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
    const address = hook.address();
    hookUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/hook`;
  }, 120_000);
  afterAll(async () => {
    await new Promise((r) => hook?.close(r));
    await w?.close();
  });

  /** A monitor.yaml in the workspace. */
  async function config(name: string, text: string): Promise<string> {
    await writeFile(join(w.dir, name), text);
    return name;
  }

  /**
   * `<monitor>.yaml`: a monitor of the champion's last 30 predictions whose one check fails (30
   * rows are never more than 1000), followed by the lines `more`.
   */
  const failingConfig = (monitor: string, ...more: string[]) =>
    config(
      `${monitor}.yaml`,
      [
        `monitor: ${monitor}`,
        `model: ${CHAMPION}`,
        'window: { last: 30 }',
        'checks:',
        '  - metric: rows.current',
        '    gt: 1000',
        ...more,
        '',
      ].join('\n'),
    );

  /** `mlops monitor run --config <file> --json`. */
  const monitorRun = (file: string) => mlops(w.dir, 'monitor', 'run', '--config', file, '--json');

  /** `mlops monitor report --reference <reference> --current <current> ...more`. */
  const report = (reference: string, current: string, ...more: string[]) =>
    mlops(w.dir, 'monitor', 'report', '--reference', reference, '--current', current, ...more);

  it('report: a price file against models:/ — the JSON report, and a readable block with the HTML path', async () => {
    const out = await report(CHAMPION, 'data/prices.csv', '--json');
    expect(out.code, out.stderr).toBe(0);
    const written = json<{
      model: { version: string };
      current: { rows: number };
      dataDrift: { columns: { column: string; test: string }[] };
    }>(out);
    expect(written.model.version).toBe('1');
    expect(written.current.rows).toBe(300 - WINDOW);
    expect(written.dataDrift.columns.map((c) => c.column)).toContain('volatility_20d');

    const text = await report(
      CHAMPION,
      'inference-log',
      '--last',
      '30',
      '--html',
      'reports/r.html',
    );
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/Dataset drift: (YES|no)/);
    expect(text.stdout).toMatch(/COLUMN\s+KIND\s+TEST\s+SCORE\s+THRESHOLD/);
    expect(text.stdout).toMatch(/Performance \(20 scored, 10 without feedback\)/);
    expect(text.stdout).toContain(`Report: ${join(w.dir, 'reports', 'r.html')}`);
    expect(await readFile(join(w.dir, 'reports', 'r.html'), 'utf8')).toContain('<html');
  }, 60_000);

  it('report: an empty window says so (problems and a note), never a silent "no drift"', async () => {
    const out = await report(CHAMPION, 'inference-log', '--since', '1h', '--json');
    expect(out.code, out.stderr).toBe(0);
    const empty = json<{
      current: { rows: number };
      dataDrift: { datasetDrift: boolean; problems: string[] };
      notes: string[];
    }>(out);
    expect(empty.current.rows).toBe(0);
    expect(empty.dataDrift.datasetDrift).toBe(false);
    expect(empty.dataDrift.problems.length).toBeGreaterThan(0);
    expect(empty.notes.join(' ')).toContain('holds no next-day predictions');
  });

  it.each([
    { input: 'a missing file', reference: 'nope.csv', says: 'nope.csv does not exist' },
    {
      input: 'a close that is not a number',
      reference: 'bad.csv',
      says: "line 3, column 'Close': 'x' is not a number",
    },
    { input: 'the log without --model', current: 'inference-log', says: '--model' },
    { input: 'a bad --since', more: ['--since', 'soon'], says: '--since' },
  ])(
    'report: bad input exits 2 naming the file, line or option ($input)',
    async ({ reference = 'data/prices.csv', current = 'data/prices.csv', more = [], says }) => {
      await writeFile(join(w.dir, 'bad.csv'), 'Date,Close\n2020-01-02,10\n2020-01-03,x\n');
      const out = await report(reference, current, ...more);
      expect(out.code, out.stderr).toBe(2);
      expect(out.stderr).toContain(says);
    },
  );

  it('check: exit 0 when every check passes, 1 when one fails, 2 for an unknown key (with its line), 3 without the file', async () => {
    const pass = await config(
      'pass.yaml',
      `model: ${CHAMPION}\nwindow: { last: 30 }\nchecks:\n  - metric: rows.current\n    eq: 30\n`,
    );
    const ok = await mlops(w.dir, 'monitor', 'check', '--config', pass);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('All checks passed.');

    const fail = await config(
      'fail.yaml',
      `model: ${CHAMPION}\nwindow: { last: 30 }\nchecks:\n  - metric: rows.current\n    gt: 1000\n  - metric: performance.nonsense\n    lt: 1\n`,
    );
    const failed = await mlops(w.dir, 'monitor', 'check', '--config', fail, '--json');
    expect(failed.code).toBe(1);
    const result = json<{ passed: boolean; checks: { status: string }[] }>(failed);
    expect(result.passed).toBe(false);
    expect(result.checks.map((c) => c.status)).toEqual(['fail', 'error']);

    const unknown = await config(
      'unknown.yaml',
      `model: ${CHAMPION}\nwindow: { last: 30 }\nchecks: []\nwindw: 3\n`,
    );
    const bad = await mlops(w.dir, 'monitor', 'check', '--config', unknown);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown\.yaml, line 4: unknown key 'windw'/);

    const none = await mlops(w.dir, 'monitor', 'check', '--config', 'nowhere.yaml');
    expect(none.code).toBe(3);
    expect(none.stderr).toContain('No monitor config at nowhere.yaml');
  });

  it('run: stores a snapshot with its lineage edge, fires the webhook on a failed check; history lists it', async () => {
    const file = await failingConfig(
      'hooked',
      'actions:',
      `  webhook: { url: "${hookUrl}" }`,
      'report: { html: reports/hooked.html }',
    );
    const out = await monitorRun(file);
    expect(out.code, out.stderr).toBe(0);
    const run = json<{
      snapshot: {
        id: string;
        monitor: string;
        modelVersion: string;
        rows: number;
        passed: boolean;
      };
      report_path: string;
      actions: { action: string; status: string }[];
    }>(out);
    expect(run.snapshot).toMatchObject({
      monitor: 'hooked',
      modelVersion: '1',
      rows: 30,
      passed: false,
    });
    expect(run.report_path).toBe(join(w.dir, 'reports', 'hooked.html'));
    expect(run.actions).toEqual([expect.objectContaining({ status: 'succeeded' })]);
    expect(received).toContainEqual(
      expect.objectContaining({ monitor: 'hooked', snapshot_id: run.snapshot.id }),
    );

    const edges = await w.client.lineage.edgesTo({ type: 'snapshot', id: run.snapshot.id });
    expect(edges.map((e) => [e.src.id, e.relation])).toEqual([[`${NAME}/1`, 'monitored_by']]);

    const history = await mlops(w.dir, 'monitor', 'history', '--monitor', 'hooked', '--json');
    expect(history.code, history.stderr).toBe(0);
    expect(json<{ snapshots: { id: string }[] }>(history).snapshots.map((s) => s.id)).toEqual([
      run.snapshot.id,
    ]);
    const table = await mlops(w.dir, 'monitor', 'history');
    expect(table.stdout).toMatch(new RegExp(`${run.snapshot.id}\\s.*hooked\\s+${NAME}/1\\s+30\\s`));
  }, 60_000);

  it('run: a failed check retrains once within the cooldown — data import, repro, snapshot -> run edge', async () => {
    // A one-stage pipeline on the data: enough to show the import and repro wiring.
    await writeFile(
      join(w.dir, 'mlops.yaml'),
      'stages:\n  count:\n    cmd: wc -l < data/prices.csv > count.txt\n    deps: [data/prices.csv]\n    outs: [count.txt]\n',
    );
    const more = closes(320);
    await writeFile(join(w.dir, 'new-prices.csv'), priceCsv(more));
    const file = await failingConfig(
      'retrainer',
      'actions:',
      '  retrain: { cooldown: 1h, source: new-prices.csv, into: data/prices.csv }',
    );
    const first = await monitorRun(file);
    expect(first.code, first.stderr).toBe(0);
    const run = json<{
      snapshot: { id: string };
      actions: { status: string; runId?: string; detail: string }[];
    }>(first);
    const [retrained] = run.actions;
    expect(retrained?.status, retrained?.detail).toBe('succeeded');
    expect(retrained?.detail).toContain('imported 20 new rows into data/prices.csv');
    expect(retrained?.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(await readFile(join(w.dir, 'count.txt'), 'utf8')).toContain('321');
    const edges = await w.client.lineage.edgesFrom({ type: 'snapshot', id: run.snapshot.id });
    expect(edges.map((e) => [e.relation, e.dst])).toEqual([
      ['triggered', { type: 'run', id: retrained?.runId }],
    ]);

    const again = await monitorRun(file);
    expect(again.code, again.stderr).toBe(0);
    const skipped = json<{ actions: { status: string; detail: string }[] }>(again).actions;
    expect(skipped).toEqual([expect.objectContaining({ status: 'skipped' })]);
  }, 120_000);

  it('run --schedule: one run per tick, one JSON line each, until SIGINT', async () => {
    const file = await config(
      'every-second.yaml',
      `monitor: ticking\nmodel: ${CHAMPION}\nwindow: { last: 5 }\nchecks: []\n`,
    );
    const child = spawn(
      process.execPath,
      [CLI, 'monitor', 'run', '--config', file, '--schedule', '* * * * * *', '--json'],
      { cwd: w.dir, env: { ...process.env, MLOPS_TRACKING_URI: '', MLOPS_ARTIFACT_URI: '' } },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    await new Promise<void>((resolveRuns, reject) => {
      const timer = setTimeout(() => reject(new Error(`no two runs in 30 s: ${stderr}`)), 30_000);
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.split('\n').filter(Boolean).length >= 2) {
          clearTimeout(timer);
          resolveRuns();
        }
      });
    });
    child.kill('SIGINT');
    expect(await exited, stderr).toBe(0);
    expect(stderr).toContain("monitor run scheduled '* * * * * *'");
    const runs = stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { snapshot: { id: string; monitor: string } });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    expect(new Set(runs.map((r) => r.snapshot.id)).size).toBe(runs.length);
    expect(runs.every((r) => r.snapshot.monitor === 'ticking')).toBe(true);
  }, 60_000);
});

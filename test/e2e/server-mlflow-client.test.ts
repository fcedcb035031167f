// Acceptance: `mlops server` as MLflow 2.x's Python client sees it. Every request below is shaped
// exactly as the client sends it (fixtures/mlflow-client-requests.ts, with the MLflow sources), and
// every response field the client reads is checked for presence and JSON type. The 3.x log_model
// sequence is in server-mlflow-client-3x.test.ts.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MLFLOW_2X,
  OPS_2X,
  T0,
  type Json,
  type WireOp,
} from './fixtures/mlflow-client-requests.js';
import {
  asMap,
  expectError,
  expectOk,
  send,
  startServer,
  type FileJson,
  type MetricJson,
  type RunInfoJson,
  type RunJson,
  type RunningServer,
  type Vars,
} from './mlflow-wire-harness.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** Files as the client uploads them: run-relative path, mime type from _guess_mime_type, bytes. */
const RUN_FILES = [
  { file: 'notes.txt', contentType: 'text/plain', bytes: utf8('hello from mlflow 2.x\n') },
  { file: 'empty.txt', contentType: 'text/plain', bytes: new Uint8Array() },
  { file: 'model/MLmodel', contentType: 'text/plain', bytes: utf8('artifact_path: model\n') },
  {
    file: 'model/model.pkl',
    contentType: 'application/octet-stream',
    bytes: Uint8Array.from({ length: 256 }, (_, i) => i),
  },
  { file: 'model/requirements.txt', contentType: 'text/plain', bytes: utf8('scikit-learn\n') },
  { file: 'plots/loss curve.png', contentType: 'image/png', bytes: randomBytes(3000) },
] as const;

describe('mlops server speaks MLflow 2.x (Python client wire format)', () => {
  let server: RunningServer;
  const experimentName = `wire 2x ${randomBytes(3).toString('hex')}`; // a space: '+' in queries
  let experimentId = '';
  let runId = '';
  let artifactUri = '';

  const call = (op: WireOp, vars: Vars = {}) => send(server.url, MLFLOW_2X, op, vars);
  const getRun = async (id: string) =>
    expectOk<{ run: RunJson }>(await call(OPS_2X.getRun, { run_id: id }), OPS_2X.getRun.reads).run;
  const metric = (key: string, value: Json, timestamp: number, step: number) => ({
    key,
    value,
    timestamp,
    step,
  });

  beforeAll(async () => {
    server = await startServer();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('set_experiment: get-by-name 404 RESOURCE_DOES_NOT_EXIST, create, get', async () => {
    const vars = { experiment_name: experimentName };
    expectError(await call(OPS_2X.getExperimentByName, vars), 404, 'RESOURCE_DOES_NOT_EXIST');

    const created = await call(OPS_2X.createExperiment, vars);
    experimentId = expectOk<{ experiment_id: string }>(
      created,
      OPS_2X.createExperiment.reads,
    ).experiment_id;

    for (const reply of [
      await call(OPS_2X.getExperiment, { experiment_id: experimentId }),
      await call(OPS_2X.getExperimentByName, vars),
    ]) {
      const { experiment } = expectOk<{ experiment: Record<string, unknown> }>(
        reply,
        OPS_2X.getExperiment.reads,
      );
      expect(experiment).toMatchObject({
        experiment_id: experimentId,
        name: experimentName,
        lifecycle_stage: 'active',
      });
    }
  });

  it('start_run, log_batch, log_metric (steps, NaN, Infinity), get_run, metric history', async () => {
    const created = expectOk<{ run: RunJson }>(
      await call(OPS_2X.createRun, {
        experiment_id: experimentId,
        run_name: 'main',
        start_time: T0,
      }),
      OPS_2X.createRun.reads,
    ).run;
    runId = created.info.run_id;
    artifactUri = created.info.artifact_uri;
    expect(runId).toMatch(/^[a-zA-Z0-9][\w-]{0,255}$/);
    expect(created.info).toMatchObject({
      run_uuid: runId,
      experiment_id: experimentId,
      run_name: 'main',
      user_id: 'alice',
      status: 'RUNNING',
      start_time: T0,
      lifecycle_stage: 'active',
      artifact_uri: `mlflow-artifacts:/${experimentId}/${runId}/artifacts`,
    });
    expect(created.info.end_time, 'a running run has no end_time').toBeUndefined();
    expect(asMap(created.data?.tags)).toMatchObject({
      'mlflow.user': 'alice',
      'mlflow.runName': 'main',
    });

    const batch = await call(OPS_2X.logBatch, {
      run_id: runId,
      metrics: [metric('loss', 0.9, T0 + 1000, 0), metric('acc', 0.5, T0 + 1000, 0)],
      params: [
        { key: 'lr', value: '0.01' },
        { key: 'group', value: 'main' },
      ],
      tags: [{ key: 'team', value: 'vision' }],
    });
    expect(expectOk(batch, OPS_2X.logBatch.reads)).toEqual({});
    const points: [string, Json, number, number][] = [
      ['loss', 0.6, T0 + 2000, 1],
      ['loss', 0.3, T0 + 3000, 2],
      ['nan_metric', 'NaN', T0 + 3000, 0],
      ['inf_metric', 'Infinity', T0 + 3000, 0],
    ];
    for (const [key, value, timestamp, step] of points) {
      const vars = { run_id: runId, key, value, timestamp, step };
      expect(expectOk(await call(OPS_2X.logMetric, vars), [])).toEqual({});
    }

    const run = await getRun(runId);
    expect(run.info).toMatchObject({ run_id: runId, run_uuid: runId, status: 'RUNNING' });
    expect(asMap(run.data?.params)).toEqual({ lr: '0.01', group: 'main' });
    expect(asMap(run.data?.tags)).toMatchObject({ team: 'vision', 'mlflow.source.type': 'LOCAL' });
    const latest = Object.fromEntries((run.data?.metrics ?? []).map((m) => [m.key, m]));
    expect(latest['loss'], 'latest = highest step').toMatchObject({ value: 0.3, step: 2 });
    expect(latest['acc']).toMatchObject({ value: 0.5, step: 0, timestamp: T0 + 1000 });
    // MLflow's server renders a NaN double as the JSON string "NaN" (MessageToJson); its SQL store
    // keeps +Inf as DBL_MAX, a file store as "Infinity": the client parses both.
    expect(latest['nan_metric']?.value).toBe('NaN');
    expect([1.7976931348623157e308, 'Infinity']).toContain(latest['inf_metric']?.value);

    const history = async (key: string) => {
      const reply = await call(OPS_2X.getMetricHistory, { run_id: runId, key });
      const body = expectOk<{ metrics?: MetricJson[] }>(reply, OPS_2X.getMetricHistory.reads);
      return (body.metrics ?? []).map(({ key, value, timestamp, step }) => ({
        key,
        value,
        timestamp,
        step,
      }));
    };
    expect((await history('loss')).sort((a, b) => a.step - b.step)).toEqual([
      metric('loss', 0.9, T0 + 1000, 0),
      metric('loss', 0.6, T0 + 2000, 1),
      metric('loss', 0.3, T0 + 3000, 2),
    ]);
    expect(await history('nan_metric')).toEqual([metric('nan_metric', 'NaN', T0 + 3000, 0)]);
  });

  it('artifacts: PUT/GET under mlflow-artifacts:/<exp>/<run>/artifacts, both list APIs', async () => {
    const ids = { experiment_id: experimentId, run_id: runId };
    for (const { file, contentType, bytes } of RUN_FILES) {
      const up = await send(
        server.url,
        MLFLOW_2X,
        OPS_2X.uploadRunArtifact,
        { ...ids, file },
        {
          contentType,
          bytes,
        },
      );
      expect(up.status, `PUT ${file}: ${new TextDecoder().decode(up.bytes)}`).toBe(200);
    }
    for (const { file, bytes } of RUN_FILES) {
      const down = await call(OPS_2X.downloadRunArtifact, { ...ids, file });
      expect(down.status, `GET ${file}`).toBe(200);
      expect(Buffer.from(down.bytes).equals(Buffer.from(bytes)), `bytes of ${file}`).toBe(true);
    }

    const proxied = async (subdir: string) => {
      const reply = await call(OPS_2X.listProxiedArtifacts, { ...ids, subdir });
      const { files = [] } = expectOk<{ files?: FileJson[] }>(
        reply,
        OPS_2X.listProxiedArtifacts.reads,
      );
      return files.sort((a, b) => a.path.localeCompare(b.path));
    };
    expect(await proxied('')).toEqual([
      { path: 'empty.txt', is_dir: false, file_size: 0 },
      { path: 'model', is_dir: true },
      { path: 'notes.txt', is_dir: false, file_size: RUN_FILES[0].bytes.length },
      { path: 'plots', is_dir: true },
    ]);
    expect(await proxied('/model')).toEqual([
      { path: 'MLmodel', is_dir: false, file_size: RUN_FILES[2].bytes.length },
      { path: 'model.pkl', is_dir: false, file_size: 256 },
      { path: 'requirements.txt', is_dir: false, file_size: RUN_FILES[4].bytes.length },
    ]);
    expect((await proxied('/plots')).map((f) => f.path)).toEqual(['loss curve.png']);

    // The UI's (and Java/R clients') run-relative listing.
    const rest = async (path?: string) => {
      const reply = await call(OPS_2X.listArtifacts, { run_id: runId, path });
      const body = expectOk<{ root_uri: string; files?: FileJson[] }>(
        reply,
        OPS_2X.listArtifacts.reads,
      );
      expect(body.root_uri).toBe(artifactUri);
      return (body.files ?? []).map((f) => `${f.path}${f.is_dir ? '/' : ''}`).sort();
    };
    expect(await rest()).toEqual(['empty.txt', 'model/', 'notes.txt', 'plots/']);
    expect(await rest('model')).toEqual([
      'model/MLmodel',
      'model/model.pkl',
      'model/requirements.txt',
    ]);
  });

  it('2.x log_model: runs/log-model records the model in mlflow.log-model.history', async () => {
    expect(expectOk(await call(OPS_2X.logModel, { run_id: runId }), [])).toEqual({});
    const history = asMap((await getRun(runId)).data?.tags)['mlflow.log-model.history'];
    expect(history, 'tag mlflow.log-model.history').toBeDefined();
    const models = JSON.parse(history ?? '[]') as { artifact_path: string; run_id: string }[];
    expect(models).toEqual([expect.objectContaining({ artifact_path: 'model', run_id: runId })]);
  });

  it('end_run: runs/update to FINISHED with end_time; run_id and run_uuid agree', async () => {
    const vars = { run_id: runId, status: 'FINISHED', end_time: T0 + 9000 };
    const reply = await call(OPS_2X.updateRun, vars);
    const info = expectOk<{ run_info: RunInfoJson }>(reply, OPS_2X.updateRun.reads).run_info;
    expect(info).toMatchObject({
      run_id: runId,
      run_uuid: runId,
      status: 'FINISHED',
      end_time: T0 + 9000,
    });
    expect((await getRun(runId)).info).toMatchObject({ status: 'FINISHED', end_time: T0 + 9000 });
  });

  it('search_runs: filter + order_by, page_token paging returns every run once', async () => {
    const seeds = [
      ['a', 0.4],
      ['a', 0.1],
      ['b', 0.05],
      ['a', 0.3],
      ['a', 0.2],
    ] as const;
    const byLoss = new Map<number, string>();
    for (const [i, [group, loss]] of seeds.entries()) {
      const vars = { experiment_id: experimentId, run_name: `seed-${i}`, start_time: T0 + 100 * i };
      const seed = expectOk<{ run: RunJson }>(
        await call(OPS_2X.createRun, vars),
        OPS_2X.createRun.reads,
      );
      const id = seed.run.info.run_id;
      const batch = await call(OPS_2X.logBatch, {
        run_id: id,
        params: [{ key: 'group', value: group }],
        metrics: [metric('loss', loss, T0 + 100 * i, 0)],
      });
      expectOk(batch, []);
      if (group === 'a') byLoss.set(loss, id);
    }

    const seen: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const reply = await call(OPS_2X.searchRuns, {
        experiment_id: experimentId,
        page_token: pageToken,
      });
      const body = expectOk<{ runs?: RunJson[]; next_page_token?: string }>(
        reply,
        OPS_2X.searchRuns.reads,
      );
      const runs = body.runs ?? [];
      expect(runs.length).toBeLessThanOrEqual(3);
      for (const run of runs) {
        expect(asMap(run.data?.params)['group']).toBe('a');
        seen.push(run.info.run_id);
      }
      pageToken = body.next_page_token || undefined;
      pages++;
    } while (pageToken !== undefined && pages < 10);
    expect(pages, 'more than one page for 4 matches at max_results 3').toBeGreaterThan(1);
    expect(seen, 'ordered by metrics.loss ASC, each run once').toEqual(
      [...byLoss.entries()].sort(([a], [b]) => a - b).map(([, id]) => id),
    );
  });

  it('errors: MLflow error codes and HTTP statuses', async () => {
    const dup = await call(OPS_2X.createExperiment, { experiment_name: experimentName });
    expectError(dup, 400, 'RESOURCE_ALREADY_EXISTS');
    const unknownRun = 'deadbeef'.repeat(4);
    expectError(await call(OPS_2X.getRun, { run_id: unknownRun }), 404, 'RESOURCE_DOES_NOT_EXIST');
    // Missing required fields: create without name; log-metric without key.
    expectError(await call(OPS_2X.createExperiment, {}), 400, 'INVALID_PARAMETER_VALUE');
    const noKey = { run_id: runId, value: 1, timestamp: T0, step: 0 };
    expectError(await call(OPS_2X.logMetric, noKey), 400, 'INVALID_PARAMETER_VALUE');
    // An unknown route: the client maps a 404 without a JSON error_code to ENDPOINT_NOT_FOUND
    // (and 3.x falls back on it); a JSON body without error_code would read as INTERNAL_ERROR.
    const unknown = await send(server.url, MLFLOW_2X, {
      source: 'client probing a newer endpoint',
      request: { method: 'GET', path: '/api/2.0/mlflow/no-such-endpoint' },
      reads: [],
    });
    expect(unknown.status).toBe(404);
    if (unknown.json !== null && typeof unknown.json === 'object') {
      expect((unknown.json as { error_code?: string }).error_code).toBe('ENDPOINT_NOT_FOUND');
    }
  });

  it('stops on SIGTERM', async () => {
    const exit = await server.stop();
    expect(exit?.code === 0 || exit?.signal === 'SIGTERM', JSON.stringify(exit)).toBe(true);
  });
});

// Acceptance: `mlops server` as MLflow 3.x's Python client sees it when logging a model
// (`mlflow.<flavor>.log_model` → Model.log): logged models, run outputs, model metrics, model
// artifacts under mlflow-artifacts:/<exp>/models/<model_id>/artifacts, finalize. Requests are
// replayed from fixtures/mlflow-client-requests.ts (sources there); every field the client reads
// is checked. Experiments/runs/metrics are wire-identical to 2.x and reuse OPS_2X.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MLFLOW_3X,
  OPS_2X,
  OPS_3X,
  RUN_OUTPUT_READS,
  T0,
  type WireOp,
} from './fixtures/mlflow-client-requests.js';
import {
  asMap,
  expectError,
  expectOk,
  send,
  startServer,
  type FileJson,
  type KeyValue,
  type LoggedModelJson,
  type MetricJson,
  type RunJson,
  type RunningServer,
  type Vars,
} from './mlflow-wire-harness.js';

const utf8 = (s: string) => new TextEncoder().encode(s);
/** What a flavor's save_model leaves in the model directory, with the client's mime types. */
const MODEL_FILES = [
  { file: 'MLmodel', contentType: 'text/plain', bytes: utf8('flavors:\n  python_function: {}\n') },
  { file: 'conda.yaml', contentType: 'text/plain', bytes: utf8('dependencies: [python=3.11]\n') },
  { file: 'python_env.yaml', contentType: 'text/plain', bytes: utf8('python: 3.11.9\n') },
  { file: 'requirements.txt', contentType: 'text/plain', bytes: utf8('mlflow==3.5.0\n') },
  { file: 'model.pkl', contentType: 'application/octet-stream', bytes: randomBytes(4096) },
  { file: 'serving_input_example.json', contentType: 'text/plain', bytes: utf8('{"inputs":[1]}') },
] as const;

describe('mlops server speaks MLflow 3.x: log_model with logged models', () => {
  let server: RunningServer;
  let experimentId = '';
  let runId = '';
  let modelId = '';

  const call = (op: WireOp, vars: Vars = {}) => send(server.url, MLFLOW_3X, op, vars);
  const getRun = async () =>
    expectOk<{ run: RunJson }>(await call(OPS_2X.getRun, { run_id: runId }), OPS_2X.getRun.reads)
      .run;
  const getModel = async (id: string) =>
    expectOk<{ model: LoggedModelJson }>(
      await call(OPS_3X.getLoggedModel, { model_id: id }),
      OPS_3X.getLoggedModel.reads,
    ).model;
  const createModel = async (name: string, params: KeyValue[]) =>
    expectOk<{ model: LoggedModelJson }>(
      await call(OPS_3X.createLoggedModel, {
        experiment_id: experimentId,
        run_id: runId,
        name,
        params: params.map((p) => ({ ...p })),
      }),
      OPS_3X.createLoggedModel.reads,
    ).model;

  beforeAll(async () => {
    server = await startServer();
    const name = `wire 3x ${randomBytes(3).toString('hex')}`;
    expectError(
      await call(OPS_2X.getExperimentByName, { experiment_name: name }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    experimentId = expectOk<{ experiment_id: string }>(
      await call(OPS_2X.createExperiment, { experiment_name: name }),
      OPS_2X.createExperiment.reads,
    ).experiment_id;
    const run = await call(OPS_2X.createRun, {
      experiment_id: experimentId,
      run_name: 'train',
      start_time: T0,
    });
    runId = expectOk<{ run: RunJson }>(run, OPS_2X.createRun.reads).run.info.run_id;
    const m = (key: string, value: number, step: number) => ({
      key,
      value,
      step,
      timestamp: T0 + step,
    });
    const batch = await call(OPS_2X.logBatch, {
      run_id: runId,
      params: [
        { key: 'lr', value: '0.01' },
        { key: 'epochs', value: '2' },
      ],
      metrics: [m('acc', 0.8, 0), m('loss', 0.5, 0), m('loss', 0.25, 1)],
    });
    expectOk(batch, []);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('Model.log: PENDING model with run params, run outputs, model metrics, upload, READY', async () => {
    // 1. run params are merged into the model params.
    const runParams = (await getRun()).data?.params ?? [];
    const created = await createModel('model', [{ key: 'alpha', value: '0.5' }, ...runParams]);
    modelId = created.info.model_id;
    expect(modelId).toMatch(/^[\w-]+$/);
    expect(created.info).toMatchObject({
      experiment_id: experimentId,
      name: 'model',
      source_run_id: runId,
      status: 'LOGGED_MODEL_PENDING',
      artifact_uri: `mlflow-artifacts:/${experimentId}/models/${modelId}/artifacts`,
    });
    expect(asMap(created.data?.params)).toEqual({ alpha: '0.5', lr: '0.01', epochs: '2' });
    expect(asMap(created.info.tags)).toMatchObject({ 'mlflow.user': 'alice' });

    // 2. the run records the model as an output.
    const outputs = await call(OPS_3X.logOutputs, { run_id: runId, model_id: modelId });
    expect(expectOk(outputs, [])).toEqual({});

    // 3. the run's step-0 metrics are re-logged with the model id.
    const linked: MetricJson[] = [];
    for (const { key } of (await getRun()).data?.metrics ?? []) {
      const reply = await call(OPS_2X.getMetricHistory, { run_id: runId, key });
      const { metrics = [] } = expectOk<{ metrics?: MetricJson[] }>(
        reply,
        OPS_2X.getMetricHistory.reads,
      );
      for (const p of metrics.filter((p) => p.step === 0 && !p.model_id)) {
        const { key, value, timestamp, step } = p;
        linked.push({ key, value, timestamp, step, model_id: modelId });
      }
    }
    expect(linked.map((p) => p.key).sort()).toEqual(['acc', 'loss']);
    const metrics = linked.map((p) => ({ ...p, run_id: runId }));
    expectOk(await call(OPS_2X.logBatch, { run_id: runId, metrics }), []);

    // 4. artifacts go to the logged model's artifact_uri (looked up with GET logged-models/<id>).
    const before = await getModel(modelId);
    expect(before.info.artifact_uri).toBe(created.info.artifact_uri);
    const ids = { experiment_id: experimentId, model_id: modelId };
    for (const { file, contentType, bytes } of MODEL_FILES) {
      const raw = { contentType, bytes };
      const up = await send(
        server.url,
        MLFLOW_3X,
        OPS_3X.uploadModelArtifact,
        { ...ids, file },
        raw,
      );
      expect(up.status, `PUT ${file}: ${new TextDecoder().decode(up.bytes)}`).toBe(200);
    }

    // 5. finalize.
    const ready = { model_id: modelId, status: 'LOGGED_MODEL_READY' };
    const final = await call(OPS_3X.finalizeLoggedModel, ready);
    const model = expectOk<{ model: LoggedModelJson }>(
      final,
      OPS_3X.finalizeLoggedModel.reads,
    ).model;
    expect(model.info).toMatchObject({ model_id: modelId, status: 'LOGGED_MODEL_READY' });
    expect(model.info.last_updated_timestamp_ms).toBeGreaterThanOrEqual(
      model.info.creation_timestamp_ms,
    );
  });

  it('afterwards: run outputs, model metrics, and the model loads from its artifact_uri', async () => {
    const runReply = await call(OPS_2X.getRun, { run_id: runId });
    const run = expectOk<{ run: RunJson }>(runReply, [
      ...OPS_2X.getRun.reads,
      ...RUN_OUTPUT_READS,
    ]).run;
    expect(run.outputs?.model_outputs).toEqual([{ model_id: modelId, step: 0 }]);

    // SqlAlchemyStore._log_model_metrics: metrics logged with a model_id belong to that model too.
    const model = await getModel(modelId);
    expect(model.info.status).toBe('LOGGED_MODEL_READY');
    const metrics = (model.data?.metrics ?? [])
      .map(({ key, value, step }) => ({ key, value, step }))
      .sort((a, b) => a.key.localeCompare(b.key));
    expect.soft(metrics, 'model.data.metrics').toEqual([
      { key: 'acc', value: 0.8, step: 0 },
      { key: 'loss', value: 0.5, step: 0 },
    ]);

    // Model.log re-logged identical points (plus model_id): the SQL store's metric primary key
    // (key, timestamp, step, run_uuid, value, is_nan) makes that idempotent; history unchanged.
    for (const [key, count] of [
      ['acc', 1],
      ['loss', 2],
    ] as const) {
      const reply = await call(OPS_2X.getMetricHistory, { run_id: runId, key });
      const body = expectOk<{ metrics?: MetricJson[] }>(reply, OPS_2X.getMetricHistory.reads);
      expect.soft(body.metrics ?? [], `history of ${key}`).toHaveLength(count);
    }

    // mlflow.pyfunc.load_model("models:/<id>"): list the directory, then download each file.
    const ids = { experiment_id: experimentId, model_id: modelId };
    const list = await call(OPS_3X.listModelArtifacts, ids);
    const { files = [] } = expectOk<{ files?: FileJson[] }>(list, OPS_3X.listModelArtifacts.reads);
    expect(files.map((f) => f.path).sort()).toEqual(MODEL_FILES.map((f) => f.file).sort());
    expect(files.every((f) => !f.is_dir)).toBe(true);
    for (const { file, bytes } of MODEL_FILES) {
      const down = await call(OPS_3X.downloadModelArtifact, { ...ids, file });
      expect(down.status, `GET ${file}`).toBe(200);
      expect(Buffer.from(down.bytes).equals(Buffer.from(bytes)), `bytes of ${file}`).toBe(true);
      expect(files.find((f) => f.path === file)?.file_size).toBe(bytes.length);
    }
  });

  it('logged model tags (PATCH …/tags, DELETE …/tags/<key>) and params (POST …/params)', async () => {
    const tags = [{ key: 'stage', value: 'candidate' }];
    expect(
      expectOk(await call(OPS_3X.setLoggedModelTags, { model_id: modelId, tags }), []),
    ).toEqual({});
    expect(asMap((await getModel(modelId)).info.tags)).toMatchObject({ stage: 'candidate' });

    const del = await call(OPS_3X.deleteLoggedModelTag, { model_id: modelId, key: 'stage' });
    expect(expectOk(del, [])).toEqual({});
    expect(asMap((await getModel(modelId)).info.tags)['stage']).toBeUndefined();

    const params = [{ key: 'extra', value: '1' }];
    expectOk(await call(OPS_3X.logLoggedModelParams, { model_id: modelId, params }), []);
    expect(asMap((await getModel(modelId)).data?.params)).toMatchObject({
      extra: '1',
      alpha: '0.5',
    });
  });

  it('a failed log_model finalizes as LOGGED_MODEL_UPLOAD_FAILED', async () => {
    const failed = await createModel('broken', []);
    expect(failed.info.status).toBe('LOGGED_MODEL_PENDING');
    const vars = { model_id: failed.info.model_id, status: 'LOGGED_MODEL_UPLOAD_FAILED' };
    const reply = await call(OPS_3X.finalizeLoggedModel, vars);
    const model = expectOk<{ model: LoggedModelJson }>(
      reply,
      OPS_3X.finalizeLoggedModel.reads,
    ).model;
    expect(model.info.status).toBe('LOGGED_MODEL_UPLOAD_FAILED');
  });

  it('an unknown logged model is 404 RESOURCE_DOES_NOT_EXIST', async () => {
    const reply = await call(OPS_3X.getLoggedModel, { model_id: `m-${'deadbeef'.repeat(4)}` });
    expectError(reply, 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('end_run after log_model', async () => {
    const vars = { run_id: runId, status: 'FINISHED', end_time: T0 + 9000 };
    expectOk(await call(OPS_2X.updateRun, vars), OPS_2X.updateRun.reads);
    expect((await getRun()).info).toMatchObject({ status: 'FINISHED', end_time: T0 + 9000 });
  });
});

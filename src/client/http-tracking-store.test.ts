import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { expectCode } from '../testing/index.js';
import { HttpLineageStore } from './http-lineage-store.js';
import {
  sendJson,
  startTestServer,
  type SeenRequest,
  type TestServer,
} from './http-server-fixture.js';
import { HttpTrackingStore } from './http-tracking-store.js';
import { HttpTransport } from './http-transport.js';

/** Canned answers by `METHOD path`; anything else is a bare 404. */
type Answer = [number, unknown] | ((req: SeenRequest) => [number, unknown]);
const answers = new Map<string, Answer>();

const RUN = {
  info: {
    run_id: 'a'.repeat(32),
    run_uuid: 'a'.repeat(32),
    run_name: 'ridge',
    experiment_id: '1',
    user_id: 'ada',
    status: 'RUNNING',
    start_time: 1000,
    artifact_uri: 'mlflow-artifacts:/1/aaa/artifacts',
    lifecycle_stage: 'active',
  },
  data: { tags: [{ key: 'mlflow.runName', value: 'ridge' }] },
};

let server: TestServer;
let store: HttpTrackingStore;
const last = () => server.requests.at(-1);

beforeAll(async () => {
  server = await startTestServer((req, res) => {
    const answer = answers.get(`${req.method} ${req.path}`);
    if (!answer) {
      res.writeHead(404);
      return void res.end();
    }
    const [status, body] = typeof answer === 'function' ? answer(req) : answer;
    sendJson(res, status, body);
  });
  store = new HttpTrackingStore(new HttpTransport({ baseUrl: server.url, retries: 0 }));
});
afterAll(() => server.close());
beforeEach(() => {
  answers.clear();
  server.requests.length = 0;
});

const ML = '/api/2.0/mlflow';

describe('HttpTrackingStore requests and answers', () => {
  it('creates an experiment with snake_case fields and tags as a list', async () => {
    answers.set(`POST ${ML}/experiments/create`, [200, { experiment_id: '12' }]);
    const id = await store.createExperiment({ name: 'goog', tags: [{ key: 't', value: 'v' }] });
    expect(id).toBe('12');
    expect(last()?.json).toEqual({ name: 'goog', tags: [{ key: 't', value: 'v' }] });
  });

  it('gets an experiment by name, and gives undefined only for RESOURCE_DOES_NOT_EXIST', async () => {
    answers.set(`GET ${ML}/experiments/get-by-name`, (req) =>
      req.query.get('experiment_name') === 'there'
        ? [200, { experiment: { experiment_id: '3', name: 'there' } }]
        : [404, { error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'nope' }],
    );
    expect((await store.getExperimentByName('there'))?.experimentId).toBe('3');
    expect(await store.getExperimentByName('gone')).toBeUndefined();
    answers.clear();
    await expectCode(store.getExperimentByName('x'), 'ENDPOINT_NOT_FOUND');
  });

  it('searches experiments and reads the next page token', async () => {
    answers.set(`POST ${ML}/experiments/search`, [
      200,
      { experiments: [{ experiment_id: '1', name: 'a' }], next_page_token: 'p2' },
    ]);
    const page = await store.searchExperiments({
      filter: "name LIKE 'a%'",
      maxResults: 1,
      viewType: 'ALL',
      orderBy: ['name ASC'],
    });
    expect(page.items.map((e) => e.name)).toEqual(['a']);
    expect(page.nextPageToken).toBe('p2');
    expect(last()?.json).toEqual({
      max_results: 1,
      filter: "name LIKE 'a%'",
      order_by: ['name ASC'],
      view_type: 'ALL',
    });
    answers.set(`POST ${ML}/experiments/search`, [200, {}]);
    expect(await store.searchExperiments()).toEqual({ items: [] });
    expect(last()?.json).toEqual({});
  });

  it('posts experiment updates, tags, deletes and restores', async () => {
    for (const route of [
      'update',
      'set-experiment-tag',
      'delete-experiment-tag',
      'delete',
      'restore',
    ]) {
      answers.set(`POST ${ML}/experiments/${route}`, [200, {}]);
    }
    await store.renameExperiment('4', 'new');
    await store.setExperimentTag('4', 'k', 'v');
    await store.deleteExperimentTag('4', 'k');
    await store.deleteExperiment('4');
    await store.restoreExperiment('4');
    expect(server.requests.map((r) => [r.path.slice(ML.length), r.json])).toEqual([
      ['/experiments/update', { experiment_id: '4', new_name: 'new' }],
      ['/experiments/set-experiment-tag', { experiment_id: '4', key: 'k', value: 'v' }],
      ['/experiments/delete-experiment-tag', { experiment_id: '4', key: 'k' }],
      ['/experiments/delete', { experiment_id: '4' }],
      ['/experiments/restore', { experiment_id: '4' }],
    ]);
  });

  it('creates, gets and updates runs', async () => {
    answers.set(`POST ${ML}/runs/create`, [200, { run: RUN }]);
    answers.set(`GET ${ML}/runs/get`, [200, { run: RUN }]);
    answers.set(`POST ${ML}/runs/update`, [
      200,
      { run_info: { ...RUN.info, status: 'FINISHED', end_time: '2000' } },
    ]);
    const run = await store.createRun({
      experimentId: '1',
      runName: 'ridge',
      userId: 'ada',
      startTime: 1000,
      tags: [{ key: 'model', value: 'ridge' }],
    });
    expect(last()?.json).toEqual({
      experiment_id: '1',
      user_id: 'ada',
      run_name: 'ridge',
      start_time: 1000,
      tags: [{ key: 'model', value: 'ridge' }],
    });
    expect(run.info).toMatchObject({ runName: 'ridge', endTime: null, status: 'RUNNING' });
    expect(run.data).toEqual({ metrics: [], params: {}, tags: { 'mlflow.runName': 'ridge' } });
    await store.getRun(run.info.runId);
    expect(last()?.query.get('run_id')).toBe(run.info.runId);
    const info = await store.updateRun(run.info.runId, { status: 'FINISHED' });
    expect(info).toMatchObject({ status: 'FINISHED', endTime: 2000 });
    expect(last()?.json).toEqual({
      run_id: run.info.runId,
      run_uuid: run.info.runId,
      status: 'FINISHED',
    });
  });

  it('logs a batch in one request, with non-finite values as strings', async () => {
    answers.set(`POST ${ML}/runs/log-batch`, [200, {}]);
    await store.logBatch('r1', {
      metrics: [
        { key: 'nan', value: Number.NaN, timestamp: 1, step: 0 },
        { key: 'inf', value: Number.POSITIVE_INFINITY, timestamp: 1, step: 1 },
      ],
      params: [{ key: 'p', value: '1' }],
    });
    expect(server.requests).toHaveLength(1);
    expect(last()?.json).toEqual({
      run_id: 'r1',
      metrics: [
        { key: 'nan', value: 'NaN', timestamp: 1, step: 0 },
        { key: 'inf', value: 'Infinity', timestamp: 1, step: 1 },
      ],
      params: [{ key: 'p', value: '1' }],
      tags: [],
    });
  });

  it('refuses a non-numeric metric value before sending anything', async () => {
    await expectCode(
      store.logBatch('r1', {
        metrics: [{ key: 'm', value: '1' as unknown as number, timestamp: 1, step: 0 }],
      }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(server.requests).toHaveLength(0);
  });

  it('passes the server error through unchanged', async () => {
    answers.set(`POST ${ML}/runs/log-batch`, [
      400,
      { error_code: 'INVALID_PARAMETER_VALUE', message: "Param 'units' was already logged." },
    ]);
    const err = await expectCode(
      store.logBatch('r1', { params: [{ key: 'units', value: '64' }] }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toBe("Param 'units' was already logged.");
  });

  it('reads metric history pages, sending max_results even when 0', async () => {
    answers.set(`GET ${ML}/metrics/get-history`, [
      200,
      { metrics: [{ key: 'm', value: '-Infinity', timestamp: '7' }], next_page_token: 'n' },
    ]);
    const page = await store.getMetricHistory('r1', 'm', { maxResults: 0, pageToken: 't' });
    expect(page).toEqual({
      items: [{ key: 'm', value: Number.NEGATIVE_INFINITY, timestamp: 7, step: 0 }],
      nextPageToken: 'n',
    });
    expect(Object.fromEntries(last()?.query ?? [])).toEqual({
      run_id: 'r1',
      metric_key: 'm',
      max_results: '0',
      page_token: 't',
    });
  });

  it('searches runs with MLflow field names', async () => {
    answers.set(`POST ${ML}/runs/search`, [200, { runs: [RUN] }]);
    const page = await store.searchRuns({
      experimentIds: ['1', '2'],
      filter: 'metrics.rmse < 1',
      viewType: 'DELETED_ONLY',
      maxResults: 10,
      orderBy: ['metrics.rmse ASC'],
      pageToken: 'pt',
    });
    expect(page.items.map((r) => r.info.runName)).toEqual(['ridge']);
    expect(page.nextPageToken).toBeUndefined();
    expect(last()?.json).toEqual({
      experiment_ids: ['1', '2'],
      filter: 'metrics.rmse < 1',
      run_view_type: 'DELETED_ONLY',
      max_results: 10,
      order_by: ['metrics.rmse ASC'],
      page_token: 'pt',
    });
  });

  it('deletes and restores runs and deletes tags', async () => {
    for (const route of ['delete', 'restore', 'delete-tag']) {
      answers.set(`POST ${ML}/runs/${route}`, [200, {}]);
    }
    await store.deleteRun('r1');
    await store.restoreRun('r1');
    await store.deleteTag('r1', 't');
    expect(server.requests.map((r) => r.json)).toEqual([
      { run_id: 'r1' },
      { run_id: 'r1' },
      { run_id: 'r1', key: 't' },
    ]);
  });

  it('records and lists artifacts, and pages through manifest ids', async () => {
    const rec = { path: 'model/m.json', manifestId: 'd'.repeat(64), size: 11 };
    answers.set('POST /api/mlops/runs/record-artifacts', [200, {}]);
    answers.set('GET /api/mlops/runs/artifact-records', [200, { artifacts: [rec] }]);
    answers.set('GET /api/mlops/artifact-manifests', (req) =>
      req.query.get('pageToken') === '2'
        ? [200, { manifestIds: ['c'] }]
        : [200, { manifestIds: ['a', 'b'], nextPageToken: '2' }],
    );
    await store.recordArtifacts('r1', [rec]);
    expect(last()?.json).toEqual({ runId: 'r1', artifacts: [rec] });
    expect(await store.listArtifactRecords('r1', 'model')).toEqual([rec]);
    expect(Object.fromEntries(last()?.query ?? [])).toEqual({ runId: 'r1', prefix: 'model' });
    await store.listArtifactRecords('r1');
    expect(Object.fromEntries(last()?.query ?? [])).toEqual({ runId: 'r1' });
    const ids: string[] = [];
    for await (const id of store.artifactManifestIds()) ids.push(id);
    expect(ids).toEqual(['a', 'b', 'c']);
  });
});

describe('HttpLineageStore', () => {
  const lineage = () => new HttpLineageStore(store.transport);
  const run = { type: 'run', id: 'r1' };
  const data = { type: 'dataset', id: 'd.csv@abc' };
  const edge = { src: data, dst: run, relation: 'input_of', attrs: {}, createdAt: 5 };

  it('records edges in one request and sends nothing for none', async () => {
    answers.set('POST /api/mlops/lineage/edges', [200, {}]);
    await lineage().record([]);
    expect(server.requests).toHaveLength(0);
    await lineage().record([{ src: data, dst: run, relation: 'input_of' }]);
    expect(last()?.json).toEqual({ edges: [{ src: data, dst: run, relation: 'input_of' }] });
  });

  it('reads edges from and to a node, and a neighborhood', async () => {
    answers.set('GET /api/mlops/lineage/edges', [200, { edges: [edge] }]);
    answers.set('GET /api/mlops/lineage/neighborhood', [
      200,
      { nodes: [run, data], edges: [edge] },
    ]);
    expect(await lineage().edgesTo(run)).toEqual([edge]);
    expect(Object.fromEntries(last()?.query ?? [])).toEqual({
      type: 'run',
      id: 'r1',
      direction: 'to',
    });
    await lineage().edgesFrom(data);
    expect(last()?.query.get('direction')).toBe('from');
    expect(await lineage().neighborhood(run, { depth: 2, direction: 'up' })).toEqual({
      nodes: [run, data],
      edges: [edge],
    });
    expect(Object.fromEntries(last()?.query ?? [])).toEqual({
      type: 'run',
      id: 'r1',
      depth: '2',
      direction: 'up',
    });
  });
});

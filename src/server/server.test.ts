import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from './index.js';

describe('tracking server (in process)', () => {
  let dir: string;
  let server: RunningServer;
  const call = async (method: 'GET' | 'POST', url: string, payload?: unknown) => {
    const res = await server.app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as object }),
      headers: {
        host: 'localhost',
        ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
    return {
      status: res.statusCode,
      body: res.json<Record<string, unknown>>(),
      headers: res.headers,
    };
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-server-'));
    server = await startServer({
      port: 0,
      backendStoreUri: `sqlite:${join(dir, 'mlops.db')}`,
      artifactsDestination: join(dir, 'blobs'),
      cwd: dir,
    });
  });
  afterAll(async () => {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('documents every route it validates in /api/openapi.json', async () => {
    const { status, body } = await call('GET', '/api/openapi.json');
    expect(status).toBe(200);
    const paths = body['paths'] as Record<
      string,
      Record<string, { requestBody?: unknown; parameters?: unknown[] }>
    >;
    expect(Object.keys(paths)).toEqual(
      expect.arrayContaining([
        '/api/2.0/mlflow/runs/log-batch',
        '/api/2.0/mlflow/runs/search',
        '/api/2.0/mlflow/metrics/get-history',
        '/api/2.0/mlflow/logged-models',
        '/api/mlops/lineage/edges',
      ]),
    );
    // Request schemas come from the same zod objects that validate: run_id is a documented field.
    const logBatch = JSON.stringify(paths['/api/2.0/mlflow/runs/log-batch']);
    expect(logBatch).toContain('run_id');
    expect(logBatch).toContain('metrics');
    const history = paths['/api/2.0/mlflow/metrics/get-history']?.['get']?.parameters ?? [];
    expect(JSON.stringify(history)).toContain('metric_key');
    // The /ajax-api copies exist but are not listed twice.
    expect(Object.keys(paths).some((p) => p.startsWith('/ajax-api'))).toBe(false);
    expect((await call('POST', '/ajax-api/2.0/mlflow/experiments/search', {})).status).toBe(200);
  });

  it('answers /health and counts requests by route in /metrics', async () => {
    const health = await server.app.inject({ url: '/health', headers: { host: 'localhost' } });
    expect(health.statusCode).toBe(200);
    expect(health.body).toBe('OK');
    await call('GET', '/api/2.0/mlflow/experiments/get?experiment_id=0');
    const metrics = await server.app.inject({ url: '/metrics', headers: { host: 'localhost' } });
    expect(metrics.body).toMatch(
      /mlops_http_requests_total\{method="GET",route="\/api\/2.0\/mlflow\/experiments\/get",status="200"\} \d+/,
    );
    expect(metrics.body).toContain('mlops_http_request_duration_seconds_bucket');
  });

  it("reads MLflow's argument forms: int64 as strings, enums as numbers, a JSON-encoded body, run_uuid alone", async () => {
    const created = await call(
      'POST',
      '/api/2.0/mlflow/runs/create',
      JSON.stringify(JSON.stringify({ start_time: '1700000000000' })),
    );
    expect(created, JSON.stringify(created.body)).toMatchObject({ status: 200 });
    const run = created.body['run'] as {
      info: { run_id: string; start_time: number; experiment_id: string };
    };
    expect(run.info.start_time).toBe(1_700_000_000_000);
    expect(run.info.experiment_id).toBe('0');
    const id = run.info.run_id;
    expect(
      (
        await call('POST', '/api/2.0/mlflow/runs/log-metric', {
          run_uuid: id,
          key: 'm',
          value: '2.5',
          timestamp: '5',
          step: '3',
        })
      ).status,
    ).toBe(200);
    const updated = await call('POST', '/api/2.0/mlflow/runs/update', { run_uuid: id, status: 3 });
    expect((updated.body['run_info'] as { status: string }).status).toBe('FINISHED');
    const got = await call('GET', `/api/2.0/mlflow/runs/get?run_uuid=${id}`);
    expect((got.body['run'] as { data: { metrics: unknown[] } }).data.metrics).toEqual([
      { key: 'm', value: 2.5, timestamp: 5, step: 3 },
    ]);
    const search = await call(
      'GET',
      '/api/2.0/mlflow/experiments/search?max_results=5&view_type=3',
    );
    expect(search, JSON.stringify(search.body)).toMatchObject({ status: 200 });
  });

  it('names the missing or bad field as MLflow does', async () => {
    const missing = await call('POST', '/api/2.0/mlflow/runs/log-batch', { metrics: [] });
    expect(missing).toMatchObject({
      status: 400,
      body: {
        error_code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining("Missing value for required parameter 'run_id'"),
      },
    });
    const bad = await call('POST', '/api/2.0/mlflow/runs/create', { start_time: 'soon' });
    expect(bad.body['message']).toMatch(/Invalid value "soon" for parameter 'start_time'/);
    const unknown = await call('GET', '/api/2.0/mlflow/nothing-here');
    expect(unknown).toMatchObject({ status: 404, body: { error_code: 'ENDPOINT_NOT_FOUND' } });
  });

  it('samples metric histories of several runs to max_results steps (get-history-bulk-interval)', async () => {
    const ids: string[] = [];
    for (let r = 0; r < 2; r++) {
      const run = (await call('POST', '/api/2.0/mlflow/runs/create', { experiment_id: '0' })).body[
        'run'
      ] as { info: { run_id: string } };
      ids.push(run.info.run_id);
      const metrics = Array.from({ length: 100 }, (_, step) => ({
        key: 'loss',
        value: step,
        timestamp: 1,
        step,
      }));
      await call('POST', '/api/2.0/mlflow/runs/log-batch', { run_id: run.info.run_id, metrics });
    }
    const q = ids.map((id) => `run_ids=${id}`).join('&');
    const res = await call(
      'GET',
      `/api/2.0/mlflow/metrics/get-history-bulk-interval?${q}&metric_key=loss&max_results=10`,
    );
    const points = res.body['metrics'] as { run_id: string; step: number }[];
    expect(points).toHaveLength(20);
    const steps = points.filter((p) => p.run_id === ids[0]).map((p) => p.step);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(99);
  });
});

describe('startServer options', () => {
  it('warns loudly when bound beyond loopback without --auth', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-server-'));
    const lines: string[] = [];
    const server = await startServer({
      host: '0.0.0.0',
      port: 0,
      backendStoreUri: `sqlite:${join(dir, 'db')}`,
      artifactsDestination: join(dir, 'b'),
      cwd: dir,
      warn: (l) => lines.push(l),
    });
    await server.close();
    await rm(dir, { recursive: true, force: true });
    expect(lines.join('\n')).toMatch(/WARNING.*non-loopback.*WITHOUT --auth/s);
  });

  it('refuses --auth without an admin and without MLOPS_ADMIN_PASSWORD (no default password)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-server-'));
    const saved = process.env['MLOPS_ADMIN_PASSWORD'];
    delete process.env['MLOPS_ADMIN_PASSWORD'];
    try {
      await expect(
        startServer({
          port: 0,
          auth: true,
          backendStoreUri: `sqlite:${join(dir, 'db')}`,
          artifactsDestination: join(dir, 'b'),
          cwd: dir,
        }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMETER_VALUE',
        message: expect.stringContaining('MLOPS_ADMIN_PASSWORD'),
      });
    } finally {
      if (saved !== undefined) process.env['MLOPS_ADMIN_PASSWORD'] = saved;
      await rm(dir, { recursive: true, force: true });
    }
  });
});

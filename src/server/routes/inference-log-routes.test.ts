import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../blobs/index.js';
import { SqlLineageStore } from '../../lineage/index.js';
import { SqlInferenceLogStore } from '../../serving/index.js';
import { openDatabase, type Database } from '../../storage/index.js';
import { SqlLoggedModelStore, SqlRunIoStore, SqlTrackingStore } from '../../tracking/index.js';
import { authAccess } from '../access.js';
import { SqlAuthStore, SqlModelPermissions } from '../auth/index.js';
import { buildServer } from '../create-server.js';
import { inferenceLogRoutes } from './inference-log-routes.js';

const wirePrediction = (model: string, i: number, inputs = [1, 2, 3]) => ({
  prediction_id: `${model}-${i}`,
  timestamp: 1_700_000_000_000 + i,
  model_name: model,
  model_version: '1',
  horizon_step: 1,
  inputs,
  prediction: 100,
  latency_ms: 0.5,
  route: 'predict',
});

async function serverOn(database: Database, dir: string, withAuth: boolean) {
  const store = new SqlTrackingStore(database);
  const auth = new SqlAuthStore(database);
  const access = withAuth
    ? authAccess(auth, store, undefined, new SqlModelPermissions(database))
    : undefined;
  const app = await buildServer(
    {
      store,
      blobs: new LocalBlobStore(join(dir, 'blobs')),
      lineage: new SqlLineageStore(database),
      loggedModels: new SqlLoggedModelStore(database),
      runIo: new SqlRunIoStore(database),
    },
    {
      ...(access ? { access } : {}),
      plugins: [inferenceLogRoutes(new SqlInferenceLogStore(database))],
    },
  );
  return { app, auth };
}

describe('inference log routes', () => {
  let dir: string;
  let database: Database;
  let open: FastifyInstance;
  let secured: FastifyInstance;
  const bearer: Record<string, string> = {};

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-inference-routes-'));
    database = await openDatabase(`sqlite:${join(dir, 'mlops.db')}`);
    open = (await serverOn(database, dir, false)).app;
    const s = await serverOn(database, dir, true);
    secured = s.app;
    await s.auth.createUser('admin', 'admin-password-1', { admin: true });
    await s.auth.createUser('alice', 'alice-password-1');
    await s.auth.createUser('bob', 'bob-password-12');
    for (const user of ['admin', 'alice', 'bob']) {
      bearer[user] = `Bearer ${await s.auth.createToken(user)}`;
    }
    const models = new SqlModelPermissions(database);
    await models.grant('goog', 'alice', 'EDIT');
    await models.grant('goog', 'bob', 'READ');
  });
  afterAll(async () => {
    await open?.close();
    await secured?.close();
    await database?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes a batch beyond the server-wide 1 MB body limit, and answers 413 past its own', async () => {
    const window = Array.from({ length: 60 }, (_, j) => 1234.56789 + j);
    const records = Array.from({ length: 1500 }, (_, i) => wirePrediction('big', i, window));
    const payload = JSON.stringify({ records });
    expect(payload.length).toBeGreaterThan(1_000_000);
    const res = await open.inject({
      method: 'POST',
      url: '/api/mlops/inference-log',
      headers: { 'content-type': 'application/json' },
      payload,
    });
    expect(res.statusCode, res.body).toBe(200);
    const huge = await open.inject({
      method: 'POST',
      url: '/api/mlops/inference-log',
      headers: { 'content-type': 'application/json' },
      payload: `{"records":[],"pad":"${'x'.repeat(17 << 20)}"}`,
    });
    expect(huge.statusCode).toBe(413);
  });

  it('names the record and field of a bad record, and caps the rows of a read', async () => {
    const bad = await open.inject({
      method: 'POST',
      url: '/api/mlops/feedback',
      payload: {
        records: [{ feedback_id: 'f1', timestamp: 1, target_date: '2024-13-01', actual: 1 }],
      },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringMatching(/Feedback record 0: targetDate must be a calendar date/),
    });
    const tooMany = await open.inject({
      method: 'GET',
      url: '/api/mlops/inference-log?limit=50001',
    });
    expect(tooMany.statusCode).toBe(400);
    expect(tooMany.json().message).toMatch(/at most 50000/);
  });

  it('documents its routes in the OpenAPI document', async () => {
    const res = await open.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining(['/api/mlops/inference-log', '/api/mlops/feedback']),
    );
  });

  describe('with --auth', () => {
    const call = (
      user: string | undefined,
      method: 'GET' | 'POST',
      url: string,
      payload?: object,
    ) =>
      secured.inject({
        method,
        url,
        headers: user ? { authorization: bearer[user]! } : {},
        ...(payload ? { payload } : {}),
      });

    it('needs a user, and EDIT on the model to write', async () => {
      const records = [wirePrediction('goog', 1)];
      expect(
        (await call(undefined, 'POST', '/api/mlops/inference-log', { records })).statusCode,
      ).toBe(401);
      const bob = await call('bob', 'POST', '/api/mlops/inference-log', { records });
      expect(bob.statusCode).toBe(403);
      expect(bob.json().message).toMatch(/EDIT permission on registered model 'goog'/);
      expect(
        (await call('alice', 'POST', '/api/mlops/inference-log', { records })).statusCode,
      ).toBe(200);
      const elsewhere = [wirePrediction('other', 1)];
      expect(
        (await call('alice', 'POST', '/api/mlops/inference-log', { records: elsewhere }))
          .statusCode,
      ).toBe(403);
    });

    it('makes feedback name its model, unless an admin writes it', async () => {
      const unnamed = {
        records: [{ feedback_id: 'fa', timestamp: 1, prediction_id: 'goog-1', actual: 5 }],
      };
      const refused = await call('alice', 'POST', '/api/mlops/feedback', unnamed);
      expect(refused.statusCode).toBe(400);
      expect(refused.json().message).toMatch(/Feedback record 0: model_name is missing/);
      const named = { records: [{ ...unnamed.records[0], model_name: 'goog' }] };
      expect((await call('alice', 'POST', '/api/mlops/feedback', named)).statusCode).toBe(200);
      expect((await call('bob', 'POST', '/api/mlops/feedback', named)).statusCode).toBe(403);
      expect((await call('admin', 'POST', '/api/mlops/feedback', unnamed)).statusCode).toBe(200);
    });

    it('needs READ on the model to read; only an admin reads every model at once', async () => {
      const bob = await call('bob', 'GET', '/api/mlops/inference-log?model_name=goog');
      expect(bob.statusCode, bob.body).toBe(200);
      expect(bob.json().predictions[0]).toMatchObject({ prediction_id: 'goog-1', actual: 5 });
      expect((await call('bob', 'GET', '/api/mlops/feedback?model_name=goog')).statusCode).toBe(
        200,
      );
      expect(
        (await call('bob', 'GET', '/api/mlops/inference-log?model_name=other')).statusCode,
      ).toBe(403);
      expect((await call('bob', 'GET', '/api/mlops/inference-log')).statusCode).toBe(403);
      expect((await call('admin', 'GET', '/api/mlops/inference-log')).statusCode).toBe(200);
    });
  });
});

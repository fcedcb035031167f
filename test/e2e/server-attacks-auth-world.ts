// The world of server-attacks-authn/authz.test.ts: `mlops server --auth` with NO_PERMISSIONS as
// default, so a user sees only what it created or was granted. Alice owns an experiment (a run
// with a metric and a file, a logged model, lineage as the SDK logs it); Bob has a token and no
// grant. Also the calls that read, write and delete Alice's experiment, to replay as Bob.
import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import { createTokenAt, createUserAt } from '../../src/server/index.js';
import {
  API,
  PROXY,
  attackBed,
  json,
  ok,
  raw,
  type AttackBed,
  type Reply,
} from './server-attacks-harness.js';

/** Basic credentials as an authorization header. */
export const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

export interface Call {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** A raw (artifact) body instead of JSON. */
  readonly bytes?: string;
}

export interface AuthWorld {
  readonly bed: AttackBed;
  readonly adminPassword: string;
  /** Alice's Basic credentials. */
  readonly ALICE: Record<string, string>;
  /** Bob's Bearer token. */
  readonly BOB: Record<string, string>;
  /** The bytes of Alice's model.pkl. */
  readonly ALICE_DATA: string;
  /** Alice's experiment, run, logged model, and model.pkl's manifest id. */
  readonly eA: string;
  readonly rA: string;
  readonly mA: string;
  readonly manifestA: string;
  /** Reads of Alice's experiment; index 8 downloads model.pkl. */
  readonly reads: readonly Call[];
  readonly writes: readonly Call[];
  readonly deletes: readonly Call[];
  /** `c` sent with the credentials `who`. */
  as(who: Record<string, string>, c: Call): Promise<Reply>;
  /** Asserts that Alice's data is as she left it. */
  untouched(): Promise<void>;
  /** Alice's logged model, as Alice reads it. */
  aliceModel(): Promise<{
    info: { status: string; tags?: unknown[] };
    data?: { metrics?: unknown[] };
  }>;
  close(): Promise<void>;
}

/** A fresh server and the world on it; `close()` it when done. */
export async function createAuthWorld(): Promise<AuthWorld> {
  const adminPassword = randomBytes(12).toString('hex');
  process.env['MLOPS_ADMIN_PASSWORD'] = adminPassword;
  let bed: AttackBed;
  try {
    bed = await attackBed({ auth: true, defaultPermission: 'NO_PERMISSIONS' });
  } finally {
    delete process.env['MLOPS_ADMIN_PASSWORD'];
  }
  try {
    return await populate(bed, adminPassword);
  } catch (err) {
    await bed.close();
    throw err;
  }
}

/** Users, Alice's experiment and the calls on it, over a fresh `bed`. */
async function populate(bed: AttackBed, adminPassword: string): Promise<AuthWorld> {
  const alicePassword = randomBytes(12).toString('hex');
  const bobPassword = randomBytes(12).toString('hex');
  const ALICE_DATA = `alice-model-bytes-${randomBytes(8).toString('hex')}`;
  await createUserAt(bed.dbUri, 'alice', alicePassword);
  await createUserAt(bed.dbUri, 'bob', bobPassword);
  const ALICE = basic('alice', alicePassword);
  const { token } = await createTokenAt(bed.dbUri, 'bob', { name: 'ci' });
  const BOB = { authorization: `Bearer ${token}` };

  // Alice's experiment: a run with a metric and a file, a logged model, lineage as the SDK logs it.
  const eA = ok<{ experiment_id: string }>(
    await json(bed.url, 'POST', `${API}/experiments/create`, { name: 'alice-secret' }, ALICE),
  ).experiment_id;
  const rA = ok<{ run: { info: { run_id: string } } }>(
    await json(bed.url, 'POST', `${API}/runs/create`, { experiment_id: eA }, ALICE),
  ).run.info.run_id;
  ok(
    await json(
      bed.url,
      'POST',
      `${API}/runs/log-batch`,
      {
        run_id: rA,
        metrics: [{ key: 'loss', value: 0.5, timestamp: 1, step: 0 }],
      },
      ALICE,
    ),
  );
  ok(
    await raw(bed.url, `${PROXY}/${eA}/${rA}/artifacts/model.pkl`, {
      method: 'PUT',
      headers: ALICE,
      body: ALICE_DATA,
    }),
  );
  const mA = ok<{ model: { info: { model_id: string } } }>(
    await json(bed.url, 'POST', `${API}/logged-models`, { experiment_id: eA, name: 'm' }, ALICE),
  ).model.info.model_id;
  ok(
    await raw(bed.url, `${PROXY}/${eA}/models/${mA}/artifacts/MLmodel`, {
      method: 'PUT',
      headers: ALICE,
      body: 'flavors: {}',
    }),
  );
  const { artifacts } = ok<{ artifacts: { path: string; manifestId: string }[] }>(
    await raw(bed.url, `/api/mlops/runs/artifact-records?runId=${rA}`, { headers: ALICE }),
  );
  const manifestA = artifacts.find((a) => a.path === 'model.pkl')?.manifestId ?? '';
  expect(manifestA).toMatch(/^[0-9a-f]{64}$/);
  ok(
    await json(
      bed.url,
      'POST',
      '/api/mlops/lineage/edges',
      {
        edges: [
          {
            src: { type: 'run', id: rA },
            dst: { type: 'artifact', id: manifestA },
            relation: 'output',
            attrs: { path: 'model.pkl' },
          },
        ],
      },
      ALICE,
    ),
  );

  const as = (who: Record<string, string>, c: Call): Promise<Reply> =>
    c.bytes !== undefined
      ? raw(bed.url, c.path, {
          method: c.method,
          headers: { ...who, 'content-type': 'application/octet-stream' },
          body: c.bytes,
        })
      : json(bed.url, c.method, c.path, c.body, who);

  const reads: Call[] = [
    { label: 'experiments/get', method: 'GET', path: `${API}/experiments/get?experiment_id=${eA}` },
    {
      label: 'experiments/get-by-name',
      method: 'GET',
      path: `${API}/experiments/get-by-name?experiment_name=alice-secret`,
    },
    { label: 'runs/get', method: 'GET', path: `${API}/runs/get?run_id=${rA}` },
    {
      label: 'runs/search',
      method: 'POST',
      path: `${API}/runs/search`,
      body: { experiment_ids: [eA] },
    },
    {
      label: 'metrics/get-history',
      method: 'GET',
      path: `${API}/metrics/get-history?run_id=${rA}&metric_key=loss`,
    },
    {
      label: 'metrics/get-history-bulk-interval',
      method: 'GET',
      path: `${API}/metrics/get-history-bulk-interval?run_ids=${rA}&metric_key=loss`,
    },
    { label: 'artifacts/list', method: 'GET', path: `${API}/artifacts/list?run_id=${rA}` },
    { label: 'mlflow-artifacts list', method: 'GET', path: `${PROXY}?path=${eA}/${rA}/artifacts` },
    {
      label: 'mlflow-artifacts download',
      method: 'GET',
      path: `${PROXY}/${eA}/${rA}/artifacts/model.pkl`,
    },
    { label: 'logged-models get', method: 'GET', path: `${API}/logged-models/${mA}` },
    {
      label: 'logged-models directories',
      method: 'GET',
      path: `${API}/logged-models/${mA}/artifacts/directories`,
    },
    {
      label: 'model file download',
      method: 'GET',
      path: `${PROXY}/${eA}/models/${mA}/artifacts/MLmodel`,
    },
    {
      label: 'mlops artifact-records',
      method: 'GET',
      path: `/api/mlops/runs/artifact-records?runId=${rA}`,
    },
  ];
  const writes: Call[] = [
    {
      label: 'runs/create',
      method: 'POST',
      path: `${API}/runs/create`,
      body: { experiment_id: eA },
    },
    {
      label: 'runs/log-batch',
      method: 'POST',
      path: `${API}/runs/log-batch`,
      body: { run_id: rA, metrics: [{ key: 'loss', value: 99, timestamp: 2, step: 1 }] },
    },
    {
      label: 'runs/set-tag',
      method: 'POST',
      path: `${API}/runs/set-tag`,
      body: { run_id: rA, key: 'k', value: 'bob' },
    },
    {
      label: 'runs/update',
      method: 'POST',
      path: `${API}/runs/update`,
      body: { run_id: rA, status: 'KILLED' },
    },
    {
      label: 'experiments/update',
      method: 'POST',
      path: `${API}/experiments/update`,
      body: { experiment_id: eA, new_name: 'bob-owns-this' },
    },
    {
      label: 'experiments/set-experiment-tag',
      method: 'POST',
      path: `${API}/experiments/set-experiment-tag`,
      body: { experiment_id: eA, key: 'k', value: 'bob' },
    },
    {
      label: 'mlflow-artifacts upload',
      method: 'PUT',
      path: `${PROXY}/${eA}/${rA}/artifacts/bob.txt`,
      bytes: 'planted',
    },
    {
      label: 'model file upload',
      method: 'PUT',
      path: `${PROXY}/${eA}/models/${mA}/artifacts/model.pkl`,
      bytes: 'planted',
    },
    {
      label: 'logged-models create',
      method: 'POST',
      path: `${API}/logged-models`,
      body: { experiment_id: eA },
    },
    {
      label: 'logged-models finalize',
      method: 'PATCH',
      path: `${API}/logged-models/${mA}`,
      body: { status: 'LOGGED_MODEL_UPLOAD_FAILED' },
    },
    {
      label: 'logged-models set tags',
      method: 'PATCH',
      path: `${API}/logged-models/${mA}/tags`,
      body: { tags: [{ key: 'k', value: 'bob' }] },
    },
    {
      label: 'mlops record-artifacts',
      method: 'POST',
      path: '/api/mlops/runs/record-artifacts',
      body: { runId: rA, artifacts: [{ path: 'x', manifestId: manifestA, size: 1 }] },
    },
  ];
  const deletes: Call[] = [
    { label: 'runs/delete', method: 'POST', path: `${API}/runs/delete`, body: { run_id: rA } },
    {
      label: 'experiments/delete',
      method: 'POST',
      path: `${API}/experiments/delete`,
      body: { experiment_id: eA },
    },
    { label: 'logged-models delete', method: 'DELETE', path: `${API}/logged-models/${mA}` },
  ];

  const aliceModel = async () =>
    ok<{ model: { info: { status: string; tags?: unknown[] }; data?: { metrics?: unknown[] } } }>(
      await raw(bed.url, `${API}/logged-models/${mA}`, { headers: ALICE }),
    ).model;
  const untouched = async () => {
    const { run } = ok<{
      run: {
        info: { status: string; lifecycle_stage: string };
        data: { metrics?: { value: number }[]; tags?: { key: string }[] };
      };
    }>(await raw(bed.url, `${API}/runs/get?run_id=${rA}`, { headers: ALICE }));
    expect(run.info.lifecycle_stage).toBe('active');
    expect(run.info.status).not.toBe('KILLED');
    expect(run.data.metrics?.map((m) => m.value)).toEqual([0.5]);
    expect(run.data.tags?.some((t) => t.key === 'k')).toBeFalsy();
    const { experiment } = ok<{ experiment: { name: string; lifecycle_stage: string } }>(
      await raw(bed.url, `${API}/experiments/get?experiment_id=${eA}`, { headers: ALICE }),
    );
    expect(experiment).toMatchObject({ name: 'alice-secret', lifecycle_stage: 'active' });
    const listed = ok<{ files?: { path: string }[] }>(
      await raw(bed.url, `${API}/artifacts/list?run_id=${rA}`, { headers: ALICE }),
    );
    expect(listed.files?.map((f) => f.path)).toEqual(['model.pkl']);
    const model = await aliceModel();
    expect(model.info.status).not.toBe('LOGGED_MODEL_UPLOAD_FAILED');
    expect(model.info.tags ?? []).toEqual([]);
  };

  return {
    bed,
    adminPassword,
    ALICE,
    BOB,
    ALICE_DATA,
    eA,
    rA,
    mA,
    manifestA,
    reads,
    writes,
    deletes,
    as,
    untouched,
    aliceModel,
    close: () => bed.close(),
  };
}

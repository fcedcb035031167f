// MLflow's CVE history (reference mlflow.md §5.1), replayed against `mlops server --auth`: missing
// permission checks, routes the auth layer forgot, weak credentials, and what an authenticated
// user may do to another user's experiment. The server runs with NO_PERMISSIONS as default, so a
// user sees only what it created or was granted.
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTokenAt, createUserAt, grantAt, startServer } from '../../src/server/index.js';
import { expectCode } from '../../src/testing/index.js';
import {
  API,
  PROXY,
  attackBed,
  json,
  ok,
  raw,
  refused,
  type AttackBed,
  type Reply,
} from './server-attacks-harness.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const basic = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

interface Call {
  readonly label: string;
  readonly method: string;
  readonly path: string;
  readonly body?: unknown;
  /** A raw (artifact) body instead of JSON. */
  readonly bytes?: string;
}

describe('server attacks: access control (auth on, default NO_PERMISSIONS)', () => {
  let bed: AttackBed;
  const adminPassword = randomBytes(12).toString('hex');
  const alicePassword = randomBytes(12).toString('hex');
  const bobPassword = randomBytes(12).toString('hex');
  let ALICE: Record<string, string> = {};
  let BOB: Record<string, string> = {};
  const ALICE_DATA = `alice-model-bytes-${randomBytes(8).toString('hex')}`;
  let eA = '';
  let rA = '';
  let mA = '';
  let manifestA = '';

  const as = (who: Record<string, string>, c: Call): Promise<Reply> =>
    c.bytes !== undefined
      ? raw(bed.url, c.path, {
          method: c.method,
          headers: { ...who, 'content-type': 'application/octet-stream' },
          body: c.bytes,
        })
      : json(bed.url, c.method, c.path, c.body, who);

  beforeAll(async () => {
    process.env['MLOPS_ADMIN_PASSWORD'] = adminPassword;
    try {
      bed = await attackBed({ auth: true, defaultPermission: 'NO_PERMISSIONS' });
    } finally {
      delete process.env['MLOPS_ADMIN_PASSWORD'];
    }
    await createUserAt(bed.dbUri, 'alice', alicePassword);
    await createUserAt(bed.dbUri, 'bob', bobPassword);
    ALICE = basic('alice', alicePassword);
    const { token } = await createTokenAt(bed.dbUri, 'bob', { name: 'ci' });
    BOB = { authorization: `Bearer ${token}` };

    // Alice's experiment: a run with a metric and a file, a logged model, lineage as the SDK logs it.
    eA = ok<{ experiment_id: string }>(
      await json(bed.url, 'POST', `${API}/experiments/create`, { name: 'alice-secret' }, ALICE),
    ).experiment_id;
    rA = ok<{ run: { info: { run_id: string } } }>(
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
    mA = ok<{ model: { info: { model_id: string } } }>(
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
    manifestA = artifacts.find((a) => a.path === 'model.pkl')?.manifestId ?? '';
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
  });
  afterAll(async () => bed?.close());

  const reads = (): Call[] => [
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
  const writes = (): Call[] => [
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
  const deletes = (): Call[] => [
    { label: 'runs/delete', method: 'POST', path: `${API}/runs/delete`, body: { run_id: rA } },
    {
      label: 'experiments/delete',
      method: 'POST',
      path: `${API}/experiments/delete`,
      body: { experiment_id: eA },
    },
    { label: 'logged-models delete', method: 'DELETE', path: `${API}/logged-models/${mA}` },
  ];
  /** Alice's data is as she left it. */
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
  const aliceModel = async () =>
    ok<{ model: { info: { status: string; tags?: unknown[] }; data?: { metrics?: unknown[] } } }>(
      await raw(bed.url, `${API}/logged-models/${mA}`, { headers: ALICE }),
    ).model;

  describe('authentication (CVE-2026-0545 / CVE-2026-2652 routes without auth, CVE-2023-6568 auth-error XSS)', () => {
    it('CVE-2026-0545: every route but /health, /metrics and the OpenAPI document needs credentials', async () => {
      const doc = ok<{ paths: Record<string, Record<string, unknown>> }>(
        await raw(bed.url, '/api/openapi.json'),
      );
      const routes: [string, string][] = [];
      for (const [path, ops] of Object.entries(doc.paths)) {
        const concrete = path
          .replace(/\{\*\}/g, `${eA}/${rA}/artifacts/model.pkl`)
          .replace(/\{[^}]+\}/g, 'x');
        for (const method of Object.keys(ops)) {
          routes.push([method.toUpperCase(), concrete]);
          if (concrete.startsWith('/api/2.0/'))
            routes.push([method.toUpperCase(), concrete.replace('/api/', '/ajax-api/')]);
        }
      }
      routes.push(['HEAD', `/api/mlops/blobs/${manifestA}`]);
      expect(routes.length).toBeGreaterThan(80);
      for (const [method, path] of routes) {
        const reply =
          method === 'PUT'
            ? await raw(bed.url, path, {
                method,
                headers: { 'content-type': 'application/octet-stream' },
                body: 'x',
              })
            : method === 'GET' || method === 'HEAD'
              ? await raw(bed.url, path, { method })
              : await json(bed.url, method, path, {});
        expect(reply.status, `${method} ${path}: ${reply.body}`).toBe(401);
        if (method !== 'HEAD') refused(reply, [401], 'UNAUTHENTICATED');
        expect(reply.headers['www-authenticate']).toMatch(/^Basic /);
        expect(reply.body).not.toContain(ALICE_DATA);
      }
      for (const open of ['/health', '/metrics', '/api/openapi.json']) {
        expect((await raw(bed.url, open)).status).toBe(200);
      }
    });

    it('CVE-2025-11200: wrong passwords, unknown users, bad tokens and malformed headers are 401 alike', async () => {
      const path = `${API}/experiments/get?experiment_id=${eA}`;
      const messages = new Set<string>();
      for (const headers of [
        basic('alice', 'wrong-password'),
        basic('alice', ''),
        basic('nobody', 'wrong-password'),
        basic('admin', 'password1234'), // MLflow's shipped default
        basic('admin', 'password'),
      ]) {
        const reply = await raw(bed.url, path, { headers });
        refused(reply, [401], 'UNAUTHENTICATED');
        messages.add((JSON.parse(reply.body) as { message: string }).message);
      }
      // The same answer whether or not the user exists (no user enumeration).
      expect(messages.size).toBe(1);
      for (const authorization of [
        'Bearer not-a-token',
        'Bearer ',
        'Basic !!!',
        'Basic',
        `Basic ${Buffer.from('alice').toString('base64')}`,
        'Digest username="alice"',
        'Basic <script>alert(1)</script>',
      ]) {
        const reply = await raw(bed.url, path, { headers: { authorization } });
        refused(reply, [401], 'UNAUTHENTICATED');
        expect(reply.body).not.toContain('<script>'); // CVE-2023-6568: no header echoed back
        expect(reply.headers['x-content-type-options']).toBe('nosniff');
      }
    });

    it('CVE-2025-14297 baseline: Basic and Bearer credentials work; an admin sees everything', async () => {
      expect(
        (await raw(bed.url, `${API}/experiments/get?experiment_id=${eA}`, { headers: ALICE }))
          .status,
      ).toBe(200);
      expect(
        (await raw(bed.url, `${API}/experiments/search?max_results=10`, { headers: BOB })).status,
      ).toBe(200);
      const admin = basic('admin', adminPassword);
      expect((await raw(bed.url, `${API}/runs/get?run_id=${rA}`, { headers: admin })).status).toBe(
        200,
      );
    });

    it('CVE-2025-1474 / CVE-2025-11200: empty or short passwords are refused, and there is no default admin', async () => {
      for (const password of ['', 'short', '       ']) {
        await expectCode(
          createUserAt(bed.dbUri, `weak${password.length}`, password),
          'INVALID_PARAMETER_VALUE',
        );
      }
      const dir = await mkdtemp(join(tmpdir(), 'mlops-attacks-noadmin-'));
      try {
        for (const password of [undefined, '', 'short']) {
          if (password === undefined) delete process.env['MLOPS_ADMIN_PASSWORD'];
          else process.env['MLOPS_ADMIN_PASSWORD'] = password;
          await expect(
            startServer({
              host: '127.0.0.1',
              port: 0,
              backendStoreUri: `sqlite:${join(dir, 'db.sqlite')}`,
              artifactsDestination: join(dir, 'blobs'),
              cwd: dir,
              auth: true,
            }),
          ).rejects.toThrow();
        }
      } finally {
        delete process.env['MLOPS_ADMIN_PASSWORD'];
        await rm(dir, { recursive: true, force: true });
      }
    });
  });

  describe('missing permission checks (CVE-2025-14297, CVE-2025-15381, CVE-2024-4263)', () => {
    it('CVE-2025-14297: a user without a grant gets 403 PERMISSION_DENIED on every read of the experiment', async () => {
      for (const call of reads()) {
        const reply = await as(BOB, call);
        refused(reply, [403], 'PERMISSION_DENIED');
        expect(reply.body, call.label).not.toContain(ALICE_DATA);
      }
      const { experiments } = ok<{ experiments?: { experiment_id: string }[] }>(
        await json(bed.url, 'POST', `${API}/experiments/search`, { max_results: 1000 }, BOB),
      );
      expect((experiments ?? []).map((e) => e.experiment_id)).not.toContain(eA);
      const models = ok(
        await json(bed.url, 'POST', `${API}/logged-models/search`, { experiment_ids: [eA] }, BOB),
      );
      expect(models).not.toHaveProperty('models');
    });

    it('CVE-2025-14297: ... and on every write, which change nothing', async () => {
      for (const call of [...writes(), ...deletes()]) {
        refused(await as(BOB, call), [403], 'PERMISSION_DENIED');
      }
      await untouched();
    });

    it("CVE-2025-15381: the lineage routes do not hand out another experiment's runs and artifact hashes", async () => {
      for (const path of [
        `/api/mlops/lineage/edges?type=run&id=${rA}&direction=from`,
        `/api/mlops/lineage/edges?type=artifact&id=${manifestA}&direction=to`,
        `/api/mlops/lineage/neighborhood?type=run&id=${rA}`,
      ]) {
        const reply = await raw(bed.url, path, { headers: BOB });
        if (reply.status === 200) {
          expect(reply.body, path).not.toContain(manifestA);
          expect(reply.body, path).not.toContain(rA);
        } else refused(reply, [403, 404]);
      }
      // Nor may Bob write edges about Alice's run (lineage poisoning).
      refused(
        await json(
          bed.url,
          'POST',
          '/api/mlops/lineage/edges',
          {
            edges: [
              {
                src: { type: 'run', id: rA },
                dst: { type: 'artifact', id: 'f'.repeat(64) },
                relation: 'output',
              },
            ],
          },
          BOB,
        ),
        [403],
        'PERMISSION_DENIED',
      );
    });

    it("CVE-2025-15381: the byte store does not serve another experiment's artifact to a user without READ", async () => {
      for (const method of ['GET', 'HEAD']) {
        const reply = await raw(bed.url, `/api/mlops/blobs/${manifestA}`, { method, headers: BOB });
        expect([403, 404], `${method} ${reply.status} ${reply.body}`).toContain(reply.status);
        expect(reply.body).not.toContain(ALICE_DATA);
      }
      // The file's single chunk is named by the sha256 of its bytes: served the same way.
      const chunk = await raw(bed.url, `/api/mlops/blobs/${sha256(ALICE_DATA)}`, { headers: BOB });
      expect([403, 404], `chunk: ${chunk.status}`).toContain(chunk.status);
      expect(chunk.body).not.toContain(ALICE_DATA);
      // Admin-only listings stay admin-only.
      for (const path of ['/api/mlops/blobs', '/api/mlops/artifact-manifests']) {
        refused(await raw(bed.url, path, { headers: BOB }), [403], 'PERMISSION_DENIED');
      }
      refused(
        await raw(bed.url, `/api/mlops/blobs/${manifestA}`, { method: 'DELETE', headers: BOB }),
        [403],
      );
    });

    it("CVE-2025-14297: metrics logged to my own run cannot land on another experiment's logged model", async () => {
      const eB = ok<{ experiment_id: string }>(
        await json(bed.url, 'POST', `${API}/experiments/create`, { name: 'bob-own' }, BOB),
      ).experiment_id;
      const rB = ok<{ run: { info: { run_id: string } } }>(
        await json(bed.url, 'POST', `${API}/runs/create`, { experiment_id: eB }, BOB),
      ).run.info.run_id;
      const reply = await json(
        bed.url,
        'POST',
        `${API}/runs/log-batch`,
        {
          run_id: rB,
          metrics: [{ key: 'accuracy', value: 0.01, timestamp: 1, step: 0, model_id: mA }],
        },
        BOB,
      );
      expect([200, 400, 403, 404], reply.body).toContain(reply.status);
      expect((await aliceModel()).data?.metrics ?? []).toEqual([]);
    });

    it('CVE-2025-14297: after a READ grant reads work but writes stay 403', async () => {
      await grantAt(bed.dbUri, 'bob', eA, 'READ');
      for (const call of reads()) {
        const reply = await as(BOB, call);
        expect(reply.status, `${call.label}: ${reply.body}`).toBe(200);
      }
      expect((await as(BOB, reads()[8] as Call)).body).toBe(ALICE_DATA);
      for (const call of [...writes(), ...deletes()]) {
        refused(await as(BOB, call), [403], 'PERMISSION_DENIED');
      }
      await untouched();
    });

    it('CVE-2024-4263: EDIT may log, but deleting runs, models or the experiment needs MANAGE', async () => {
      await grantAt(bed.dbUri, 'bob', eA, 'EDIT');
      ok(
        await json(
          bed.url,
          'POST',
          `${API}/runs/set-tag`,
          { run_id: rA, key: 'edited_by', value: 'bob' },
          BOB,
        ),
      );
      // MLflow's basic-auth: DeleteRun, RestoreRun, DeleteExperiment need can_delete (MANAGE).
      const statuses: Record<string, number> = {};
      for (const call of deletes()) statuses[call.label] = (await as(BOB, call)).status;
      expect(statuses).toEqual(Object.fromEntries(deletes().map((c) => [c.label, 403])));
      // Artifacts are immutable here: not even their owner deletes one through the API.
      const del = await raw(bed.url, `${PROXY}/${eA}/${rA}/artifacts/model.pkl`, {
        method: 'DELETE',
        headers: BOB,
      });
      expect([400, 403]).toContain(del.status);
      const { run } = ok<{ run: { info: { lifecycle_stage: string } } }>(
        await raw(bed.url, `${API}/runs/get?run_id=${rA}`, { headers: ALICE }),
      );
      expect(run.info.lifecycle_stage).toBe('active');
      expect(
        (await raw(bed.url, `${PROXY}/${eA}/${rA}/artifacts/model.pkl`, { headers: ALICE })).body,
      ).toBe(ALICE_DATA);
      expect((await raw(bed.url, `${API}/logged-models/${mA}`, { headers: ALICE })).status).toBe(
        200,
      );
    });
  });
});

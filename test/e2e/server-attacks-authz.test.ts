// MLflow's CVE history (reference mlflow.md §5.1), replayed against `mlops server --auth`: missing
// permission checks and what an authenticated user may do to another user's experiment. The world
// (server-attacks-auth-world.ts) runs with NO_PERMISSIONS as default, so a user sees only what it
// created or was granted. The tests run in order: the last two grant Bob READ, then EDIT.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantAt } from '../../src/server/index.js';
import { createAuthWorld, type AuthWorld, type Call } from './server-attacks-auth-world.js';
import { API, PROXY, json, ok, raw, refused } from './server-attacks-harness.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('server attacks: access control (auth on, default NO_PERMISSIONS)', () => {
  let world: AuthWorld;
  beforeAll(async () => {
    world = await createAuthWorld();
  });
  afterAll(async () => world?.close());

  describe('missing permission checks (CVE-2025-14297, CVE-2025-15381, CVE-2024-4263)', () => {
    it('CVE-2025-14297: a user without a grant gets 403 PERMISSION_DENIED on every read of the experiment', async () => {
      const { bed, BOB, ALICE_DATA, eA, reads, as } = world;
      for (const call of reads) {
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
      const { BOB, writes, deletes, as, untouched } = world;
      for (const call of [...writes, ...deletes]) {
        refused(await as(BOB, call), [403], 'PERMISSION_DENIED');
      }
      await untouched();
    });

    it("CVE-2025-15381: the lineage routes do not hand out another experiment's runs and artifact hashes", async () => {
      const { bed, BOB, rA, manifestA } = world;
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
      const { bed, BOB, ALICE_DATA, manifestA } = world;
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
      const { bed, BOB, mA, aliceModel } = world;
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
      const { bed, BOB, ALICE_DATA, eA, reads, writes, deletes, as, untouched } = world;
      await grantAt(bed.dbUri, 'bob', eA, 'READ');
      for (const call of reads) {
        const reply = await as(BOB, call);
        expect(reply.status, `${call.label}: ${reply.body}`).toBe(200);
      }
      expect((await as(BOB, reads[8] as Call)).body).toBe(ALICE_DATA);
      for (const call of [...writes, ...deletes]) {
        refused(await as(BOB, call), [403], 'PERMISSION_DENIED');
      }
      await untouched();
    });

    it('CVE-2024-4263: EDIT may log, but deleting runs, models or the experiment needs MANAGE', async () => {
      const { bed, ALICE, BOB, ALICE_DATA, eA, rA, mA, deletes, as } = world;
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
      for (const call of deletes) statuses[call.label] = (await as(BOB, call)).status;
      expect(statuses).toEqual(Object.fromEntries(deletes.map((c) => [c.label, 403])));
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

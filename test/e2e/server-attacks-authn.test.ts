// MLflow's CVE history (reference mlflow.md §5.1), replayed against `mlops server --auth`: routes
// the auth layer forgot and weak credentials. The world (server-attacks-auth-world.ts) runs with
// NO_PERMISSIONS as default; Alice owns an experiment, Bob has a token and no grant.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserAt, startServer } from '../../src/server/index.js';
import { expectCode } from '../../src/testing/index.js';
import { basic, createAuthWorld, type AuthWorld } from './server-attacks-auth-world.js';
import { API, json, ok, raw, refused } from './server-attacks-harness.js';

describe('server attacks: access control (auth on, default NO_PERMISSIONS)', () => {
  let world: AuthWorld;
  beforeAll(async () => {
    world = await createAuthWorld();
  });
  afterAll(async () => world?.close());

  describe('authentication (CVE-2026-0545 / CVE-2026-2652 routes without auth, CVE-2023-6568 auth-error XSS)', () => {
    it('CVE-2026-0545: every route but /health, /metrics and the OpenAPI document needs credentials', async () => {
      const { bed, ALICE_DATA, eA, rA, manifestA } = world;
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
      const { bed, eA } = world;
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
      const { bed, adminPassword, ALICE, BOB, eA, rA } = world;
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
      const { bed } = world;
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
});

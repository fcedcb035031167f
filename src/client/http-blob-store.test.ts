import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBlobHash, LocalBlobStore, sha256Hex } from '../blobs/index.js';
import { blobStoreSuite, expectCode } from '../testing/index.js';
import { HttpBlobStore } from './http-blob-store.js';
import { sendJson, startTestServer, type Handler } from './http-server-fixture.js';
import { HttpTransport } from './http-transport.js';

const PAGE = 2;

/** The blob routes of the server contract, over a LocalBlobStore, paging listings by two. */
function blobRoutes(local: LocalBlobStore): Handler {
  return async (req, res) => {
    const notFound = (hash: string) =>
      sendJson(res, 404, { error_code: 'BLOB_NOT_FOUND', message: `Blob ${hash} not found.` });
    if (req.path === '/api/mlops/blobs' && req.method === 'GET') {
      const all = [];
      for await (const hash of local.list()) all.push(hash);
      all.sort();
      const from = Number(req.query.get('pageToken') ?? 0);
      const next = from + PAGE < all.length ? { nextPageToken: String(from + PAGE) } : {};
      return sendJson(res, 200, { hashes: all.slice(from, from + PAGE), ...next });
    }
    if (req.path === '/api/mlops/blobs/flush' && req.method === 'POST') {
      await local.flush();
      return sendJson(res, 200, {});
    }
    const hash = req.path.slice('/api/mlops/blobs/'.length);
    if (!isBlobHash(hash)) {
      return sendJson(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'bad hash' });
    }
    switch (req.method) {
      case 'PUT':
        if (sha256Hex(req.body) !== hash) {
          return sendJson(res, 400, { error_code: 'BLOB_CORRUPT', message: 'hash mismatch' });
        }
        return sendJson(res, 200, { hash: await local.put(req.body) });
      case 'GET':
        // Raw bytes, not re-hashed: the client's own check is what is under test.
        try {
          const bytes = await readFile(local.pathOf(hash));
          res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
          return void res.end(bytes);
        } catch {
          return notFound(hash);
        }
      case 'HEAD':
        try {
          const { size } = await stat(local.pathOf(hash));
          res.writeHead(200, { 'Content-Length': size });
        } catch {
          res.writeHead(404);
        }
        return void res.end();
      case 'DELETE':
        if (!(await local.has(hash))) return notFound(hash);
        await local.delete(hash);
        return sendJson(res, 200, {});
      default:
        return sendJson(res, 405, { error_code: 'BAD_REQUEST', message: 'method' });
    }
  };
}

async function fixture() {
  const root = await mkdtemp(join(tmpdir(), 'mlops-http-blobs-'));
  const local = new LocalBlobStore(join(root, 'blobs'));
  const server = await startTestServer(blobRoutes(local));
  const store = new HttpBlobStore(new HttpTransport({ baseUrl: server.url, retries: 0 }));
  return {
    store,
    server,
    cleanup: async () => {
      await server.close();
      await rm(root, { recursive: true, force: true });
    },
    corrupt: (hash: string) => writeFile(local.pathOf(hash), 'tampered'),
  };
}

blobStoreSuite('HttpBlobStore (node:http over LocalBlobStore)', fixture);

describe('HttpBlobStore', () => {
  it('refuses a bad hash without sending a request', async () => {
    const f = await fixture();
    try {
      await expectCode(f.store.get('../../etc/passwd'), 'INVALID_PARAMETER_VALUE');
      await expectCode(f.store.has('A'.repeat(64)), 'INVALID_PARAMETER_VALUE');
      expect(f.server.requests).toHaveLength(0);
    } finally {
      await f.cleanup();
    }
  });

  it('puts with one PUT of raw bytes and names its location under the server', async () => {
    const f = await fixture();
    try {
      const hash = await f.store.put(new TextEncoder().encode('one trip'));
      expect(f.server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
        `PUT /api/mlops/blobs/${hash}`,
      ]);
      expect(f.store.location).toBe(`${f.server.url}/api/mlops/blobs`);
    } finally {
      await f.cleanup();
    }
  });
});

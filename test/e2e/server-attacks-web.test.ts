// MLflow's CVE history (reference mlflow.md §5.1), replayed against `mlops server`: the browser
// and protocol classes. Stored and reflected XSS, oversized and hostile bodies (DoS), DNS
// rebinding through the Host header, and cross-site (CSRF) posts from a web page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  PROXY,
  attackBed,
  experimentWithRun,
  json,
  ok,
  raw,
  rawSocket,
  refused,
  type AttackBed,
  type Reply,
} from './server-attacks-harness.js';

const SCRIPT = '<script>alert(1)</script>';

/** The headers that keep any answer from running as a page. */
function inert(reply: Reply): void {
  expect(reply.headers['x-content-type-options']).toBe('nosniff');
  expect(String(reply.headers['content-security-policy'])).toContain("default-src 'none'");
  expect(String(reply.headers['content-type'])).not.toMatch(/html|xml|javascript/i);
}

describe('server attacks: web', () => {
  let bed: AttackBed;
  let port = '';
  beforeAll(async () => {
    bed = await attackBed();
    port = new URL(bed.url).port;
  });
  afterAll(async () => bed?.close());

  const health = async () => {
    const reply = await raw(bed.url, '/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toBe('OK');
  };
  const experimentNames = async () => {
    const { experiments } = ok<{ experiments?: { name: string; lifecycle_stage: string }[] }>(
      await json(bed.url, 'POST', `${API}/experiments/search`, { max_results: 1000, view_type: 3 }),
    );
    return (experiments ?? []).map((e) => `${e.name}:${e.lifecycle_stage}`).sort();
  };

  describe('XSS through names, tags, files and errors (CVE-2023-6568 reflected XSS class)', () => {
    it('CVE-2023-6568: a <script> experiment name and tag come back as inert JSON', async () => {
      const { experimentId, runId } = await experimentWithRun(bed.url, SCRIPT);
      ok(
        await json(bed.url, 'POST', `${API}/runs/set-tag`, {
          run_id: runId,
          key: 'note',
          value: SCRIPT,
        }),
      );
      for (const path of [
        `${API}/experiments/get?experiment_id=${experimentId}`,
        `${API}/experiments/get-by-name?experiment_name=${encodeURIComponent(SCRIPT)}`,
        `${API}/runs/get?run_id=${runId}`,
      ]) {
        const reply = await raw(bed.url, path);
        expect(reply.status).toBe(200);
        expect(reply.body).toContain(SCRIPT); // data is data ...
        expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
        inert(reply); // ... and never a page
      }
    });

    it('CVE-2023-6568: an uploaded .html/.svg artifact downloads as an attachment, never rendered', async () => {
      const { experimentId, runId } = await experimentWithRun(bed.url, 'xss files');
      const prefix = `${PROXY}/${experimentId}/${runId}/artifacts`;
      const page = `<html><body>${SCRIPT}</body></html>`;
      for (const [name, type] of [
        ['evil.html', 'text/html'],
        ['evil.svg', 'image/svg+xml'],
        ['evil.js', 'text/javascript'],
      ] as const) {
        ok(
          await raw(bed.url, `${prefix}/${name}`, {
            method: 'PUT',
            body: page,
            headers: { 'content-type': type },
          }),
        );
        const reply = await raw(bed.url, `${prefix}/${name}`, { headers: { accept: 'text/html' } });
        expect(reply.status).toBe(200);
        expect(reply.body).toBe(page);
        expect(reply.headers['content-type']).toBe('application/octet-stream');
        expect(String(reply.headers['content-disposition'])).toMatch(/^attachment;/);
        inert(reply);
      }
      // A name built to break out of the header: quotes, CR/LF, a second header.
      const nasty = 'a%22%0d%0aSet-Cookie:%20x=1%0d%0a%22.html';
      const put = await raw(bed.url, `${prefix}/${nasty}`, { method: 'PUT', body: page });
      if (put.status === 200) {
        const reply = await raw(bed.url, `${prefix}/${nasty}`);
        expect(reply.headers['set-cookie']).toBeUndefined();
        expect(String(reply.headers['content-disposition'])).toMatch(
          /^attachment; filename="[\w.-]+"$/,
        );
      } else refused(put, [400]);
    });

    it('CVE-2023-6568: the 404 handler and errors answer JSON with nosniff and a CSP, whatever was asked', async () => {
      for (const path of [
        `/${SCRIPT}`,
        `/ui/${encodeURIComponent(SCRIPT)}`,
        `${API}/nope?x=${SCRIPT}`,
      ]) {
        const reply = await raw(bed.url, path, { headers: { accept: 'text/html' } });
        refused(reply, [404], 'ENDPOINT_NOT_FOUND');
        inert(reply);
      }
      // The original bug: the Content-Type header echoed into an error.
      const echoed = await raw(bed.url, `${API}/experiments/create`, {
        method: 'POST',
        headers: { 'content-type': `text/html${SCRIPT}` },
        body: '{"name":"x"}',
      });
      refused(echoed, [400, 415]);
      expect(echoed.body).not.toContain(SCRIPT);
      inert(echoed);
      const badPath = await raw(bed.url, `${PROXY}/${SCRIPT}/..%2f..%2fx`);
      refused(badPath, [400]);
      inert(badPath);
    });

    it('CVE-2023-6568 (hardening): the 404 handler and errors do not reflect raw HTML markup', async () => {
      // Inert already (JSON, nosniff, CSP); escaping '<' as \u003c keeps the JSON identical for
      // clients and leaves no markup for a sniffing proxy or a careless UI to render.
      for (const path of [
        `/${SCRIPT}`,
        `${PROXY}/${SCRIPT}/..%2fx`,
        `${API}/experiments/get?experiment_id=${SCRIPT}`,
      ]) {
        const reply = await raw(bed.url, path);
        expect([400, 404]).toContain(reply.status);
        expect(reply.body, path).not.toContain('<script');
      }
    });

    it('CVE-2023-6568: a URL with broken percent-encoding gets the JSON error format and safe headers', async () => {
      // The router refuses these before any hook runs (FST_ERR_BAD_URL).
      for (const path of [
        `${PROXY}/1/x/artifacts/%c0%ae`,
        `${PROXY}/${SCRIPT}%c0`,
        `${API}/runs/get%zz`,
      ]) {
        const reply = await raw(bed.url, path);
        refused(reply, [400]);
        inert(reply);
      }
    });
  });

  describe('oversized and hostile bodies (CVE-2025-0453 DoS class)', () => {
    it('CVE-2025-0453: a JSON body over 1 MB is 413 PAYLOAD_TOO_LARGE, with or without Content-Length', async () => {
      const big = JSON.stringify({ name: 'x'.repeat(1_100_000) });
      refused(
        await json(bed.url, 'POST', `${API}/experiments/create`, JSON.parse(big)),
        [413],
        'PAYLOAD_TOO_LARGE',
      );
      // Chunked, no length up front: the limit still holds while reading.
      const chunked = await rawSocket(
        bed.url,
        Buffer.concat([
          Buffer.from(
            `POST ${API}/experiments/create HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n`,
          ),
          ...Array.from({ length: 3 }, () =>
            Buffer.from(`${(600_000).toString(16)}\r\n${'['.repeat(1)}${' '.repeat(599_999)}\r\n`),
          ),
          Buffer.from('0\r\n\r\n'),
        ]),
      );
      expect(chunked.slice(0, 12)).toBe('HTTP/1.1 413');
      expect(chunked).toContain('PAYLOAD_TOO_LARGE');
      await health();
    });

    it('CVE-2025-0453: 100k nested arrays or objects are 400, and the server still answers', async () => {
      for (const body of [
        '['.repeat(100_000) + ']'.repeat(100_000),
        '{"a":'.repeat(100_000) + '1' + '}'.repeat(100_000),
        // A JSON-encoded string body (MLflow decodes it once more): nested inside.
        JSON.stringify('['.repeat(100_000) + ']'.repeat(100_000)),
      ]) {
        const reply = await raw(bed.url, `${API}/experiments/create`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
        });
        refused(reply, [400]);
        await health();
      }
    });

    it('CVE-2025-0453: log-batch over the limits is 400 INVALID_PARAMETER_VALUE and logs nothing', async () => {
      const { runId } = await experimentWithRun(bed.url, 'limits');
      const metrics = Array.from({ length: 1001 }, (_, i) => ({
        key: `m${i}`,
        value: i,
        timestamp: 1,
        step: 0,
      }));
      const params = Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' }));
      refused(
        await json(bed.url, 'POST', `${API}/runs/log-batch`, { run_id: runId, metrics }),
        [400],
        'INVALID_PARAMETER_VALUE',
      );
      refused(
        await json(bed.url, 'POST', `${API}/runs/log-batch`, { run_id: runId, params }),
        [400],
        'INVALID_PARAMETER_VALUE',
      );
      refused(
        await json(bed.url, 'POST', `${API}/runs/search`, {
          experiment_ids: ['0'],
          max_results: 1e9,
        }),
        [400],
        'INVALID_PARAMETER_VALUE',
      );
      const { run } = ok<{ run: { data: { metrics?: unknown[]; params?: unknown[] } } }>(
        await raw(bed.url, `${API}/runs/get?run_id=${runId}`),
      );
      expect(run.data.metrics ?? []).toEqual([]);
      expect(run.data.params ?? []).toEqual([]);
      await health();
    });

    it('CVE-2025-0453 class (hostile bodies): __proto__ / constructor keys pollute nothing', async () => {
      const reply = await raw(bed.url, `${API}/experiments/create`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"name":"proto","__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}',
      });
      expect([200, 400]).toContain(reply.status);
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });
  });

  describe('DNS rebinding: Host header checks on a loopback server (CVE-2025-14279)', () => {
    const withHost = (host: string, path = `${API}/experiments/search?max_results=10`) =>
      raw(bed.url, path, { headers: { host } });

    it('CVE-2025-14279: a foreign Host is 403 on reads, writes and /health', async () => {
      for (const host of [
        'evil.example',
        `evil.example:${port}`,
        `localhost.evil.example:${port}`,
        `127.0.0.1.nip.io:${port}`,
        `evil.example:${port}@127.0.0.1`,
      ]) {
        const read = await withHost(host);
        refused(read, [403], 'PERMISSION_DENIED');
        expect(read.body).not.toContain('"experiments"');
        refused(
          await raw(bed.url, `${API}/experiments/create`, {
            method: 'POST',
            headers: { host, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `rebound ${host}` }),
          }),
          [400, 403],
        );
        expect((await withHost(host, '/health')).status).toBe(403);
      }
      expect(await experimentNames()).not.toEqual(
        expect.arrayContaining([expect.stringMatching(/^rebound/)]),
      );
    });

    it('CVE-2025-14279: a request with no Host at all is refused', async () => {
      const reply = await rawSocket(
        bed.url,
        Buffer.from(`GET ${API}/experiments/search HTTP/1.0\r\n\r\n`),
      );
      expect(reply).toMatch(/^HTTP\/1\.[01] 4\d\d/);
      expect(reply).not.toContain('"experiments"');
    });

    it('CVE-2025-14279: localhost names with the port are answered', async () => {
      for (const host of [
        `localhost:${port}`,
        `127.0.0.1:${port}`,
        `LOCALHOST:${port}`,
        'localhost',
      ]) {
        expect((await withHost(host)).status, host).toBe(200);
      }
    });
  });

  describe('cross-site posts from a web page (CVE-2023-43472 CSRF / drive-by)', () => {
    const EVIL = { origin: 'http://evil.example' };
    /** The three content types a page can post without a CORS preflight. */
    const forms = (payload: Record<string, string>) => {
      const urlencoded = new URLSearchParams(payload).toString();
      const boundary = '----x';
      const multipart =
        Object.entries(payload)
          .map(
            ([k, v]) =>
              `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`,
          )
          .join('') + `--${boundary}--\r\n`;
      return [
        ['application/x-www-form-urlencoded', urlencoded],
        ['text/plain', JSON.stringify(payload)],
        ['text/plain; charset=utf-8; x=application/json', JSON.stringify(payload)],
        [`multipart/form-data; boundary=${boundary}`, multipart],
      ] as const;
    };

    it('CVE-2023-43472: simple cross-site posts to experiments/create, update, delete and runs/create change nothing', async () => {
      const { experimentId: victim } = await experimentWithRun(bed.url, 'victim');
      const before = await experimentNames();
      const runsBefore = ok(
        await json(bed.url, 'POST', `${API}/runs/search`, { experiment_ids: ['0', victim] }),
      );
      const attacks: [string, Record<string, string>][] = [
        ['experiments/create', { name: 'csrf', artifact_location: 'http://evil.example/steal' }],
        ['experiments/update', { experiment_id: '0', new_name: 'pwned' }],
        ['experiments/delete', { experiment_id: victim }],
        ['runs/create', { experiment_id: victim }],
      ];
      for (const [route, payload] of attacks) {
        for (const [type, body] of forms(payload)) {
          for (const headers of [EVIL, {}]) {
            // With the page's Origin (what browsers send) and without one (older ones).
            const reply = await raw(bed.url, `${API}/${route}`, {
              method: 'POST',
              headers: { ...headers, 'content-type': type },
              body,
            });
            refused(reply, [400, 403, 415]);
          }
        }
        // fetch(..., {mode: 'no-cors', body: new Blob([json])}) sends no Content-Type at all.
        refused(
          await raw(bed.url, `${API}/${route}`, {
            method: 'POST',
            headers: EVIL,
            body: JSON.stringify(payload),
          }),
          [400, 403],
        );
        refused(
          await raw(bed.url, `${API}/${route}`, { method: 'POST', body: JSON.stringify(payload) }),
          [400],
        );
      }
      expect(await experimentNames()).toEqual(before);
      expect(
        ok(await json(bed.url, 'POST', `${API}/runs/search`, { experiment_ids: ['0', victim] })),
      ).toEqual(runsBefore);
      const { experiment } = ok<{ experiment: { name: string; artifact_location: string } }>(
        await raw(bed.url, `${API}/experiments/get?experiment_id=0`),
      );
      expect(experiment.name).toBe('Default');
    });

    it('CVE-2023-43472: JSON, upload and delete requests with a foreign or null Origin are 403', async () => {
      const { experimentId, runId } = await experimentWithRun(bed.url, 'origin');
      const before = await experimentNames();
      for (const origin of [
        'http://evil.example',
        'null', // sandboxed iframes, data: URLs
        `http://evil.example:${port}`,
        `http://127.0.0.1:${port}.evil.example`,
        `http://localhost:${Number(port) === 1 ? 2 : Number(port) - 1}`, // another local app's page
      ]) {
        refused(
          await json(
            bed.url,
            'POST',
            `${API}/experiments/create`,
            { name: `csrf ${origin}` },
            { origin },
          ),
          [403],
          'PERMISSION_DENIED',
        );
        refused(
          await json(
            bed.url,
            'POST',
            `${API}/experiments/delete`,
            { experiment_id: experimentId },
            { origin },
          ),
          [403],
          'PERMISSION_DENIED',
        );
        refused(
          await raw(bed.url, `${PROXY}/${experimentId}/${runId}/artifacts/planted.txt`, {
            method: 'PUT',
            headers: { origin, 'content-type': 'text/plain' },
            body: 'planted',
          }),
          [403],
          'PERMISSION_DENIED',
        );
        refused(
          await raw(bed.url, `/api/mlops/blobs/${'a'.repeat(64)}`, {
            method: 'DELETE',
            headers: { origin },
          }),
          [403],
        );
      }
      expect(await experimentNames()).toEqual(before);
      const listed = ok(await raw(bed.url, `${API}/artifacts/list?run_id=${runId}`));
      expect(listed).not.toHaveProperty('files');
      // The server's own origin may post (a same-origin page).
      ok(
        await json(
          bed.url,
          'POST',
          `${API}/experiments/create`,
          { name: 'same origin' },
          {
            origin: `http://127.0.0.1:${port}`,
          },
        ),
      );
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { MlopsError } from '../core/index.js';
import { expectCode } from '../testing/index.js';
import {
  closedPort,
  sendJson,
  startTestServer,
  type Handler,
  type TestServer,
} from './http-server-fixture.js';
import {
  backoffDelay,
  codeForStatus,
  HttpTransport,
  parseRetryAfter,
  transportFromEnv,
} from './http-transport.js';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function serve(handler: Handler): Promise<TestServer> {
  server = await startTestServer(handler);
  return server;
}

/** Answers `statuses` in turn (then 200 `{ok: true}`), with the given headers per answer. */
function sequence(...answers: [number, unknown?, Record<string, string>?][]): Handler {
  let i = 0;
  return (_req, res) => {
    const [status, body, headers] = answers[i++] ?? [200, { ok: true }];
    sendJson(res, status, body ?? {}, headers);
  };
}

const fast = { backoffBaseMs: 1, backoffCapMs: 5 };

describe('HttpTransport retries', () => {
  it('retries 503 twice, then returns the 200 answer', async () => {
    const s = await serve(sequence([503], [503]));
    const http = new HttpTransport({ baseUrl: s.url, ...fast });
    expect(await http.get('/api/x')).toEqual({ ok: true });
    expect(s.requests).toHaveLength(3);
  });

  it('honours Retry-After on 429', async () => {
    const s = await serve(sequence([429, {}, { 'Retry-After': '1' }]));
    const http = new HttpTransport({ baseUrl: s.url, ...fast });
    const start = Date.now();
    expect(await http.get('/api/x')).toEqual({ ok: true });
    expect(Date.now() - start).toBeGreaterThanOrEqual(950);
    expect(s.requests).toHaveLength(2);
  });

  it('retries POST too (as MLflow does), re-sending the same JSON body', async () => {
    const s = await serve(sequence([502]));
    const http = new HttpTransport({ baseUrl: s.url, ...fast });
    await http.post('/api/x', { run_id: 'r', n: 1 });
    expect(s.requests.map((r) => r.json)).toEqual([
      { run_id: 'r', n: 1 },
      { run_id: 'r', n: 1 },
    ]);
  });

  it('gives up after the configured retries with the last answer as the error', async () => {
    const s = await serve((_req, res) => sendJson(res, 500, { message: 'boom' }));
    const http = new HttpTransport({ baseUrl: s.url, retries: 2, ...fast });
    const err = await expectCode(http.get('/api/x'), 'INTERNAL_ERROR');
    expect(err.message).toBe('boom');
    expect(s.requests).toHaveLength(3);
  });

  it('does not retry a 400', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 400, { error_code: 'INVALID_PARAMETER_VALUE', message: "Bad key 'a!'." }),
    );
    const http = new HttpTransport({ baseUrl: s.url, ...fast });
    const err = await expectCode(
      http.post('/api/2.0/mlflow/runs/log-batch', {}),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toBe("Bad key 'a!'.");
    expect(err.details).toEqual({
      method: 'POST',
      path: '/api/2.0/mlflow/runs/log-batch',
      status: 400,
    });
    expect(s.requests).toHaveLength(1);
  });

  it('reports an unreachable server as TEMPORARILY_UNAVAILABLE after retrying', async () => {
    const port = await closedPort();
    const http = new HttpTransport({ baseUrl: `http://127.0.0.1:${port}`, retries: 2, ...fast });
    const err = await expectCode(http.get('/api/x'), 'TEMPORARILY_UNAVAILABLE');
    expect(err.message).toBe(
      `Cannot reach the tracking server at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}. Start it with \`mlops server\` or check MLOPS_TRACKING_URI.`,
    );
    expect(err.details).toMatchObject({ attempts: 3 });
  });

  it('times out a silent server and retries it like a network error', async () => {
    const s = await serve(() => {
      // never answers
    });
    const http = new HttpTransport({ baseUrl: s.url, retries: 1, timeoutMs: 50, ...fast });
    const err = await expectCode(http.get('/api/x'), 'TEMPORARILY_UNAVAILABLE');
    expect(err.message).toContain('no answer within the request timeout');
    expect(s.requests).toHaveLength(2);
  });

  it('close() ends a retry wait at once', async () => {
    const s = await serve(sequence([503, {}, { 'Retry-After': '30' }]));
    const http = new HttpTransport({ baseUrl: s.url });
    const pending = http.get('/api/x');
    while (s.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    const start = Date.now();
    http.close();
    await expectCode(pending, 'INVALID_STATE');
    expect(Date.now() - start).toBeLessThan(1000);
    await expectCode(http.get('/api/x'), 'INVALID_STATE');
  });

  it('computes backoff: doubling from the base, capped, jittered in [half, full]', () => {
    expect(backoffDelay(0, 100, 5000, () => 0)).toBe(50);
    expect(backoffDelay(0, 100, 5000, () => 1)).toBe(100);
    expect(backoffDelay(3, 100, 5000, () => 1)).toBe(800);
    expect(backoffDelay(10, 100, 5000, () => 0.5)).toBe(3750);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    expect(parseRetryAfter('2')).toBe(2000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    const now = Date.parse('Wed, 21 Oct 2015 07:28:00 GMT');
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:03 GMT', now)).toBe(3000);
  });
});

describe('HttpTransport errors', () => {
  it('maps an error code we do not know by the status, keeping it in details', async () => {
    const s = await serve((_req, res) =>
      sendJson(res, 409, { error_code: 'RESOURCE_CONFLICT', message: 'conflict' }),
    );
    const err = await expectCode(
      new HttpTransport({ baseUrl: s.url }).get('/api/x'),
      'BAD_REQUEST',
    );
    expect(err.details).toMatchObject({ errorCode: 'RESOURCE_CONFLICT', status: 409 });
  });

  it('maps a bare 404 (no JSON) to ENDPOINT_NOT_FOUND', async () => {
    const s = await serve((_req, res) => {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('404 Not Found');
    });
    const err = await expectCode(
      new HttpTransport({ baseUrl: s.url }).get('/api/nope'),
      'ENDPOINT_NOT_FOUND',
    );
    expect(err.message).toContain('GET /api/nope answered HTTP 404');
  });

  it('maps statuses as MLflow does', () => {
    expect([400, 401, 403, 404, 409, 413, 429, 500, 501, 503].map((s) => codeForStatus(s))).toEqual(
      [
        'BAD_REQUEST',
        'UNAUTHENTICATED',
        'PERMISSION_DENIED',
        'ENDPOINT_NOT_FOUND',
        'BAD_REQUEST',
        'PAYLOAD_TOO_LARGE',
        'TEMPORARILY_UNAVAILABLE',
        'INTERNAL_ERROR',
        'INTERNAL_ERROR',
        'TEMPORARILY_UNAVAILABLE',
      ],
    );
  });

  it('refuses a base URL that is not http(s), hiding credentials', () => {
    let err: unknown;
    try {
      new HttpTransport({ baseUrl: 'ftp://u:secret@host' });
    } catch (e) {
      err = e;
    }
    expect(MlopsError.is(err) && err.code).toBe('UNSUPPORTED_URI');
    expect((err as Error).message).not.toContain('secret');
  });
});

describe('HttpTransport requests', () => {
  it('sends JSON with Content-Type, queries with repeats, and skips undefined', async () => {
    const s = await serve(sequence([200, {}], [200, {}]));
    const http = new HttpTransport({ baseUrl: `${s.url}/` });
    await http.post('/api/a', { x: 1 });
    await http.get('/api/b', { id: 'x y', ids: ['1', '2'], gone: undefined, n: 0 });
    const [post, get] = s.requests;
    expect(post?.headers['content-type']).toBe('application/json');
    expect(post?.json).toEqual({ x: 1 });
    expect(get?.method).toBe('GET');
    expect([...(get?.query ?? [])]).toEqual([
      ['id', 'x y'],
      ['ids', '1'],
      ['ids', '2'],
      ['n', '0'],
    ]);
  });

  it('puts and gets bytes, and answers HEAD 404 with undefined', async () => {
    const s = await serve((req, res) => {
      if (req.method === 'PUT') return sendJson(res, 200, { size: req.body.length });
      if (req.method === 'HEAD') {
        res.writeHead(req.path === '/there' ? 200 : 404, { 'Content-Length': '3' });
        return void res.end();
      }
      res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
      res.end(Buffer.from([1, 2, 3]));
    });
    const http = new HttpTransport({ baseUrl: s.url });
    const bytes = new Uint8Array([9, 9, 1, 2, 9]).subarray(2, 4);
    expect(await http.putBytes('/b', bytes)).toEqual({ size: 2 });
    expect(s.requests[0]?.headers['content-type']).toBe('application/octet-stream');
    expect([...s.requests[0]!.body]).toEqual([1, 2]);
    expect([...(await http.getBytes('/b'))]).toEqual([1, 2, 3]);
    expect((await http.head('/there'))?.get('content-length')).toBe('3');
    expect(await http.head('/missing')).toBeUndefined();
  });
});

describe('HttpTransport auth', () => {
  async function authOf(http: HttpTransport, s: TestServer): Promise<string | undefined> {
    await http.get('/api/x');
    return s.requests.at(-1)?.headers.authorization;
  }
  const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;

  it('sends Bearer for a token, Basic for user and password, nothing otherwise', async () => {
    const s = await serve(sequence());
    expect(await authOf(new HttpTransport({ baseUrl: s.url, token: 't0k' }), s)).toBe('Bearer t0k');
    expect(
      await authOf(new HttpTransport({ baseUrl: s.url, username: 'ada', password: 'pw' }), s),
    ).toBe(basic('ada', 'pw'));
    expect(
      await authOf(
        new HttpTransport({ baseUrl: s.url, token: 't', username: 'a', password: 'p' }),
        s,
      ),
    ).toBe('Bearer t');
    expect(await authOf(new HttpTransport({ baseUrl: s.url }), s)).toBeUndefined();
  });

  it('takes user and password from the URL, and keeps them out of baseUrl', async () => {
    const s = await serve(sequence());
    const http = new HttpTransport({ baseUrl: s.url.replace('//', '//ad%40a:p%3Aw@') });
    expect(http.baseUrl).toBe(s.url);
    expect(await authOf(http, s)).toBe(basic('ad@a', 'p:w'));
  });

  it('reads MLOPS_TRACKING_TOKEN, then MLFLOW_TRACKING_TOKEN, then MLflow user and password', async () => {
    const s = await serve(sequence());
    const all = {
      MLOPS_TRACKING_TOKEN: 'mine',
      MLFLOW_TRACKING_TOKEN: 'theirs',
      MLFLOW_TRACKING_USERNAME: 'ada',
      MLFLOW_TRACKING_PASSWORD: 'pw',
    };
    const from = (env: Record<string, string>) => authOf(transportFromEnv(s.url, { env }), s);
    expect(await from(all)).toBe('Bearer mine');
    expect(await from({ ...all, MLOPS_TRACKING_TOKEN: '' })).toBe('Bearer theirs');
    expect(await from({ MLFLOW_TRACKING_USERNAME: 'ada', MLFLOW_TRACKING_PASSWORD: 'pw' })).toBe(
      basic('ada', 'pw'),
    );
  });
});

describe('transportFromEnv with half a Basic credential', () => {
  it('says which variable is missing instead of sending nothing', () => {
    expect(() =>
      transportFromEnv('http://127.0.0.1:1', { env: { MLFLOW_TRACKING_USERNAME: 'ada' } }),
    ).toThrow(/MLFLOW_TRACKING_PASSWORD is not/);
    expect(() =>
      transportFromEnv('http://127.0.0.1:1', { env: { MLFLOW_TRACKING_PASSWORD: 'x' } }),
    ).toThrow(/MLFLOW_TRACKING_USERNAME is not/);
  });
});

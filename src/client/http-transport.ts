import { setTimeout as sleep } from 'node:timers/promises';
import { ERROR_CODES, MlopsError, type ErrorCode } from '../core/index.js';

export interface HttpTransportOptions {
  /** The server's root (`http://127.0.0.1:5000`, or with a path prefix); `user:pass@` becomes Basic auth. */
  readonly baseUrl: string;
  /** Sent as `Authorization: Bearer <token>`; wins over username and password. */
  readonly token?: string;
  /** With `password`: `Authorization: Basic ...` (MLflow's basic-auth app). */
  readonly username?: string;
  readonly password?: string;
  /** Retries after the first attempt (default 5); 0 turns retrying off. */
  readonly retries?: number;
  /** First backoff in ms (default 100); it doubles per retry, with jitter. */
  readonly backoffBaseMs?: number;
  /** Longest computed backoff in ms (default 5000). */
  readonly backoffCapMs?: number;
  /** Longest wait a `Retry-After` header may ask for, in ms (default 60 000). */
  readonly maxRetryAfterMs?: number;
  /** Per attempt, response body included (default 120 000, MLflow's default request timeout). */
  readonly timeoutMs?: number;
  /** Replaces the global fetch (a proxy agent, a test double). */
  readonly fetch?: typeof fetch;
}

/** Query values; `undefined` leaves the parameter out, an array repeats it. */
export type Query = Readonly<
  Record<string, string | number | boolean | readonly (string | number)[] | undefined>
>;

/** MLflow's transient statuses (`_TRANSIENT_FAILURE_RESPONSE_CODES`). */
const RETRY_STATUSES = new Set([408, 429, 500, 502, 503, 504]);
const RETRY_AFTER_STATUSES = new Set([429, 503]);

interface Exchange {
  readonly method: string;
  readonly path: string;
  readonly status: number;
  readonly headers: Headers;
  readonly body: Uint8Array;
}

interface Outgoing {
  readonly query?: Query | undefined;
  readonly body?: string | Uint8Array | undefined;
  readonly contentType?: string;
}

/**
 * HTTP to an mlops (or MLflow) tracking server: JSON in and out, auth headers, retries, and errors
 * turned into `MlopsError` with the server's `error_code`.
 *
 * Retries: on 408, 429, 500, 502, 503, 504 and on network errors, with exponential backoff and
 * jitter, honouring `Retry-After` on 429 and 503. Like MLflow's client this retries every method,
 * POST included: a write whose response was lost may then be applied twice (a metric appended
 * twice, or a create answered `RESOURCE_ALREADY_EXISTS` although the first attempt made it).
 * Node's fetch keeps connections alive between requests.
 *
 * @example
 * const http = transportFromEnv('http://127.0.0.1:5000');
 * const { experiment } = await http.get('/api/2.0/mlflow/experiments/get', { experiment_id: '0' });
 */
export class HttpTransport {
  /** Without a trailing slash or credentials: safe to print. */
  readonly baseUrl: string;
  private readonly authorization: string | undefined;
  private readonly retries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffCapMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;
  private readonly closed = new AbortController();

  constructor(options: HttpTransportOptions) {
    const url = parseBaseUrl(options.baseUrl);
    const username = options.username ?? safeDecode(url.username);
    const password = options.password ?? safeDecode(url.password);
    url.username = '';
    url.password = '';
    this.baseUrl = url.href.replace(/\/+$/, '');
    this.authorization = options.token
      ? `Bearer ${options.token}`
      : username && password
        ? `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}`
        : undefined;
    this.retries = count('retries', options.retries, 5);
    this.backoffBaseMs = count('backoffBaseMs', options.backoffBaseMs, 100);
    this.backoffCapMs = count('backoffCapMs', options.backoffCapMs, 5000);
    this.maxRetryAfterMs = count('maxRetryAfterMs', options.maxRetryAfterMs, 60_000);
    this.timeoutMs = count('timeoutMs', options.timeoutMs, 120_000);
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async get<T = unknown>(path: string, query?: Query): Promise<T> {
    return json<T>(ok(await this.exchange('GET', path, { query })));
  }

  async post<T = unknown>(path: string, body: unknown = {}): Promise<T> {
    return json<T>(ok(await this.exchange('POST', path, jsonBody(body))));
  }

  async patch<T = unknown>(path: string, body: unknown = {}): Promise<T> {
    return json<T>(ok(await this.exchange('PATCH', path, jsonBody(body))));
  }

  /** DELETE with a JSON body, as MLflow's client sends it (leave `body` out for none). */
  async delete<T = unknown>(path: string, body?: unknown): Promise<T> {
    const init = body === undefined ? {} : jsonBody(body);
    return json<T>(ok(await this.exchange('DELETE', path, init)));
  }

  /** PUT of raw bytes (`application/octet-stream`); the JSON answer. */
  async putBytes<T = unknown>(path: string, bytes: Uint8Array): Promise<T> {
    const init = { body: bytes, contentType: 'application/octet-stream' };
    return json<T>(ok(await this.exchange('PUT', path, init)));
  }

  async getBytes(path: string, query?: Query): Promise<Uint8Array> {
    return ok(await this.exchange('GET', path, { query })).body;
  }

  /** The headers of a 2xx answer, `undefined` on 404; other statuses throw. */
  async head(path: string, query?: Query): Promise<Headers | undefined> {
    const res = await this.exchange('HEAD', path, { query });
    return res.status === 404 ? undefined : ok(res).headers;
  }

  /** Aborts requests in flight and retry waits; later requests fail with `INVALID_STATE`. */
  close(): void {
    this.closed.abort();
  }

  /** One request with retries; returns the final answer whatever its status. */
  private async exchange(method: string, path: string, init: Outgoing): Promise<Exchange> {
    const url = this.url(path, init.query);
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (init.contentType) headers['Content-Type'] = init.contentType;
    if (this.authorization) headers['Authorization'] = this.authorization;
    for (let attempt = 0; ; attempt++) {
      this.assertOpen(method, path);
      let res: Exchange;
      try {
        res = await this.attempt(method, url, headers, init.body);
      } catch (err) {
        this.assertOpen(method, path, err);
        if (attempt >= this.retries) throw this.unreachable(err, attempt + 1);
        await this.wait(backoffDelay(attempt, this.backoffBaseMs, this.backoffCapMs));
        continue;
      }
      if (!RETRY_STATUSES.has(res.status) || attempt >= this.retries) return res;
      const retryAfter = RETRY_AFTER_STATUSES.has(res.status)
        ? parseRetryAfter(res.headers.get('retry-after'))
        : undefined;
      await this.wait(
        retryAfter === undefined
          ? backoffDelay(attempt, this.backoffBaseMs, this.backoffCapMs)
          : Math.min(retryAfter, this.maxRetryAfterMs),
      );
    }
  }

  private async attempt(
    method: string,
    url: URL,
    headers: Record<string, string>,
    body: string | Uint8Array | undefined,
  ): Promise<Exchange> {
    const signal = AbortSignal.any([this.closed.signal, AbortSignal.timeout(this.timeoutMs)]);
    const res = await this.fetch(url, {
      method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal,
    });
    // Read the body inside the attempt, so that a connection reset mid-body is retried too.
    const bytes = new Uint8Array(await res.arrayBuffer());
    return { method, path: url.pathname, status: res.status, headers: res.headers, body: bytes };
  }

  private url(path: string, query: Query | undefined): URL {
    const url = new URL(`${this.baseUrl}${path.startsWith('/') ? path : `/${path}`}`);
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value === undefined) continue;
      for (const item of Array.isArray(value) ? value : [value]) {
        url.searchParams.append(key, String(item));
      }
    }
    return url;
  }

  private async wait(ms: number): Promise<void> {
    try {
      await sleep(ms, undefined, { signal: this.closed.signal });
    } catch {
      // Aborted by close(): the loop's next assertOpen says so.
    }
  }

  private assertOpen(method: string, path: string, cause?: unknown): void {
    if (!this.closed.signal.aborted) return;
    throw new MlopsError(
      'INVALID_STATE',
      `The HTTP client for ${this.baseUrl} is closed; ${method} ${path} was not sent or not answered.`,
      { cause, details: { method, path } },
    );
  }

  private unreachable(err: unknown, attempts: number): MlopsError {
    return new MlopsError(
      'TEMPORARILY_UNAVAILABLE',
      `Cannot reach the tracking server at ${this.baseUrl}: ${describeCause(err)}. Start it with \`mlops server\` or check MLOPS_TRACKING_URI.`,
      { cause: err, details: { url: this.baseUrl, attempts } },
    );
  }
}

/**
 * A transport with credentials from the environment: `MLOPS_TRACKING_TOKEN`, else
 * `MLFLOW_TRACKING_TOKEN` (Bearer), else `MLFLOW_TRACKING_USERNAME` and `MLFLOW_TRACKING_PASSWORD`
 * (Basic).
 */
export function transportFromEnv(
  baseUrl: string,
  options: Omit<HttpTransportOptions, 'baseUrl' | 'token' | 'username' | 'password'> & {
    readonly env?: Readonly<Record<string, string | undefined>>;
  } = {},
): HttpTransport {
  const { env = process.env, ...rest } = options;
  const token = env['MLOPS_TRACKING_TOKEN'] || env['MLFLOW_TRACKING_TOKEN'];
  const username = env['MLFLOW_TRACKING_USERNAME'];
  const password = env['MLFLOW_TRACKING_PASSWORD'];
  if (!token && Boolean(username) !== Boolean(password)) {
    // Half a credential would silently send none, and the server's 401 would not say why.
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `${username ? 'MLFLOW_TRACKING_USERNAME' : 'MLFLOW_TRACKING_PASSWORD'} is set but ${username ? 'MLFLOW_TRACKING_PASSWORD' : 'MLFLOW_TRACKING_USERNAME'} is not: set both for HTTP Basic, or set MLOPS_TRACKING_TOKEN instead.`,
    );
  }
  return new HttpTransport({
    ...rest,
    baseUrl,
    ...(token ? { token } : {}),
    ...(!token && username && password ? { username, password } : {}),
  });
}

/** Backoff before retry number `attempt + 1`: base * 2^attempt, capped, then half of it jittered. */
export function backoffDelay(
  attempt: number,
  baseMs: number,
  capMs: number,
  random: () => number = Math.random,
): number {
  const full = Math.min(capMs, baseMs * 2 ** attempt);
  return full / 2 + (random() * full) / 2;
}

/** `Retry-After` in ms: delta seconds or an HTTP date; `undefined` when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The status's code when the server sent none of ours (MLflow's client maps the same way). */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHENTICATED';
    case 403:
      return 'PERMISSION_DENIED';
    case 404:
      return 'ENDPOINT_NOT_FOUND';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 408:
    case 429:
    case 502:
    case 503:
    case 504:
      return 'TEMPORARILY_UNAVAILABLE';
    default:
      return status >= 500 ? 'INTERNAL_ERROR' : 'BAD_REQUEST';
  }
}

function ok(res: Exchange): Exchange {
  if (res.status >= 200 && res.status < 300) return res;
  throw errorFrom(res);
}

/** `{error_code, message}` -> MlopsError; a code we do not know is mapped from the status. */
function errorFrom(res: Exchange): MlopsError {
  const text = new TextDecoder().decode(res.body);
  let parsed: unknown;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const wire = isRecord(parsed) ? parsed : {};
  const remoteCode = typeof wire['error_code'] === 'string' ? wire['error_code'] : undefined;
  const known = remoteCode !== undefined && Object.hasOwn(ERROR_CODES, remoteCode);
  const code = known ? (remoteCode as ErrorCode) : codeForStatus(res.status);
  const message =
    typeof wire['message'] === 'string' && wire['message'] !== ''
      ? wire['message']
      : fallbackMessage(res, text);
  const details: Record<string, unknown> = {
    method: res.method,
    path: res.path,
    status: res.status,
  };
  if (remoteCode !== undefined && !known) details['errorCode'] = remoteCode;
  return new MlopsError(code, message, { details });
}

function fallbackMessage(res: Exchange, text: string): string {
  const what = `${res.method} ${res.path} answered HTTP ${res.status}`;
  if (res.status === 404) {
    return `${what}: no such route. Is the server an mlops server of this version?`;
  }
  const snippet = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  return snippet ? `${what}: ${snippet}` : `${what}.`;
}

function json<T>(res: Exchange): T {
  if (res.body.byteLength === 0) return {} as T;
  const text = new TextDecoder().decode(res.body);
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new MlopsError(
      'INTERNAL_ERROR',
      `${res.method} ${res.path} answered HTTP ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`,
      { cause: err, details: { method: res.method, path: res.path, status: res.status } },
    );
  }
}

function jsonBody(body: unknown): Outgoing {
  return { body: JSON.stringify(body), contentType: 'application/json' };
}

function parseBaseUrl(baseUrl: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(baseUrl);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new MlopsError(
      'UNSUPPORTED_URI',
      `Not an http(s) URL for a tracking server: ${JSON.stringify(baseUrl.replace(/\/\/[^@/]*@/, '//***@'))}.`,
    );
  }
  url.search = '';
  url.hash = '';
  return url;
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `HTTP transport option ${name} must be an integer >= 0, got ${value}.`,
    );
  }
  return value;
}

/** The innermost useful words of a fetch failure: `connect ECONNREFUSED 127.0.0.1:5000`. */
function describeCause(err: unknown): string {
  let current: unknown = err;
  let best = err instanceof Error ? err.message : String(err);
  for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (current.message) best = current.message;
    else if (typeof code === 'string') best = code;
    if (current.name === 'TimeoutError') return 'no answer within the request timeout';
    current =
      current instanceof AggregateError && current.errors.length > 0
        ? current.errors[0]
        : current.cause;
  }
  return best;
}

function safeDecode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

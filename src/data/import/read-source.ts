import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MlopsError, invalidParam } from '../../core/index.js';
import { errnoOf, ioError, isNotFound } from '../fs-errors.js';

export const DEFAULT_FETCH_TIMEOUT_MS = 30_000;
/** Sources are read into memory to be merged; larger ones are refused. */
export const DEFAULT_MAX_SOURCE_BYTES = 1024 * 1024 * 1024;

export interface ReadSourceOptions {
  /** Relative file paths resolve against this. */
  readonly cwd: string;
  /** For http(s): the whole answer (headers and body) must arrive within this; default 30 s. */
  readonly timeoutMs?: number;
  /** Default 1 GiB. */
  readonly maxBytes?: number;
}

/** The bytes of an import source. */
export interface SourceBytes {
  readonly bytes: Buffer;
  /**
   * How to name the source in messages and records: the URL with any password, user name and
   * secret-looking query values (`token`, `key`, `sig`, ...) replaced by `***`, or the file path.
   */
  readonly name: string;
  readonly kind: 'file' | 'url';
}

/**
 * Reads an import source: an `http://` or `https://` URL (Node's fetch, redirects followed, with a
 * timeout), a `file:` URL, or a file path. Errors name the source (a URL redacted) and the cause.
 *
 * @throws MlopsError RESOURCE_DOES_NOT_EXIST for a missing file or an HTTP 404/410; IO_ERROR for
 *   other HTTP statuses, an unreachable server, a timeout or a failed read; UNSUPPORTED_URI for
 *   another URL scheme; INVALID_PARAMETER_VALUE for a directory or a source over `maxBytes`.
 */
export async function readSource(source: string, options: ReadSourceOptions): Promise<SourceBytes> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_SOURCE_BYTES;
  if (/^https?:\/\//i.test(source)) {
    return {
      bytes: await fetchBytes(source, options.timeoutMs ?? DEFAULT_FETCH_TIMEOUT_MS, maxBytes),
      name: redactUrl(source),
      kind: 'url',
    };
  }
  if (/^file:/i.test(source)) {
    let path: string;
    try {
      path = fileURLToPath(source);
    } catch (err) {
      throw invalidParam(`Cannot read ${source}: ${(err as Error).message}.`);
    }
    return { bytes: await readLocal(path, source, maxBytes), name: path, kind: 'file' };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(source)) {
    throw new MlopsError(
      'UNSUPPORTED_URI',
      `Cannot import from ${redactUrl(source)}: only http://, https://, file: URLs and file paths are supported.`,
    );
  }
  return {
    bytes: await readLocal(resolve(options.cwd, source), source, maxBytes),
    name: source,
    kind: 'file',
  };
}

async function readLocal(path: string, shown: string, maxBytes: number): Promise<Buffer> {
  try {
    const stats = await stat(path);
    if (stats.isDirectory()) {
      throw invalidParam(`Cannot import ${shown}: it is a directory; name a CSV file.`, {
        source: shown,
      });
    }
    if (stats.size > maxBytes) throw tooLarge(shown, maxBytes);
    return await readFile(path);
  } catch (err) {
    if (isNotFound(err)) {
      throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `Cannot import ${shown}: no such file.`, {
        cause: err,
        details: { source: shown },
      });
    }
    throw ioError('read', shown, err);
  }
}

async function fetchBytes(url: string, timeoutMs: number, maxBytes: number): Promise<Buffer> {
  const shown = redactUrl(url);
  const signal = AbortSignal.timeout(timeoutMs);
  const failed = (err: unknown) => {
    if (MlopsError.is(err)) return err;
    const why = signal.aborted
      ? `no complete answer within ${formatSeconds(timeoutMs)}`
      : describeFetchError(err);
    return new MlopsError('IO_ERROR', `Cannot fetch ${shown}: ${why}.`, {
      cause: err,
      details: { source: shown },
    });
  };
  let response: Response;
  try {
    response = await fetch(url, { signal, redirect: 'follow' });
  } catch (err) {
    throw failed(err);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => undefined);
    const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
    throw new MlopsError(
      response.status === 404 || response.status === 410 ? 'RESOURCE_DOES_NOT_EXIST' : 'IO_ERROR',
      `Cannot fetch ${shown}: the server answered HTTP ${status}.`,
      { details: { source: shown, status: response.status } },
    );
  }
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(shown, maxBytes);
  }
  const pieces: Buffer[] = [];
  let size = 0;
  try {
    if (response.body) {
      for await (const piece of response.body) {
        size += piece.byteLength;
        if (size > maxBytes) throw tooLarge(shown, maxBytes);
        pieces.push(Buffer.from(piece));
      }
    }
  } catch (err) {
    throw failed(err);
  }
  return Buffer.concat(pieces);
}

function tooLarge(shown: string, maxBytes: number): MlopsError {
  return invalidParam(
    `Cannot import ${shown}: larger than ${Math.round(maxBytes / 1024 / 1024)} MiB, the most an import reads into memory.`,
    { source: shown, maxBytes },
  );
}

/** `fetch failed` says nothing; the cause (ECONNREFUSED, ENOTFOUND, a TLS error) does. */
function describeFetchError(err: unknown): string {
  const cause = (err as { cause?: unknown } | null)?.cause;
  const inner =
    cause instanceof AggregateError && cause.errors.length > 0 ? cause.errors[0] : cause;
  const code = errnoOf(inner);
  const message = inner instanceof Error ? inner.message : undefined;
  const base = message ?? (err instanceof Error ? err.message : String(err));
  const hint =
    code === 'ECONNREFUSED'
      ? ' (is the server running, and are the host and port right?)'
      : code === 'ENOTFOUND' || code === 'EAI_AGAIN'
        ? ' (the host name does not resolve)'
        : '';
  return `${code !== undefined && !base.includes(code) ? `${code}: ` : ''}${base}${hint}`;
}

function formatSeconds(ms: number): string {
  return `${Number((ms / 1000).toPrecision(3))} s`;
}

const SECRET_PARAM = /token|key|secret|sig|pass|auth|credential|session/i;

/** `url` without its password, user name and secret-looking query values. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url;
  }
  if (parsed.username !== '') parsed.username = '***';
  if (parsed.password !== '') parsed.password = '***';
  for (const name of [...new Set(parsed.searchParams.keys())]) {
    if (SECRET_PARAM.test(name)) parsed.searchParams.set(name, '***');
  }
  return parsed.href.replaceAll('%2A%2A%2A', '***');
}

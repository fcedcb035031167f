import { invalidParam, MlopsError } from '../../core/index.js';

/** `redis://:secret@host` -> `redis://:***@host`: URLs in messages never show a password. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href.replace('%2A%2A%2A', '***');
  } catch {
    return url;
  }
}

/** Refuses anything but `redis://` and `rediss://` URLs (before any connection). */
export function checkRedisUrl(url: string): void {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (!parsed || (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:')) {
    throw invalidParam(
      `Invalid Redis URL ${JSON.stringify(redactRedisUrl(url))}: expected redis://host:port (or rediss:// for TLS).`,
      { url: redactRedisUrl(url) },
    );
  }
}

/**
 * Connects once to `url` and pings, giving up after `timeoutMs`: BullMQ itself retries a dead
 * Redis forever, which would leave `mlops worker` or `repro` waiting silently.
 */
export async function checkRedis(url: string, timeoutMs = 5_000): Promise<void> {
  checkRedisUrl(url);
  const { Redis } = await import('ioredis');
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // The connection's own error (ECONNREFUSED...) says more than connect()'s "Connection is closed".
  let first: Error | undefined;
  client.on('error', (err: Error) => (first ??= err));
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    const reason = (first ?? (err instanceof Error ? err : undefined))?.message ?? String(err);
    throw new MlopsError(
      'DATABASE_UNREACHABLE',
      `Cannot reach Redis at ${redactRedisUrl(url)} (${reason}). Start Redis there, or point mlops at yours with --redis-url or MLOPS_REDIS_URL.`,
      { cause: err, details: { url: redactRedisUrl(url) } },
    );
  } finally {
    // A connection that failed is closed already; disconnecting again would arm ioredis's 2 s
    // timer to destroy a socket that is gone, keeping the process alive for nothing.
    if (client.status !== 'end') client.disconnect();
  }
}

/** The Redis the queue tests use (`MLOPS_TEST_REDIS_URL`). */
export const REDIS_TEST_URL = process.env['MLOPS_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

let probe: Promise<string | undefined> | undefined;

/**
 * Resolves to undefined when Redis answers at `REDIS_TEST_URL`, else to the reason it does not.
 * Suites use it with `describe.skipIf`; with MLOPS_REQUIRE_REDIS=1 an unreachable Redis is an
 * error instead.
 */
export function redisUnavailable(): Promise<string | undefined> {
  probe ??= (async () => {
    const { checkRedis } = await import('../pipeline/index.js');
    try {
      await checkRedis(REDIS_TEST_URL, 3_000);
      return undefined;
    } catch (err) {
      const reason = `${(err as Error).message} Tests: set MLOPS_TEST_REDIS_URL.`;
      if (process.env['MLOPS_REQUIRE_REDIS'] === '1') throw new Error(reason, { cause: err });
      console.warn(`skipping Redis tests: ${reason}`);
      return reason;
    }
  })();
  return probe;
}

/** Deletes the keys matching `pattern` (a queue's: `mlops:<queue>:*`) from the test Redis. */
export async function dropRedisKeys(pattern: string): Promise<void> {
  const { Redis } = await import('ioredis');
  const redis = new Redis(REDIS_TEST_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
  }
}

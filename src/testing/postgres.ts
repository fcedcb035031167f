import { randomBytes } from 'node:crypto';

/** Base URL of the test PostgreSQL (`MLOPS_TEST_PG_URL`). */
export const PG_BASE_URL =
  process.env['MLOPS_TEST_PG_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/test';

let probe: Promise<string | undefined> | undefined;

/**
 * Resolves to undefined when PostgreSQL answers, else to the reason it does not. Suites use it
 * with `describe.skipIf`; `.ci/run` sets MLOPS_REQUIRE_PG=1 so that a skip there is a failure.
 */
export function postgresUnavailable(): Promise<string | undefined> {
  probe ??= (async () => {
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: PG_BASE_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } catch (err) {
      const reason = `PostgreSQL at ${PG_BASE_URL} is unreachable (${(err as Error).message}); set MLOPS_TEST_PG_URL`;
      if (process.env['MLOPS_REQUIRE_PG'] === '1') throw new Error(reason);
      console.warn(`skipping PostgreSQL tests: ${reason}`);
      return reason;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return probe;
}

/** A URL on a fresh schema of its own, so test files can run in parallel; and its cleanup. */
export function freshPostgresUrl(prefix: string): { url: string; drop(): Promise<void> } {
  const schema = `${prefix}_${randomBytes(5).toString('hex')}`.toLowerCase();
  const url = new URL(PG_BASE_URL);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    async drop() {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: PG_BASE_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

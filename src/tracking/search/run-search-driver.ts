import { sql, type Kysely } from 'kysely';
import type { Schema } from '../../storage/index.js';
import type { Comparison } from './ast.js';
import { compareNumber, compareString } from './sql-conditions.js';

const TABLES = { metric: 'latest_metrics', param: 'params', tag: 'tags' } as const;

/**
 * Picks which comparison SQLite should read first (see `RunQueryPlan.driver`). SQLite has no
 * statistics unless ANALYZE ran, and then guesses join orders that can be 10x off; so this counts,
 * on covering indexes only, the runs of the experiments and the rows each indexable comparison
 * matches (`=` on any key, ranges on metrics), capped at the best count so far, and drives from
 * the smallest when it is well below the run count. Costs well under a millisecond at 25k runs.
 * PostgreSQL plans from its own statistics and skips this.
 */
export async function chooseDriver(
  db: Kysely<Schema>,
  experimentIds: readonly number[],
  filters: readonly Comparison[],
): Promise<number | undefined> {
  // A run_id equality or IN list is reached through the runs primary key; nothing beats it.
  if (filters.some((f) => f.key === 'run_id' && (f.comparator === '=' || f.comparator === 'IN'))) {
    return undefined;
  }
  const candidates = filters
    .map((filter, index) => ({ filter, index }))
    .filter(({ filter }) => isIndexable(filter));
  if (candidates.length === 0) return undefined;
  // Equalities first: they are usually the most selective, which makes the later caps tight.
  candidates.sort(
    (a, b) => Number(b.filter.comparator === '=') - Number(a.filter.comparator === '='),
  );

  const ids = sql.join(experimentIds.map((id) => sql`${id}`));
  const runs = await count(sql`select 1 from ${sql.table('runs')} where experiment_id in (${ids})`);
  // Reading from the index costs one more row lookup per match than scanning the runs: only
  // drive from it when it matches clearly fewer rows.
  let best = Math.floor(runs / 2);
  let choice: number | undefined;
  for (const { filter, index } of candidates) {
    const n = await count(
      sql`select 1 from ${sql.table(TABLES[filter.entity as keyof typeof TABLES])}
        where key = ${filter.key} and ${rangeTest(filter)} limit ${best}`,
    );
    if (n < best) {
      best = n;
      choice = index;
    }
  }
  return choice;

  async function count(rows: ReturnType<typeof sql>): Promise<number> {
    const result = await sql<{ n: number }>`select count(*) as n from (${rows}) as c`.execute(db);
    return Number(result.rows[0]?.n ?? 0);
  }
}

function isIndexable(filter: Comparison): boolean {
  if (filter.entity === 'metric') return filter.kind === 'number' && filter.comparator !== '!=';
  return (filter.entity === 'param' || filter.entity === 'tag') && filter.comparator === '=';
}

/** The comparison on `value` alone (the is_nan test would leave the covering index). */
function rangeTest(filter: Comparison): ReturnType<typeof sql> {
  const value = sql.ref('value');
  if (filter.kind === 'number') return compareNumber(value, filter.comparator, filter.value);
  if (filter.kind === 'string')
    return compareString('sqlite', value, filter.comparator, filter.value);
  return sql`1 = 0`;
}

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../storage/index.js';
import type { OrderBy } from './ast.js';
import { parseRunFilter } from './run-grammar.js';
import { chooseDriver } from './run-search-driver.js';
import { runIdQuery, type RunQueryPlan } from './run-search-sql.js';

// The benchmark's shape, smaller: experiment 1 has 3000 runs, experiment 2 has 30; p1 is
// uniform over a..j, m1 and m2 uniform over [0, 1).
const BIG = 3000;
const SMALL = 30;
const BENCH_FILTER = "metrics.m1 < 0.5 and params.p1 = 'a'";
const BY_M2: OrderBy[] = [{ entity: 'metric', key: 'm2', ascending: true }];

async function seed(database: Database): Promise<void> {
  let state = 7;
  const rand = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  await database.write(async (db) => {
    for (const [exp, count] of [
      [1, BIG],
      [2, SMALL],
    ] as const) {
      await db
        .insertInto('experiments')
        .values({
          experiment_id: exp,
          name: `e${exp}`,
          artifact_location: '',
          lifecycle_stage: 'active',
          creation_time: 0,
          last_update_time: 0,
        })
        .execute();
      for (let start = 0; start < count; start += 250) {
        const ids = Array.from(
          { length: Math.min(250, count - start) },
          (_, i) => `e${exp}r${start + i}`,
        );
        await db
          .insertInto('runs')
          .values(
            ids.map((id, i) => ({
              run_uuid: id,
              name: id,
              experiment_id: exp,
              user_id: 'u',
              status: 'FINISHED',
              start_time: start + i,
              end_time: null,
              source_type: 'LOCAL',
              source_name: '',
              lifecycle_stage: 'active',
              artifact_uri: '',
              deleted_time: null,
            })),
          )
          .execute();
        await db
          .insertInto('params')
          .values(
            ids.map((id) => ({
              run_uuid: id,
              key: 'p1',
              value: 'abcdefghij'[Math.floor(rand() * 10)] ?? 'a',
            })),
          )
          .execute();
        await db
          .insertInto('latest_metrics')
          .values(
            ids.flatMap((id) =>
              ['m1', 'm2'].map((key) => ({
                run_uuid: id,
                key,
                value: rand(),
                timestamp: 0,
                step: 0,
                is_nan: 0,
              })),
            ),
          )
          .execute();
      }
    }
  });
}

describe('run search query plans on SQLite', () => {
  let database: Database;
  beforeAll(async () => {
    database = await openDatabase('sqlite::memory:');
    await seed(database);
  });
  afterAll(() => database.close());

  const plan = (over: Partial<RunQueryPlan>): RunQueryPlan => ({
    dialect: 'sqlite',
    experimentIds: [1],
    lifecycleStage: 'active',
    filters: parseRunFilter(BENCH_FILTER),
    orderBy: BY_M2,
    driver: undefined,
    limit: 1001,
    offset: 0,
    ...over,
  });
  const explain = async (p: RunQueryPlan): Promise<string[]> => {
    const { rows } = await sql<{ detail: string }>`explain query plan ${runIdQuery(p)}`.execute(
      database.db,
    );
    return rows.map((r) => r.detail);
  };
  const run = async (p: RunQueryPlan) => (await runIdQuery(p).execute(database.db)).rows;

  it('drives the benchmark query from the params (key, value) index, scanning nothing', async () => {
    const filters = parseRunFilter(BENCH_FILTER);
    const driver = await chooseDriver(database.db, [1], filters);
    expect(driver).toBe(1);
    const steps = await explain(plan({ driver }));
    // Index names and COVERING vary with the table layout; the join order and access paths do not.
    expect(steps[0]).toMatch(
      /^SEARCH f1 USING (COVERING )?INDEX params_key_value \(key=\? AND value=\?\)$/,
    );
    expect(
      steps
        .slice(1, 4)
        .map((s) => s.replace(/ USING (PRIMARY KEY|.*?INDEX \S+)/, ' USING <index>')),
    ).toEqual([
      'SEARCH f0 USING <index> (run_uuid=? AND key=?)',
      'SEARCH r USING <index> (run_uuid=?)',
      'SEARCH o0 USING <index> (run_uuid=? AND key=?) LEFT-JOIN',
    ]);
    expect(steps.filter((s) => s.startsWith('SCAN'))).toEqual([]);
  });

  it('keeps that plan after ANALYZE', async () => {
    await sql`analyze`.execute(database.db);
    const driver = await chooseDriver(database.db, [1], parseRunFilter(BENCH_FILTER));
    expect((await explain(plan({ driver })))[0]).toContain('params_key_value');
  });

  it('reads the runs first when the experiment is smaller than any filter match', async () => {
    const driver = await chooseDriver(database.db, [2], parseRunFilter(BENCH_FILTER));
    expect(driver).toBeUndefined();
    const steps = await explain(plan({ experimentIds: [2] }));
    expect(steps[0]).toBe('SEARCH r USING INDEX runs_experiment_start (experiment_id=?)');
  });

  it('reads the runs primary key for run_id comparisons', async () => {
    const filters = parseRunFilter("run_id IN ('e1r1', 'e1r2') and params.p1 = 'a'");
    expect(await chooseDriver(database.db, [1], filters)).toBeUndefined();
    const steps = await explain(plan({ filters }));
    expect(steps[0]).toBe('SEARCH r USING INDEX sqlite_autoindex_runs_1 (run_uuid=?)');
  });

  it('drives from a selective metric range too', async () => {
    const filters = parseRunFilter('metrics.m2 > 0.99 and metrics.m1 < 0.5');
    expect(await chooseDriver(database.db, [1], filters)).toBe(0);
  });

  it('answers the same whichever comparison drives', async () => {
    const expected = await run(plan({ driver: undefined }));
    expect(expected.length).toBeGreaterThan(50);
    expect(await run(plan({ driver: 0 }))).toEqual(expected);
    expect(await run(plan({ driver: 1 }))).toEqual(expected);
  });
});

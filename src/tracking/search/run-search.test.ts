import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { openDatabase, type Database } from '../../storage/index.js';
import { freshPostgresUrl, postgresUnavailable } from '../../testing/index.js';
import type { SearchRunsInput } from '../tracking-store.js';
import { searchRunIds } from './index.js';

interface RunFixture {
  id: string;
  name: string;
  start: number;
  end?: number;
  status?: string;
  user?: string;
  experiment?: number;
  deleted?: boolean;
  params?: Record<string, string>;
  tags?: Record<string, string>;
  metrics?: Record<string, number>;
}

// Exp 1 holds r1..r4 (active) and r5 (deleted); r6 is in exp 2. Keys some runs lack, NaN, mixed
// case and GLOB/LIKE special characters make every rule below observable.
const RUNS: RunFixture[] = [
  {
    id: 'r1',
    name: 'alpha',
    start: 1000,
    end: 2000,
    status: 'FINISHED',
    user: 'ann',
    params: { model: 'LSTM', lr: '0.1' },
    tags: {
      team: 'Vision',
      'mlflow.user': 'ann',
      'user-name': 'Tom Smith',
      city: 'Zürich',
      pattern: 'a*b?[c]',
    },
    metrics: { rmse: 0.5, acc: 0.9, 'f1 score': 0.7 },
  },
  {
    id: 'r2',
    name: 'beta',
    start: 2000,
    status: 'RUNNING',
    user: 'bob',
    params: { model: 'lstm', lr: '0.01' },
    tags: { team: 'vision', city: 'ZÜRICH', pattern: 'aXbY[c]' },
    metrics: { rmse: 0.3, acc: NaN },
  },
  {
    id: 'r3',
    name: 'gamma',
    start: 3000,
    end: 3500,
    status: 'FAILED',
    user: 'ann',
    params: { model: 'ridge' },
    tags: { team: 'nlp' },
    metrics: { rmse: 0.8 },
  },
  {
    id: 'r4',
    name: 'delta',
    start: 4000,
    end: 4100,
    status: 'FINISHED',
    user: 'cid',
    params: { model: 'lstm_v2', lr: '0.1' },
    tags: { team: 'Vision%' },
    metrics: { rmse: -1, acc: 0.95 },
  },
  { id: 'r5', name: 'eps', start: 5000, deleted: true, params: { model: 'LSTM' } },
  { id: 'r6', name: 'zeta', start: 6000, experiment: 2, params: { model: 'LSTM' } },
];

async function seed(database: Database): Promise<void> {
  await database.write(async (db) => {
    for (const id of [1, 2]) {
      await db
        .insertInto('experiments')
        .values({
          experiment_id: id,
          name: `exp-${id}`,
          artifact_location: `a/${id}`,
          lifecycle_stage: 'active',
          creation_time: id,
          last_update_time: id,
        })
        .execute();
    }
    for (const run of RUNS) {
      await db
        .insertInto('runs')
        .values({
          run_uuid: run.id,
          name: run.name,
          experiment_id: run.experiment ?? 1,
          user_id: run.user ?? 'u',
          status: run.status ?? 'RUNNING',
          start_time: run.start,
          end_time: run.end ?? null,
          source_type: 'LOCAL',
          source_name: '',
          lifecycle_stage: run.deleted ? 'deleted' : 'active',
          artifact_uri: `mlflow-artifacts:/1/${run.id}/artifacts`,
          deleted_time: null,
        })
        .execute();
      for (const [table, values] of [
        ['params', run.params],
        ['tags', run.tags],
      ] as const) {
        for (const [key, value] of Object.entries(values ?? {})) {
          await db.insertInto(table).values({ run_uuid: run.id, key, value }).execute();
        }
      }
      for (const [key, value] of Object.entries(run.metrics ?? {})) {
        const isNan = Number.isNaN(value);
        await db
          .insertInto('latest_metrics')
          .values({
            run_uuid: run.id,
            key,
            value: isNan ? 0 : value,
            timestamp: 1,
            step: 0,
            is_nan: isNan ? 1 : 0,
          })
          .execute();
      }
    }
  });
}

function runSearchBehaviour(open: () => Promise<{ database: Database; cleanup(): Promise<void> }>) {
  let database: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ database, cleanup } = await open());
    await seed(database);
  });
  afterAll(() => cleanup());

  const search = (input: Partial<SearchRunsInput>) =>
    searchRunIds(database.db, database.dialect, { experimentIds: ['1'], ...input });
  const ids = async (input: Partial<SearchRunsInput>) => (await search(input)).runIds;
  const filtered = (filter: string) => ids({ filter });
  const ordered = (...orderBy: string[]) => ids({ orderBy });
  const failure = async (input: Partial<SearchRunsInput>): Promise<MlopsError> => {
    try {
      await search(input);
    } catch (err) {
      if (MlopsError.is(err) && err.code === 'INVALID_PARAMETER_VALUE') return err;
      throw err;
    }
    throw new Error('expected INVALID_PARAMETER_VALUE');
  };

  it('returns the active runs of the experiments, newest first, for an empty filter', async () => {
    expect(await ids({})).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(await ids({ experimentIds: ['1', '2'] })).toEqual(['r6', 'r4', 'r3', 'r2', 'r1']);
    expect(await ids({ experimentIds: [] })).toEqual([]);
  });

  it('honours the view type', async () => {
    expect(await ids({ viewType: 'ACTIVE_ONLY' })).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(await ids({ viewType: 'DELETED_ONLY' })).toEqual(['r5']);
    expect(await ids({ viewType: 'ALL' })).toEqual(['r5', 'r4', 'r3', 'r2', 'r1']);
  });

  it('compares metrics; a NaN matches only != and a run without the metric never', async () => {
    expect(await filtered('metrics.rmse < 0.6')).toEqual(['r4', 'r2', 'r1']);
    expect(await filtered('metrics.rmse <= 0.5')).toEqual(['r4', 'r2', 'r1']);
    expect(await filtered('metrics.rmse > 0.5')).toEqual(['r3']);
    expect(await filtered('metrics.rmse >= 0.5')).toEqual(['r3', 'r1']);
    expect(await filtered('metrics.rmse = -1')).toEqual(['r4']);
    expect(await filtered('metrics.acc > 0')).toEqual(['r4', 'r1']);
    expect(await filtered('metrics.acc != 0.9')).toEqual(['r4', 'r2']);
    expect(await filtered('metrics.acc = 0')).toEqual([]);
    expect(await filtered('metrics."f1 score" >= 0.7')).toEqual(['r1']);
  });

  it('compares params and tags; a run without the key never matches, even for !=', async () => {
    expect(await filtered("params.model = 'lstm'")).toEqual(['r2']);
    expect(await filtered("params.lr != '0.1'")).toEqual(['r2']);
    expect(await filtered("tags.`mlflow.user` = 'ann'")).toEqual(['r1']);
    expect(await filtered("tags.team != 'nlp'")).toEqual(['r4', 'r2', 'r1']);
  });

  it('makes LIKE case-sensitive and ILIKE case-insensitive', async () => {
    expect(await filtered("params.model LIKE 'lstm%'")).toEqual(['r4', 'r2']);
    expect(await filtered("params.model ILIKE 'lstm%'")).toEqual(['r4', 'r2', 'r1']);
    expect(await filtered("params.model LIKE 'LSTM'")).toEqual(['r1']);
    expect(await filtered("tags.team ILIKE 'VISION'")).toEqual(['r2', 'r1']);
    expect(await filtered('tags."user-name" ILIKE \'%tom%\'')).toEqual(['r1']);
    expect(await filtered("tags.city ILIKE 'zürich'")).toEqual(['r2', 'r1']);
    expect(await filtered("tags.city LIKE 'Zürich'")).toEqual(['r1']);
  });

  it('gives % _ and \\ their LIKE meaning and nothing else special', async () => {
    expect(await filtered("params.model LIKE 'lst_'")).toEqual(['r2']);
    expect(await filtered("params.model LIKE 'lstm\\_%'")).toEqual(['r4']);
    expect(await filtered("tags.team LIKE 'Vision\\%'")).toEqual(['r4']);
    expect(await filtered("tags.team LIKE 'Vision%'")).toEqual(['r4', 'r1']);
    expect(await filtered("tags.pattern LIKE 'a*b?[c]'")).toEqual(['r1']);
    expect(await filtered("tags.pattern ILIKE 'A*B?[C]'")).toEqual(['r1']);
    expect(await filtered("tags.pattern LIKE 'a_b_[c]'")).toEqual(['r2', 'r1']);
  });

  it('filters on attributes', async () => {
    expect(await filtered("attributes.status = 'FINISHED'")).toEqual(['r4', 'r1']);
    expect(await filtered("run_name = 'beta'")).toEqual(['r2']);
    expect(await filtered("`Run Name` LIKE '%ta'")).toEqual(['r4', 'r2']);
    expect(await filtered("user_id != 'ann'")).toEqual(['r4', 'r2']);
    expect(await filtered("attributes.user_id ILIKE 'ANN'")).toEqual(['r3', 'r1']);
    expect(await filtered("artifact_uri LIKE '%/r3/%'")).toEqual(['r3']);
    expect(await filtered('created >= 3000')).toEqual(['r4', 'r3']);
    expect(await filtered('attributes.start_time = 2000')).toEqual(['r2']);
    expect(await filtered('end_time < 3000')).toEqual(['r1']);
    expect(await filtered('end_time > 1.5')).toEqual(['r4', 'r3', 'r1']);
    expect(await filtered("run_id IN ('r1', 'r3', 'r6')")).toEqual(['r3', 'r1']);
    expect(await filtered("attributes.run_id NOT IN ('r1', 'r2')")).toEqual(['r4', 'r3']);
    expect(await filtered("run_id = 'r2' and metrics.rmse < 1")).toEqual(['r2']);
  });

  it('combines comparisons with AND', async () => {
    expect(await filtered("metrics.rmse < 0.6 and params.model ILIKE 'lstm%'")).toEqual([
      'r4',
      'r2',
      'r1',
    ]);
    expect(
      await filtered("metrics.rmse < 0.6 and params.lr = '0.1' and tags.team LIKE 'Vision%'"),
    ).toEqual(['r4', 'r1']);
    expect(await filtered('metrics.rmse > 0 and metrics.rmse < 0.4')).toEqual(['r2']);
  });

  it('orders by metrics: NaN after numbers, missing last, in both directions', async () => {
    expect(await ordered('metrics.acc DESC')).toEqual(['r4', 'r1', 'r2', 'r3']);
    expect(await ordered('metrics.acc')).toEqual(['r1', 'r4', 'r2', 'r3']);
    expect(await ordered('metrics.rmse ASC')).toEqual(['r4', 'r2', 'r1', 'r3']);
  });

  it('orders by params and tags in byte order, missing last, ties by start_time DESC', async () => {
    expect(await ordered('params.lr')).toEqual(['r2', 'r4', 'r1', 'r3']);
    expect(await ordered('params.lr DESC')).toEqual(['r4', 'r1', 'r2', 'r3']);
    expect(await ordered('tags.team')).toEqual(['r1', 'r4', 'r3', 'r2']);
    expect(await ordered('tags.team DESC')).toEqual(['r2', 'r3', 'r4', 'r1']);
  });

  it('orders by attributes, a missing end_time last', async () => {
    expect(await ordered('attributes.end_time')).toEqual(['r1', 'r3', 'r4', 'r2']);
    expect(await ordered('end_time DESC')).toEqual(['r4', 'r3', 'r1', 'r2']);
    expect(await ordered('run_name')).toEqual(['r1', 'r2', 'r4', 'r3']);
    expect(await ordered('start_time ASC')).toEqual(['r1', 'r2', 'r3', 'r4']);
    expect(await ordered('created DESC')).toEqual(['r4', 'r3', 'r2', 'r1']);
    expect(await ordered('status', 'run_id DESC')).toEqual(['r3', 'r4', 'r1', 'r2']);
  });

  it('orders by several keys in turn', async () => {
    expect(await ordered('params.lr DESC', 'metrics.rmse')).toEqual(['r4', 'r1', 'r2', 'r3']);
    expect(await ids({ filter: "params.model ILIKE 'lstm%'", orderBy: ['tags.team'] })).toEqual([
      'r1',
      'r4',
      'r2',
    ]);
  });

  it('pages with opaque tokens until the last page, which has none', async () => {
    const first = await search({ maxResults: 3 });
    expect(first.runIds).toEqual(['r4', 'r3', 'r2']);
    expect(first.nextPageToken).toEqual(expect.any(String));
    const second = await search({ maxResults: 3, pageToken: first.nextPageToken ?? '' });
    expect(second).toEqual({ runIds: ['r1'] });
    const exact = await search({ maxResults: 4 });
    expect(exact).toEqual({ runIds: ['r4', 'r3', 'r2', 'r1'] });
    const ordered1 = await search({ orderBy: ['metrics.acc DESC'], maxResults: 2 });
    const ordered2 = await search({
      orderBy: ['metrics.acc DESC'],
      maxResults: 2,
      pageToken: ordered1.nextPageToken ?? '',
    });
    expect([...ordered1.runIds, ...ordered2.runIds]).toEqual(['r4', 'r1', 'r2', 'r3']);
    expect(ordered2.nextPageToken).toBeUndefined();
    expect((await search({ pageToken: '' })).runIds).toHaveLength(4);
  });

  it('answers bad input with INVALID_PARAMETER_VALUE', async () => {
    for (const maxResults of [0, -1, 1.5, 50_001]) {
      expect((await failure({ maxResults })).message).toContain('max_results');
    }
    expect((await search({ maxResults: 50_000 })).runIds).toHaveLength(4);
    await failure({ pageToken: 'not a token' });
    await failure({ pageToken: Buffer.from('{"offset":-1}').toString('base64url') });
    await failure({ experimentIds: ['abc'] });
    expect((await failure({ filter: 'metrics.a < 1 or metrics.b > 2' })).message).toMatch(
      /position 15 near 'or'/,
    );
    expect((await failure({ filter: "datasets.name = 'iris'" })).message).toContain(
      'filtering runs by dataset is not supported yet',
    );
    await failure({ orderBy: ['metrics.a', 'metrics.a'] });
    await failure({ orderBy: ['metrics.a sideways'] });
  });
}

describe('searchRunIds on SQLite', () => {
  runSearchBehaviour(async () => {
    const database = await openDatabase('sqlite::memory:');
    return { database, cleanup: () => database.close() };
  });
});

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('searchRunIds on PostgreSQL', () => {
  runSearchBehaviour(async () => {
    const pg = freshPostgresUrl('search_test');
    const database = await openDatabase(pg.url);
    return {
      database,
      cleanup: async () => {
        await database.close();
        await pg.drop();
      },
    };
  });
});

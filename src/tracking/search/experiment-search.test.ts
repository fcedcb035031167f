import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { openDatabase, type Database } from '../../storage/index.js';
import { freshPostgresUrl, postgresUnavailable } from '../../testing/index.js';
import type { SearchExperimentsInput } from '../tracking-store.js';
import { searchExperimentIds } from './index.js';

// Experiment 0 ('Default', created by the migration "now") exists too and sorts first by
// creation_time DESC. 5 and 6 tie on both times, to show the tie-breaks.
const EXPERIMENTS = [
  { id: 1, name: 'prod-a', created: 100, updated: 500, tags: { team: 'ml' } },
  { id: 2, name: 'prod-B', created: 200, updated: 300, tags: { team: 'ML', tier: 'gold' } },
  { id: 3, name: 'dev', created: 300, updated: 100, tags: {} },
  { id: 4, name: 'old-prod', created: 150, updated: 150, tags: {}, deleted: true },
  { id: 5, name: 'tie-1', created: 400, updated: 700, tags: {} },
  { id: 6, name: 'tie-2', created: 400, updated: 700, tags: {} },
];

async function seed(database: Database): Promise<void> {
  await database.write(async (db) => {
    for (const e of EXPERIMENTS) {
      await db
        .insertInto('experiments')
        .values({
          experiment_id: e.id,
          name: e.name,
          artifact_location: `a/${e.id}`,
          lifecycle_stage: e.deleted ? 'deleted' : 'active',
          creation_time: e.created,
          last_update_time: e.updated,
        })
        .execute();
      for (const [key, value] of Object.entries(e.tags)) {
        await db
          .insertInto('experiment_tags')
          .values({ experiment_id: e.id, key, value })
          .execute();
      }
    }
  });
}

function experimentSearchBehaviour(
  open: () => Promise<{ database: Database; cleanup(): Promise<void> }>,
) {
  let database: Database;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ database, cleanup } = await open());
    await seed(database);
  });
  afterAll(() => cleanup());

  const search = (input: SearchExperimentsInput) =>
    searchExperimentIds(database.db, database.dialect, input);
  const ids = async (input: SearchExperimentsInput) => (await search(input)).experimentIds;
  const filtered = (filter: string) => ids({ filter });
  const failure = async (input: SearchExperimentsInput): Promise<MlopsError> => {
    try {
      await search(input);
    } catch (err) {
      if (MlopsError.is(err) && err.code === 'INVALID_PARAMETER_VALUE') return err;
      throw err;
    }
    throw new Error('expected INVALID_PARAMETER_VALUE');
  };

  it('defaults to active experiments by creation_time DESC, then experiment_id ASC', async () => {
    expect(await ids({})).toEqual(['0', '5', '6', '3', '2', '1']);
  });

  it('honours the view type', async () => {
    expect(await ids({ viewType: 'DELETED_ONLY' })).toEqual(['4']);
    expect(await ids({ viewType: 'ALL' })).toEqual(['0', '5', '6', '3', '2', '4', '1']);
  });

  it('filters on the name with = != LIKE ILIKE', async () => {
    expect(await filtered("name = 'dev'")).toEqual(['3']);
    expect(await filtered("name != 'dev' and name LIKE 'prod%'")).toEqual(['2', '1']);
    expect(await filtered("name LIKE 'prod-b'")).toEqual([]);
    expect(await filtered("name ILIKE 'PROD-B'")).toEqual(['2']);
    expect(await filtered("attributes.name LIKE '%prod%'")).toEqual(['2', '1']);
  });

  it('filters on the times with number comparators', async () => {
    expect(await filtered('creation_time > 150 and creation_time <= 300')).toEqual(['3', '2']);
    expect(await filtered("last_update_time < 400 and name != 'dev'")).toEqual(['2']);
    expect(await filtered('last_update_time = 700')).toEqual(['5', '6']);
    expect(await filtered('creation_time != 400 and creation_time >= 100')).toEqual([
      '0',
      '3',
      '2',
      '1',
    ]);
  });

  it('filters on tags; an experiment without the tag never matches', async () => {
    expect(await filtered("tags.team = 'ml'")).toEqual(['1']);
    expect(await filtered("tags.team ILIKE 'ml'")).toEqual(['2', '1']);
    expect(await filtered("tags.team != 'ml'")).toEqual(['2']);
    expect(await filtered("tags.team LIKE 'M%' and tags.tier = 'gold'")).toEqual(['2']);
  });

  it('orders by the given keys, ties broken by experiment_id DESC', async () => {
    expect(await ids({ orderBy: ['name DESC'] })).toEqual(['6', '5', '1', '2', '3', '0']);
    expect(await ids({ orderBy: ['name'] })).toEqual(['0', '3', '2', '1', '5', '6']);
    expect(await ids({ orderBy: ['creation_time DESC'] })).toEqual(['0', '6', '5', '3', '2', '1']);
    expect(await ids({ orderBy: ['last_update_time'] })).toEqual(['3', '2', '1', '6', '5', '0']);
    expect(await ids({ orderBy: ['experiment_id'] })).toEqual(['0', '1', '2', '3', '5', '6']);
    expect(await ids({ orderBy: ['last_update_time DESC', 'experiment_id ASC'] })).toEqual([
      '0',
      '5',
      '6',
      '1',
      '2',
      '3',
    ]);
  });

  it('pages with opaque tokens', async () => {
    const input = { filter: "name LIKE '%-%'", orderBy: ['name ASC'], maxResults: 3 };
    const first = await search(input);
    expect(first.experimentIds).toEqual(['2', '1', '5']);
    const second = await search({ ...input, pageToken: first.nextPageToken ?? '' });
    expect(second).toEqual({ experimentIds: ['6'] });
  });

  it('answers bad input with INVALID_PARAMETER_VALUE', async () => {
    await failure({ maxResults: 0 });
    await failure({ maxResults: 50_001 });
    await failure({ pageToken: '!!' });
    await failure({ filter: 'metrics.a > 1' });
    await failure({ filter: "name = 'a' OR name = 'b'" });
    await failure({ orderBy: ['tags.team'] });
    await failure({ orderBy: ['name', 'name DESC'] });
  });
}

describe('searchExperimentIds on SQLite', () => {
  experimentSearchBehaviour(async () => {
    const database = await openDatabase('sqlite::memory:');
    return { database, cleanup: () => database.close() };
  });
});

const pgSkip = await postgresUnavailable();
describe.skipIf(pgSkip !== undefined)('searchExperimentIds on PostgreSQL', () => {
  experimentSearchBehaviour(async () => {
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

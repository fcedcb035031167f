import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../storage/index.js';
import { freshPostgresUrl, postgresUnavailable } from '../testing/index.js';
import { LineageRelations } from './lineage-relations.js';
import type { NodeRef } from './node-ref.js';
import { SqlLineageStore } from './sql-lineage-store.js';

// Skips (with the reason) when PostgreSQL is unreachable; MLOPS_TEST_PG_URL overrides the server.
const pgSkip = await postgresUnavailable();

interface Opened {
  database: Database;
  cleanup(): Promise<void>;
}

async function openSqlite(): Promise<Opened> {
  const database = await openDatabase('sqlite::memory:');
  return { database, cleanup: () => database.close() };
}

async function openPostgres(): Promise<Opened> {
  const { url, drop } = freshPostgresUrl('lineage_test');
  const database = await openDatabase(url, { autoUpgrade: true });
  return {
    database,
    cleanup: async () => {
      await database.close();
      await drop(); // DROP SCHEMA ... CASCADE
    },
  };
}

const HASH = 'ab12cd34'.repeat(8);
const data: NodeRef = { type: 'dataset', id: `data/prices.csv@${HASH}` };
const pipeline: NodeRef = { type: 'run', id: 'pipeline' };
const train: NodeRef = { type: 'run', id: 'train' };
const artifact: NodeRef = { type: 'artifact', id: HASH };
const model: NodeRef = { type: 'model_version', id: 'goog-lstm/1' };
const deploy: NodeRef = { type: 'deployment', id: 'prod' };
const snapshot: NodeRef = { type: 'snapshot', id: 's1' };

function lineageCases(open: () => Promise<Opened>): void {
  let opened: Opened;
  let store: SqlLineageStore;
  beforeAll(async () => {
    opened = await open();
    store = new SqlLineageStore(opened.database);
    await store.record([
      { src: data, dst: pipeline, relation: LineageRelations.input, createdAt: 1 },
      { src: pipeline, dst: train, relation: LineageRelations.parentOf, createdAt: 2 },
      { src: data, dst: train, relation: LineageRelations.input, createdAt: 3 },
      {
        src: train,
        dst: artifact,
        relation: LineageRelations.output,
        attrs: { path: 'model/model.onnx' },
        createdAt: 4,
      },
      { src: train, dst: model, relation: LineageRelations.registeredAs, createdAt: 5 },
      { src: model, dst: deploy, relation: LineageRelations.deployedAs, createdAt: 6 },
      { src: deploy, dst: snapshot, relation: 'monitored_by', createdAt: 7 },
      { src: snapshot, dst: pipeline, relation: LineageRelations.triggered, createdAt: 8 },
    ]);
  });
  afterAll(async () => {
    await opened?.cleanup();
  });

  it('reads edges from and to a node, with attrs', async () => {
    const out = await store.edgesFrom(train);
    expect(out.map((e) => [e.relation, e.dst])).toEqual([
      ['output', artifact],
      ['registered_as', model],
    ]);
    expect(out[0]).toMatchObject({ attrs: { path: 'model/model.onnx' }, createdAt: 4 });
    expect((await store.edgesTo(train)).map((e) => e.src)).toEqual([pipeline, data]);
    expect(await store.edgesTo(data)).toEqual([]);
  });

  it('records the same edge once, keeping the first attrs', async () => {
    const edge = { src: train, dst: artifact, relation: LineageRelations.output };
    await store.record([edge, { ...edge, attrs: { path: 'other' } }]);
    await store.record([edge]);
    const rows = (await store.edgesFrom(train)).filter((e) => e.relation === 'output');
    expect(rows).toHaveLength(1);
    expect(rows[0]?.attrs).toEqual({ path: 'model/model.onnx' });
  });

  it('writes nothing when one edge of a batch is invalid', async () => {
    const fresh: NodeRef = { type: 'run', id: 'fresh' };
    await expect(
      store.record([
        { src: fresh, dst: artifact, relation: 'output' },
        { src: fresh, dst: { type: 'Bad Type', id: 'x' }, relation: 'output' },
      ]),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', message: /edge 1 dst type/ });
    expect(await store.edgesFrom(fresh)).toEqual([]);
  });

  it('walks upstream breadth-first within the depth', async () => {
    const one = await store.neighborhood(train, { direction: 'up', depth: 1 });
    expect(one.nodes).toEqual([train, pipeline, data]);
    expect(one.edges).toHaveLength(2);
    const all = await store.neighborhood(train, { direction: 'up', depth: 10 });
    expect(all.nodes).toEqual([train, pipeline, data, snapshot, deploy, model]);
    // The cycle (model -> ... -> pipeline -> train -> model) ends without repeats.
    expect(new Set(all.edges.map((e) => JSON.stringify([e.src, e.dst, e.relation]))).size).toBe(
      all.edges.length,
    );
  });

  it('walks both ways by default with depth 3', async () => {
    const graph = await store.neighborhood(model);
    expect(graph.nodes[0]).toEqual(model);
    expect(graph.nodes).toEqual(expect.arrayContaining([train, pipeline, data, deploy, snapshot]));
    expect(graph.nodes).not.toContainEqual(artifact); // a sibling, not an ancestor or descendant
    expect((await store.neighborhood(model, { depth: 0 })).edges).toEqual([]);
  });

  it('refuses a bad depth or direction', async () => {
    await expect(store.neighborhood(train, { depth: -1 })).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
    });
    await expect(
      store.neighborhood(train, { direction: 'sideways' as 'up' }),
    ).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });

  it('records many edges in one call', async () => {
    const hub: NodeRef = { type: 'run', id: 'hub' };
    const edges = Array.from({ length: 1200 }, (_, i) => ({
      src: hub,
      dst: { type: 'artifact', id: `a${i}` },
      relation: 'output',
    }));
    await store.record(edges);
    await store.record(edges);
    expect(await store.edgesFrom(hub)).toHaveLength(1200);
    const graph = await store.neighborhood(hub, { direction: 'down', depth: 2 });
    expect(graph.nodes).toHaveLength(1201);
  });
}

describe('SqlLineageStore on SQLite', () => lineageCases(openSqlite));

describe.skipIf(pgSkip !== undefined)(
  `SqlLineageStore on PostgreSQL${pgSkip ? ` (skipped: ${pgSkip})` : ''}`,
  () => lineageCases(openPostgres),
);

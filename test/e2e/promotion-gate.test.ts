import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  forecastTrain,
  openRegistry,
  promote,
  registerModel,
  type ModelsContext,
  type PromotionResult,
} from '../../src/app/index.js';
import { syntheticCloses } from '../../src/forecast/index.js';
import { GateTags, formatScore, parseGateRecord } from '../../src/registry/index.js';
import { expectCode, freshPostgresUrl, postgresUnavailable } from '../../src/testing/index.js';
import type { TrackingClient } from '../../src/tracking/index.js';
import { GOOG_CSV, GOOG_MISSING } from './goog-data.js';
import { priceCsv } from './serve-model-harness.js';

interface World {
  readonly dir: string;
  readonly data: string;
  readonly client: TrackingClient;
  readonly ctx: ModelsContext;
  close(): Promise<void>;
}

type Backend = 'sqlite' | 'postgresql';
const pgSkip = await postgresUnavailable();

/** A workspace with `csv` as data/prices.csv; metadata in SQLite or a fresh PostgreSQL schema. */
async function world(csv: string, backend: Backend = 'sqlite'): Promise<World> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-promotion-'));
  await mkdir(join(dir, '.mlops'), { recursive: true });
  await mkdir(join(dir, 'data'));
  const data = join(dir, 'data', 'prices.csv');
  await writeFile(data, csv);
  const pg = backend === 'postgresql' ? freshPostgresUrl('promotion') : undefined;
  const client = await connect(pg?.url ?? `sqlite:${join(dir, '.mlops', 'mlops.db')}`, {
    cwd: dir,
    artifactUri: join(dir, '.mlops', 'blobs'),
    autoUpgrade: true,
  });
  const registry = await openRegistry(client);
  return {
    dir,
    data,
    client,
    ctx: { client, registry, cwd: dir },
    async close() {
      await client.close();
      await pg?.drop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Trains a model on the world's prices and registers its run's model under `name`. */
async function trainAndRegister(
  w: World,
  name: string,
  model: string,
  params: Record<string, string> = {},
): Promise<string> {
  const run = await forecastTrain(w.client, { data: w.data, model, params });
  const registered = await registerModel(w.ctx, { source: `runs:/${run.runId}/model`, name });
  return registered.version.version;
}

/** Every printed score equals the tag recorded on its version. */
async function expectTagsMatchPrinted(w: World, result: PromotionResult): Promise<void> {
  const { record } = result;
  const stored = await w.ctx.registry.getRegisteredModel(record.model);
  expect(stored.tags[GateTags.lastFor(record.alias)]).toBe(record.id);
  expect(parseGateRecord(stored.tags[GateTags.record(record.id)] ?? '')).toEqual(record);
  for (const entry of record.versions) {
    const version = await w.ctx.registry.getModelVersion(record.model, entry.version);
    const score = Number(version.tags[GateTags.score(record.id)]);
    expect(score).toBe(entry.score);
    expect(version.tags[GateTags.last]).toBe(record.id);
    const row = result.lines.find((l) => l.trimStart().startsWith(`v${entry.version} `));
    expect(row, `table row of v${entry.version}`).toBeDefined();
    expect(row).toContain(formatScore(score));
  }
}

for (const backend of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(backend === 'postgresql' && pgSkip !== undefined)(
    `promotion gate on a series a model can beat (log returns AR(1), phi 0.3), ${backend}`,
    () => {
      let w: World;
      beforeAll(async () => {
        w = await world(priceCsv(syntheticCloses(1500, 7, 0.3, 0.01)), backend);
      });
      afterAll(() => w.close());

      let persistence: string;
      let linear: string;
      it('gives the alias to persistence first: no holder, the only version', async () => {
        persistence = await trainAndRegister(w, 'ar1', 'persistence');
        const result = await promote(w.ctx, { name: 'ar1', versions: [persistence] });
        expect(result.decision).toMatchObject({ outcome: 'promoted', aliasAfter: persistence });
        expect((await w.ctx.registry.getVersionByAlias('ar1', 'champion')).version).toBe(
          persistence,
        );
      });

      it('promotes a linear model that beats persistence on rows after its training data', async () => {
        linear = await trainAndRegister(w, 'ar1', 'linear', { window: '5', alpha: '1' });
        const result = await promote(w.ctx, { name: 'ar1', versions: [linear] });
        const { record } = result;
        expect(record.outcome).toBe('promoted');
        expect(record.alias_before).toBe(persistence);
        expect(record.alias_after).toBe(linear);
        expect(record.versions.map((v) => [v.version, v.roles])).toEqual([
          [linear, ['candidate']],
          [persistence, ['holder', 'persistence']],
        ]);
        const scores = Object.fromEntries(record.versions.map((v) => [v.version, v.metrics ?? {}]));
        expect(scores[linear]?.['skill']).toBeGreaterThan(0.02);
        // Persistence through its float32 graph is exactly the naive forecast.
        expect(scores[persistence]).toMatchObject({ skill: 0, directional_accuracy: 0 });
        // Scored out of sample: rows dated after the linear model's validation rows.
        expect(record.rows.count).toBeGreaterThanOrEqual(250);
        expect(record.rows.first_date! > record.rows.after!).toBe(true);
        expect((await w.ctx.registry.getVersionByAlias('ar1', 'champion')).version).toBe(linear);
        await expectTagsMatchPrinted(w, result);
      });

      it('refuses a worse candidate: the holder keeps the alias', async () => {
        const worse = await trainAndRegister(w, 'ar1', 'linear', {
          target: 'close_minmax',
          alpha: '1',
        });
        const result = await promote(w.ctx, { name: 'ar1', versions: [worse] });
        expect(result.decision).toMatchObject({
          outcome: 'kept',
          aliasAfter: linear,
          moves: false,
        });
        expect(result.lines.join('\n')).toContain('not promoted');
        expect((await w.ctx.registry.getVersionByAlias('ar1', 'champion')).version).toBe(linear);
        await expectTagsMatchPrinted(w, result);
      });

      it('refuses to judge on too few rows, and --force moves the alias anyway, recorded', async () => {
        const refused = await promote(w.ctx, {
          name: 'ar1',
          versions: [persistence],
          gate: { minRows: 100_000 },
        });
        expect(refused.decision).toMatchObject({ outcome: 'refused', moves: false });
        expect(refused.lines.join('\n')).toMatch(/Refused: only \d+ comparison rows/);
        expect((await w.ctx.registry.getVersionByAlias('ar1', 'champion')).version).toBe(linear);

        const forced = await promote(w.ctx, { name: 'ar1', versions: [persistence], force: true });
        expect(forced.record).toMatchObject({
          outcome: 'forced',
          forced: true,
          alias_after: persistence,
        });
        expect((await w.ctx.registry.getVersionByAlias('ar1', 'champion')).version).toBe(
          persistence,
        );
      });

      it('stops at a corrupt holder, and only --force replaces it', async () => {
        await w.ctx.registry.setAlias('ar1', 'champion', linear);
        const held = await w.ctx.registry.getModelVersion('ar1', linear);
        const hash = held.packageHash ?? '';
        await unlink(join(w.dir, '.mlops', 'blobs', hash.slice(0, 2), hash.slice(2)));
        const err = await expectCode(
          promote(w.ctx, { name: 'ar1', versions: [persistence] }),
          'PACKAGE_CORRUPT',
        );
        expect(err.message).toContain(`ar1 version ${linear}`);
        expect((await w.ctx.registry.getVersionByAlias('ar1', 'champion')).version).toBe(linear);

        const forced = await promote(w.ctx, { name: 'ar1', versions: [persistence], force: true });
        expect(forced.record).toMatchObject({
          outcome: 'forced',
          alias_before: linear,
          alias_after: persistence,
        });
        expect(forced.record.reasons).toContainEqual(
          expect.stringContaining(`The holder v${linear} was not scored`),
        );
        expect((await w.ctx.registry.getVersionByAlias('ar1', 'champion')).version).toBe(
          persistence,
        );
      });
    },
  );
}

describe.skipIf(GOOG_CSV === undefined)(`promotion gate on GOOG (skipped: ${GOOG_MISSING})`, () => {
  let w: World;
  beforeAll(async () => {
    w = await world(await readFile(GOOG_CSV ?? '', 'utf8'));
  });
  afterAll(() => w?.close());

  it('registers persistence itself when the model has none, and keeps it over a worse model', async () => {
    const classic = await trainAndRegister(w, 'goog', 'linear', { target: 'close_minmax' });
    const result = await promote(w.ctx, {
      name: 'goog',
      versions: [classic],
      data: 'data/prices.csv',
    });
    const { record } = result;
    const naive = record.versions.find((v) => v.roles.includes('persistence'));
    expect(naive?.model_kind).toBe('persistence');
    expect(naive?.version).not.toBe(classic);
    // No holder: the best of the two takes the alias, and that is the naive forecast.
    expect(record).toMatchObject({ outcome: 'promoted', alias_after: naive?.version });
    expect(record.data.sha256).toMatch(/^[0-9a-f]{64}$/);
    await expectTagsMatchPrinted(w, result);
  });
});

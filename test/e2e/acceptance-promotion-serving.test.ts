// Acceptance of issue 7, end to end on this machine: the example pipeline registers its models
// and the promotion gate picks the champion; the gate refuses worse models and promotes a better
// one on a generated AR(1) series (where a model really beats the naive forecast); the running
// prediction server follows the alias and swaps under a steady load without a failed request;
// the inference log and the feedback are in the store; and on GOOG the recorded decision is the
// printed one.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  connect,
  forecastTrain,
  openInferenceLog,
  openRegistry,
  promote,
  registerModel,
  serveModel,
  type ModelsContext,
  type ServingHandle,
} from '../../src/app/index.js';
import type { GateRecord } from '../../src/registry/index.js';
import type { TrackingClient } from '../../src/tracking/index.js';
import {
  AR_COEFFICIENT,
  arCloses,
  cli,
  expectRecordedMatchesPrinted,
  lastRecord,
  readDecisionFile,
  startLoad,
  tuneParams,
  writePrices,
} from './acceptance-harness.js';
import { GOOG_CSV, GOOG_MISSING } from './goog-data.js';
import { eventually, postJson } from './serve-model-harness.js';

const NAME = 'stock-forecast'; // the example's registered model
const FIRST_ROWS = 900;
const MORE_ROWS = 250;
const googMissing = GOOG_CSV === undefined;
if (googMissing) console.warn(`acceptance: ${GOOG_MISSING}; the GOOG gate test is skipped.`);
/** How often the server re-resolves its alias. */
const POLL_MS = 100;

/** Score of `version` in a record (null when not judged). */
function scoreOf(record: Pick<GateRecord, 'versions'>, version: string | null): number | null {
  return record.versions.find((v) => v.version === version)?.score ?? null;
}

/** The gate's part of a repro's output: from its heading to the register stage's end. */
function gateLines(stdout: string): string {
  const from = stdout.indexOf('Gate for ');
  const to = stdout.indexOf("Stage 'register' done", from);
  return stdout.slice(from, to < 0 ? undefined : to).trimEnd();
}

function persistenceOf(record: Pick<GateRecord, 'versions'>) {
  const entry = record.versions.find((v) => v.roles.includes('persistence'));
  expect(entry?.model_kind).toBe('persistence');
  return entry;
}

describe(`acceptance: pipeline -> register -> gate -> serving swap (log returns AR(1), phi ${AR_COEFFICIENT})`, () => {
  let dir: string;
  let client: TrackingClient;
  let ctx: ModelsContext;
  let server: ServingHandle | undefined;
  let load: ReturnType<typeof startLoad> | undefined;
  let firstRepro: string;
  let champion: string;
  let window: number[];
  const serverLog: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-acceptance-'));
    await mkdir(join(dir, 'incoming'));
    await writePrices(join(dir, 'incoming', 'ar1.csv'), arCloses(FIRST_ROWS));
    await cli(
      dir,
      'init',
      '--example',
      'stock-forecast',
      '--preset',
      'quick',
      '--data',
      'incoming/ar1.csv',
    );
    await tuneParams(dir);
    firstRepro = (await cli(dir, 'repro')).stdout;
    client = await connect(`sqlite:${join(dir, '.mlops', 'mlops.db')}`, { cwd: dir });
    ctx = { client, registry: await openRegistry(client), cwd: dir };
    window = Array.from(arCloses(FIRST_ROWS).slice(-60));
  }, 240_000);

  afterAll(async () => {
    await load?.stop();
    await server?.close();
    await client?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('repro registers the three models and the gate gives the alias to one that beats persistence', async () => {
    const decision = await readDecisionFile(dir);
    const record = await lastRecord(ctx, NAME);
    // The decision file is the tagged record without its id, time and run ids.
    const { id: _id, decided_at: _at, versions, ...rest } = record;
    expect(decision).toEqual({ ...rest, versions: versions.map(({ run_id: _r, ...v }) => v) });
    expect(record.outcome).toBe('promoted');
    expect(record.alias_before).toBeNull();
    expect(record.versions.map((v) => v.model_kind).sort()).toEqual([
      'linear',
      'lstm',
      'persistence',
    ]);
    expect(record.versions.every((v) => v.roles.includes('candidate'))).toBe(true);
    const naive = persistenceOf(record);
    champion = record.alias_after ?? '';
    expect((await ctx.registry.getVersionByAlias(NAME, 'champion')).version).toBe(champion);
    const won = record.versions.find((v) => v.version === champion);
    expect(won?.model_kind).not.toBe('persistence');
    // Honest numbers: the winner's RMSE is below persistence's on the same out-of-sample rows.
    expect(won?.score).toBeLessThan(naive?.score ?? 0);
    expect(won?.metrics?.['skill']).toBeGreaterThan(0);
    expect(naive?.metrics).toMatchObject({ skill: 0, directional_accuracy: 0 });
    expect(record.rows.count).toBeGreaterThanOrEqual(record.min_rows);
    expect(record.rows.first_date! > record.rows.after!).toBe(true);
    await expectRecordedMatchesPrinted(ctx, record, firstRepro);
    console.log(`first repro:\n${gateLines(firstRepro)}`);
  });

  it('serves the champion under a steady load', async () => {
    server = await serveModel({
      uri: `models:/${NAME}@champion`,
      trackingUri: `sqlite:${join(dir, '.mlops', 'mlops.db')}`,
      cwd: dir,
      port: 0,
      pollIntervalMs: POLL_MS,
      log: (line) => serverLog.push(line),
    });
    load = startLoad(server.url, { prices: window }, 3);
    const { answers } = load;
    await eventually(async () => (answers.length >= 30 ? true : undefined));
    expect(answers.every((a) => a.status === 200 && a.version === champion)).toBe(true);
  });

  it('refuses worse models: persistence and a min-max linear model do not take the alias', async () => {
    const before = await lastRecord(ctx, NAME);
    const naive = persistenceOf(before)?.version ?? '';
    // 1. persistence itself, as a candidate against the holder.
    const again = await promote(ctx, { name: NAME, versions: [naive] });
    expect(again.record).toMatchObject({
      outcome: 'kept',
      alias_before: champion,
      alias_after: champion,
    });
    await expectRecordedMatchesPrinted(ctx, again.record, again.lines.join('\n'));
    // 2. a worse trained model: linear on min-max scaled closes instead of log returns.
    const run = await forecastTrain(client, {
      data: join(dir, 'data', 'prices.csv'),
      model: 'linear',
      params: { target: 'close_minmax', alpha: '1' },
    });
    const worse = (await registerModel(ctx, { source: `runs:/${run.runId}/model`, name: NAME }))
      .version.version;
    const refused = await promote(ctx, { name: NAME, versions: [worse] });
    const { record } = refused;
    expect(record).toMatchObject({
      outcome: 'kept',
      alias_before: champion,
      alias_after: champion,
    });
    expect(scoreOf(record, worse)).toBeGreaterThan(scoreOf(record, champion) ?? Infinity);
    expect(refused.lines.join('\n')).toContain('not promoted');
    await expectRecordedMatchesPrinted(ctx, record, refused.lines.join('\n'));
    expect((await ctx.registry.getVersionByAlias(NAME, 'champion')).version).toBe(champion);
    console.log(`refused v${worse}:\n${refused.lines.join('\n')}`);

    // The server keeps answering with the champion: answers after several alias polls.
    const { answers } = load!;
    const mark = answers.length;
    await new Promise((r) => setTimeout(r, 10 * POLL_MS));
    await eventually(async () => (answers.length >= mark + 30 ? true : undefined));
    expect(answers.slice(mark).every((a) => a.version === champion)).toBe(true);
  }, 60_000);

  let promoted: GateRecord;
  let swapMark = 0;

  it('new AR(1) rows, repro: a retrained model beats the holder and the server swaps to it under load', async () => {
    const { answers } = load!;
    swapMark = answers.length;
    // The same process, continued: the first FIRST_ROWS rows are identical, MORE_ROWS are new.
    await writePrices(join(dir, 'incoming', 'ar1-more.csv'), arCloses(FIRST_ROWS + MORE_ROWS));
    const imported = await cli(
      dir,
      'data',
      'import',
      'incoming/ar1-more.csv',
      '--into',
      'data/prices.csv',
      '--json',
    );
    expect(JSON.parse(imported.stdout)).toMatchObject({ rowsAdded: MORE_ROWS });
    // Honest numbers, no forcing: the retrained linear model (more rows) and the holder are
    // scored on the new rows neither trained on. The series and every model are seeded, so the
    // outcome is fixed; when this ran first it won by 0.24% RMSE (1.89876 vs 1.90341), a small
    // but real margin: min_improvement is 0 in the example's params.yaml.
    const out = (await cli(dir, 'repro')).stdout;
    promoted = await lastRecord(ctx, NAME);
    console.log(`second repro:\n${gateLines(out)}`);
    expect(promoted.outcome).toBe('promoted');
    expect(promoted.alias_before).toBe(champion);
    const next = promoted.alias_after ?? '';
    expect(Number(next)).toBeGreaterThan(Number(champion));
    expect(promoted.versions.find((v) => v.version === next)?.roles).toContain('candidate');
    expect(scoreOf(promoted, next)).toBeLessThan(scoreOf(promoted, champion) ?? 0);
    expect(scoreOf(promoted, next)).toBeLessThan(persistenceOf(promoted)?.score ?? 0);
    expect(await readDecisionFile(dir)).toMatchObject({ outcome: 'promoted', alias_after: next });
    await expectRecordedMatchesPrinted(ctx, promoted, out);

    // Every answer names the new version once the server has swapped.
    await eventually(
      async () => (answers.slice(-30).every((a) => a.version === next) ? true : undefined),
      30_000,
    );
    await load!.stop();
    const failed = answers.filter((a) => a.status !== 200 || a.error !== undefined);
    expect(failed).toEqual([]);
    const during = answers.slice(swapMark);
    expect(new Set(during.map((a) => a.version))).toEqual(new Set([champion, next]));
    // Requests in flight at the swap finish on the old version: at most one per other loop
    // answers after the first answer of the new one.
    const firstNew = answers.findIndex((a) => a.version === next);
    const lateOld = answers.slice(firstNew).filter((a) => a.version === champion);
    expect(lateOld.length).toBeLessThan(load!.loops);
    console.log(
      `load: ${answers.length} answers, ${answers.filter((a) => a.version === champion).length} by v${champion}, ${answers.filter((a) => a.version === next).length} by v${next} (${lateOld.length} by v${champion} after the first by v${next}), ${failed.length} failed`,
    );
  }, 240_000);

  it('the inference log holds every answer; feedback by prediction id and by date joins it', async () => {
    const { answers } = load!;
    const next = promoted.alias_after ?? '';
    // One more request with dates: its target date carries the by-date feedback.
    const series = Array.from(arCloses(FIRST_ROWS + MORE_ROWS).slice(-40)).map((close, i) => ({
      date: new Date(Date.UTC(2031, 0, 6 + i)).toISOString().slice(0, 10),
      close,
    }));
    const dated = await postJson(`${server!.url}/predict`, { series, horizon: 2 });
    expect(dated.status).toBe(200);
    expect(dated.version).toBe(next);
    const info = (await (await fetch(`${server!.url}/version`)).json()) as {
      model: { name: string; version: string };
    };
    expect(info.model).toMatchObject({ name: NAME, version: next });
    const steps = dated.body['predictions'] as { prediction_id: string; target_date: string }[];
    const oldOne = answers.find((a) => a.version === champion);
    const newOne = answers.findLast((a) => a.version === next);
    const feedback = await postJson(`${server!.url}/feedback`, [
      { prediction_id: oldOne?.predictionId, actual: 101.25 },
      { prediction_id: newOne?.predictionId, actual: 102.5 },
      { prediction_id: steps[0]?.prediction_id, actual: 103.75 },
      { target_date: steps[1]?.target_date, actual: 104.5 },
    ]);
    expect(feedback.status).toBe(202);

    const store = await openInferenceLog(client);
    try {
      const answered = answers.filter((a) => a.predictionId !== undefined).length + 2;
      const rows = await eventually(async () => {
        const got = await store.queryPredictions({ modelName: NAME });
        const joined = got.filter((r) => r.actual !== undefined);
        return got.length >= answered && joined.length >= 4 ? got : undefined;
      }, 20_000);
      expect(rows).toHaveLength(answered);
      const byId = new Map(rows.map((r) => [r.predictionId, r]));
      for (const a of answers) {
        const row = byId.get(a.predictionId ?? '');
        expect(row?.modelVersion, `logged ${a.predictionId}`).toBe(a.version);
      }
      const expectJoined = (id: string | undefined, version: string, actual: number) => {
        const row = byId.get(id ?? '');
        expect(row).toMatchObject({
          modelName: NAME,
          modelVersion: version,
          actual,
          route: 'predict',
        });
        expect(row?.timestamp).toBeGreaterThan(0);
        expect(row?.latencyMs).toBeGreaterThanOrEqual(0);
        expect(row?.inputs.length).toBeGreaterThan(0);
      };
      expectJoined(oldOne?.predictionId, champion, 101.25);
      expectJoined(newOne?.predictionId, next, 102.5);
      expectJoined(steps[0]?.prediction_id, next, 103.75);
      expectJoined(steps[1]?.prediction_id, next, 104.5);
      expect(byId.get(steps[1]?.prediction_id ?? '')).toMatchObject({
        horizonStep: 2,
        targetDate: steps[1]?.target_date,
      });
      const fb = await store.queryFeedback({ modelName: NAME });
      expect(fb.filter((f) => f.timestamp > 0)).toHaveLength(4);
      console.log(`inference log: ${rows.length} rows, 4 joined feedback rows`);
    } finally {
      await store.close();
    }
    expect(serverLog.join('\n')).toContain(`version ${promoted.alias_after}`);
  }, 60_000);
});

describe.skipIf(googMissing)(
  'acceptance: on GOOG the recorded decision matches the printed scores (skipped without the shared GOOG file)',
  () => {
    let dir: string;
    let client: TrackingClient;
    let ctx: ModelsContext;
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'mlops-acceptance-goog-'));
      await mkdir(join(dir, '.mlops'), { recursive: true });
      await mkdir(join(dir, 'data'));
      await writeFile(join(dir, 'data', 'prices.csv'), await readFile(GOOG_CSV ?? '', 'utf8'));
      client = await connect(`sqlite:${join(dir, '.mlops', 'mlops.db')}`, { cwd: dir });
      ctx = { client, registry: await openRegistry(client), cwd: dir };
    });
    afterAll(async () => {
      await client?.close();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    it('gate of linear models against persistence: tags, printed table and the alias agree', async () => {
      const data = join(dir, 'data', 'prices.csv');
      const versions: string[] = [];
      for (const params of [{}, { target: 'close_minmax' }]) {
        const run = await forecastTrain(client, { data, model: 'linear', params });
        versions.push(
          (await registerModel(ctx, { source: `runs:/${run.runId}/model`, name: 'goog' })).version
            .version,
        );
      }
      const result = await promote(ctx, { name: 'goog', versions, data: 'data/prices.csv' });
      const { record } = result;
      const printed = result.lines.join('\n');
      console.log(`GOOG:\n${printed}`);
      expect(record).toEqual(await lastRecord(ctx, 'goog'));
      await expectRecordedMatchesPrinted(ctx, record, printed);
      expect(['promoted', 'kept']).toContain(record.outcome);
      const holder = (await ctx.registry.getVersionByAlias('goog', 'champion')).version;
      expect(holder).toBe(record.alias_after);
      // Never worse than the naive forecast on the rows they were compared on.
      const naive = persistenceOf(record);
      expect(scoreOf(record, holder)).toBeLessThanOrEqual(naive?.score ?? -1);
      expect(record.data.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(record.rows.count).toBeGreaterThanOrEqual(record.min_rows);
    }, 120_000);
  },
);

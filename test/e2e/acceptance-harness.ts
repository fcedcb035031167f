// Helpers of the acceptance e2e test (acceptance-promotion-serving.test.ts): the example
// pipeline on a generated AR(1) price series, a steady /predict load, and the gate's record
// checked against its tags and its printed table.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse, stringify } from 'yaml';
import type { ModelsContext } from '../../src/app/index.js';
import { syntheticCloses } from '../../src/forecast/index.js';
import {
  GateTags,
  formatScore,
  parseGateRecord,
  type GateRecord,
} from '../../src/registry/index.js';
import { mlops, type Result } from './cli-harness.js';
import { priceCsv } from './serve-model-harness.js';

/** The generated series: prices whose log returns follow an AR(1) with coefficient 0.3. */
export const AR_COEFFICIENT = 0.3;
export const AR_SEED = 2026;

/**
 * The first `rows` closes of one AR(1) process: a longer call continues the same path (the
 * generator is seeded and sequential), so appending rows keeps the series AR(1).
 */
export function arCloses(rows: number): Float64Array {
  return syntheticCloses(rows, AR_SEED, AR_COEFFICIENT, 0.01);
}

/** Runs the built CLI; a non-zero exit fails with its output. */
export async function cli(dir: string, ...args: string[]): Promise<Result> {
  const result = await mlops(dir, ...args);
  if (result.code !== 0) {
    throw new Error(
      `mlops ${args.join(' ')} exited ${result.code}:\n${result.stdout}\n${result.stderr}`,
    );
  }
  return result;
}

/** Writes `closes` as a Yahoo-style CSV at `path`. */
export async function writePrices(path: string, closes: Float64Array): Promise<void> {
  await writeFile(path, priceCsv(closes));
}

/**
 * Small, fast settings for params.yaml as `mlops init --preset quick` wrote it: a tiny LSTM
 * (2 epochs, 8 units, window 20), and `changes` merged into the models' params.
 */
export async function tuneParams(
  dir: string,
  changes: Record<string, Record<string, string | number>> = {},
): Promise<Record<string, unknown>> {
  const file = join(dir, 'params.yaml');
  const params = parse(await readFile(file, 'utf8')) as {
    models: Record<string, Record<string, unknown>>;
    validate: { window: number };
  };
  params.models['lstm'] = {
    ...params.models['lstm'],
    epochs: 2,
    patience: 1,
    units: 8,
    window: 20,
  };
  for (const [model, values] of Object.entries(changes)) {
    params.models[model] = { ...params.models[model], ...values };
  }
  params.validate.window = Math.max(
    ...Object.values(params.models).map((m) => Number(m['window'] ?? 2)),
  );
  await writeFile(file, stringify(params));
  return params;
}

/** The decision file the register stage wrote (the record without id, time and run ids). */
export async function readDecisionFile(
  dir: string,
): Promise<Omit<GateRecord, 'id' | 'decided_at'>> {
  return JSON.parse(await readFile(join(dir, 'reports', 'promotion.json'), 'utf8')) as Omit<
    GateRecord,
    'id' | 'decided_at'
  >;
}

/** The record of the last decision about `alias` of `name`, as tagged on the registered model. */
export async function lastRecord(
  ctx: ModelsContext,
  name: string,
  alias = 'champion',
): Promise<GateRecord> {
  const model = await ctx.registry.getRegisteredModel(name);
  const id = model.tags[GateTags.lastFor(alias)];
  expect(id, `${name} has a decision about @${alias}`).toBeDefined();
  return parseGateRecord(model.tags[GateTags.record(id ?? '')] ?? '');
}

/**
 * The recorded decision matches the printed one: every judged version carries the record and
 * its score as tags, and the printed table's row of that version shows the same score
 * (formatScore, 6 significant digits) and marks the alias holder after the decision.
 */
export async function expectRecordedMatchesPrinted(
  ctx: ModelsContext,
  record: GateRecord,
  printed: string,
): Promise<void> {
  const lines = printed.split('\n');
  expect(lines.some((l) => l.includes(`Gate for '${record.model}@${record.alias}'`))).toBe(true);
  for (const entry of record.versions) {
    const version = await ctx.registry.getModelVersion(record.model, entry.version);
    expect(parseGateRecord(version.tags[GateTags.record(record.id)] ?? '')).toEqual(record);
    const tagged = Number(version.tags[GateTags.score(record.id)]);
    expect(tagged).toBe(entry.score);
    const row = lines.find((l) => new RegExp(`^\\s*v${entry.version}\\s`).test(stripPrefix(l)));
    expect(row, `printed row of v${entry.version}`).toBeDefined();
    const cells = stripPrefix(row ?? '')
      .trim()
      .split(/\s+/);
    // VERSION ROLE KIND RMSE MAE MAPE DIR.ACC. SKILL: the ranking metric's cell is the score,
    // and every other printed metric is the recorded one.
    expect(cells.slice(0, 3)).toEqual([
      `v${entry.version}`,
      entry.roles.join('+'),
      entry.model_kind,
    ]);
    expect(cells[3 + PRINTED_METRICS.indexOf(record.metric)]).toBe(formatScore(tagged));
    expect(cells.slice(3, 3 + PRINTED_METRICS.length)).toEqual(
      PRINTED_METRICS.map((m) => formatScore(entry.metrics?.[m] ?? Number.NaN)),
    );
    expect((row ?? '').includes(`<- ${record.alias}`)).toBe(entry.version === record.alias_after);
  }
  expect(printed).toContain(record.reasons[0] ?? '');
}

/** The metric columns of the printed table, in order (formatPromotion). */
const PRINTED_METRICS = ['rmse', 'mae', 'mape', 'directional_accuracy', 'skill'] as const;

/** A printed line without a stage-log prefix such as `[register] `. */
function stripPrefix(line: string): string {
  return line.replace(/^\s*\[[^\]]*\]\s?/, '');
}

/** One /predict answer as the load saw it. */
export interface Answer {
  readonly status: number;
  readonly version: string | null;
  readonly predictionId?: string;
  readonly error?: string;
}

/**
 * A steady /predict load: `loops` concurrent request loops until `stop()`. A request that throws
 * (connection refused or reset) counts as an answer with status 0.
 */
export function startLoad(url: string, body: unknown, loops = 3) {
  const answers: Answer[] = [];
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      try {
        const res = await fetch(`${url}/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        const json = (await res.json()) as {
          predictions?: { prediction_id: string }[];
          model?: { version: string };
        };
        const header = res.headers.get('x-mlops-model-version');
        const id = json.predictions?.[0]?.prediction_id;
        answers.push({
          status: res.status,
          version: header ?? json.model?.version ?? null,
          ...(id === undefined ? {} : { predictionId: id }),
          ...(res.status === 200 && header !== (json.model?.version ?? null)
            ? { error: `header names v${header}, body v${json.model?.version}` }
            : {}),
        });
      } catch (err) {
        answers.push({ status: 0, version: null, error: String(err) });
      }
    }
  };
  const running = Array.from({ length: loops }, () => loop());
  return {
    answers,
    loops,
    async stop(): Promise<void> {
      stopped = true;
      await Promise.all(running);
    },
  };
}

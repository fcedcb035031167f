import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticCloses } from '../../src/forecast/index.js';
import { mlops, tempWorkspace } from './cli-harness.js';

/** A Yahoo-style CSV of `closes` on business days from 2015-01-05. */
function priceCsv(closes: Float64Array): string {
  const lines = ['Date,Open,High,Low,Close,Volume'];
  const day = new Date('2015-01-05T00:00:00Z');
  let previous = closes[0] ?? 100;
  for (const close of closes) {
    const [lo, hi] = [Math.min(previous, close), Math.max(previous, close)];
    const cells = [previous, hi * 1.002, lo * 0.998, close].map((v) => v.toFixed(4));
    lines.push(`${day.toISOString().slice(0, 10)},${cells.join(',')},1000000`);
    previous = close;
    do day.setUTCDate(day.getUTCDate() + 1);
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6);
  }
  return `${lines.join('\n')}\n`;
}

interface RecordJson {
  outcome: string;
  alias: string;
  alias_before: string | null;
  alias_after: string | null;
  data: { source: string };
  versions: { version: string; roles: string[]; model_kind: string; score: number }[];
}

/** `mlops models promote` on the built CLI: flags over params.yaml, exit codes, printed table. */
describe('mlops models promote', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const json = async (...args: string[]) => {
    const out = await mlops(dir, ...args, '--json');
    expect(out.code, out.stderr).toBe(0);
    return JSON.parse(out.stdout) as Record<string, unknown>;
  };
  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'prices.csv'), priceCsv(syntheticCloses(1500, 7, 0.3, 0.01)));
    expect((await mlops(dir, 'init')).code).toBe(0);
    const run = await json(
      ...['forecast', 'train', '--data', 'data/prices.csv', '--model', 'linear'],
      ...['--param', 'window=5', '--param', 'alpha=1'],
    );
    const registered = await mlops(
      dir,
      'models',
      'register',
      `runs:/${String(run['run_id'])}/model`,
      '--name',
      'ar1',
    );
    expect(registered.code, registered.stderr).toBe(0);
  }, 120_000);
  afterAll(() => cleanup());

  it('registers persistence, scores both and prints the decision table', async () => {
    const out = await mlops(dir, 'models', 'promote', '--name', 'ar1');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stderr).toContain('ar1 has no persistence version; training and registering one');
    expect(out.stdout).toMatch(/^Gate for 'ar1@champion' by rmse \(min_improvement 0\): \d+ rows/);
    expect(out.stdout).toMatch(/v1\s+candidate\s+linear\s+.*<- champion/);
    expect(out.stdout).toMatch(
      /v2\s+persistence\s+persistence\s+[\d.]+\s+[\d.]+\s+[\d.]+\s+0\s+0\n/,
    );
    expect(out.stdout).toContain("Promoted: no version held 'champion'; v1");
    expect(out.stdout).toMatch(/Recorded as decision \d{8}T\d{6}Z-[0-9a-f]{4}/);
  });

  it('reads gate settings from params.yaml, and flags override them', async () => {
    await writeFile(
      join(dir, 'params.yaml'),
      'gate:\n  alias: challenger\n  min_improvement: 0.5\n',
    );
    const fromParams = (await json(
      'models',
      'promote',
      '--name',
      'ar1',
      '--version',
      '2',
    )) as unknown as RecordJson;
    // Nobody holds @challenger: the candidate (persistence itself) is all there is to judge.
    expect(fromParams).toMatchObject({
      alias: 'challenger',
      outcome: 'promoted',
      alias_after: '2',
    });
    expect(fromParams.versions.map((v) => v.roles)).toEqual([['candidate', 'persistence']]);
    expect(fromParams.data.source).toBe('data/prices.csv');
    const overridden = (await json(
      ...['models', 'promote', '--name', 'ar1', '--version', '2', '--alias', 'champion'],
    )) as unknown as RecordJson;
    expect(overridden).toMatchObject({ alias: 'champion', outcome: 'kept', alias_after: '1' });
  });

  it('refuses bad flags and too few rows with their exit codes, and --force is recorded', async () => {
    const bad = await mlops(dir, 'models', 'promote', '--name', 'ar1', '--metric', 'r2');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--metric must be one of rmse, mae, mape');
    const negative = await mlops(
      dir,
      'models',
      'promote',
      '--name',
      'ar1',
      '--min-improvement',
      '-1',
    );
    expect(negative.code).toBe(2);
    const few = await mlops(dir, 'models', 'promote', '--name', 'ar1', '--min-rows', '100000');
    expect(few.code).toBe(5);
    expect(few.stdout).toMatch(/Refused: only \d+ comparison rows/);
    const unknown = await mlops(dir, 'models', 'promote', '--name', 'nope');
    expect(unknown.code).toBe(3);
    const forced = (await json(
      ...['models', 'promote', '--name', 'ar1', '--version', '2', '--force', '--alias', 'champion'],
    )) as unknown as RecordJson;
    expect(forced).toMatchObject({ outcome: 'forced', alias_before: '1', alias_after: '2' });
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticCloses } from '../../forecast/index.js';
import { expectCode } from '../../testing/index.js';
import { connect, openRegistry } from '../connect.js';
import { builtinSteps } from './index.js';

const steps = builtinSteps();

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

const REGISTER = {
  name: 'ar1',
  data: 'data/prices.csv',
  models: { persistence: 'models/persistence', linear: 'models/linear' },
  gate: { metric: 'rmse', min_improvement: 0 },
  decision: 'reports/promotion.json',
};

describe('models/register arguments', () => {
  const problem = (args: Record<string, unknown>) => {
    try {
      steps.get('models/register').validate(args);
    } catch (err) {
      const e = err as { message: string; details?: { argument?: string } };
      return [e.message, e.details?.argument];
    }
    return undefined;
  };

  it('accepts models as a mapping or a list, and the gate as a mapping or nothing', () => {
    expect(problem(REGISTER)).toBeUndefined();
    expect(problem({ ...REGISTER, models: ['m/a', 'm/b'], gate: null })).toBeUndefined();
  });

  it('names the argument and what it expects', () => {
    expect(problem({ ...REGISTER, decision: 'out.txt' })?.[1]).toBe('decision');
    expect(problem({ ...REGISTER, models: {} })?.[1]).toBe('models');
    expect(problem({ ...REGISTER, name: 'a/b' })).toEqual([
      expect.stringMatching(/^argument 'name': .*must not contain '\/'/),
      'name',
    ]);
    expect(problem({ ...REGISTER, gate: { metric: 'r2' } })).toEqual([
      expect.stringMatching(/^argument 'gate'.metric must be one of rmse, mae/),
      'gate',
    ]);
    expect(problem({ ...REGISTER, gate: { min_improvment: 0.1 } })?.[0]).toMatch(
      /unknown key 'min_improvment'/,
    );
    expect(problem({ ...REGISTER, models: ['a/lstm', 'b/lstm'] })?.[0]).toMatch(
      /a second model named 'lstm'/,
    );
  });
});

describe('models/register on trained stage outs', () => {
  let dir: string;
  const log: string[] = [];
  /** Runs a step as the scheduler would: in a stage run of the `pipeline` experiment. */
  const stage = async (name: string, stageName: string, args: Record<string, unknown>) => {
    const client = await connect(undefined, { cwd: dir });
    let runId: string;
    try {
      const experimentId = await client.experimentId('pipeline');
      const run = await client.store.createRun({
        experimentId,
        tags: [{ key: 'mlops.stage', value: stageName }],
      });
      runId = run.info.runId;
    } finally {
      await client.close();
    }
    await steps.get(name).run({
      with: args,
      stage: stageName,
      root: dir,
      cwd: dir,
      runId,
      log: (line) => log.push(line),
    });
    return runId;
  };
  const registry = async <T>(fn: (r: Awaited<ReturnType<typeof openRegistry>>) => Promise<T>) => {
    const client = await connect(undefined, { cwd: dir });
    try {
      return await fn(await openRegistry(client));
    } finally {
      await client.close();
    }
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-register-step-'));
    await mkdir(join(dir, '.mlops'));
    await mkdir(join(dir, 'data'));
    await writeFile(join(dir, 'data', 'prices.csv'), priceCsv(syntheticCloses(1500, 7, 0.3, 0.01)));
    await stage('forecast/train', 'train@persistence', {
      data: 'data/prices.csv',
      model: 'persistence',
      out: 'models/persistence',
    });
    await stage('forecast/train', 'train@linear', {
      data: 'data/prices.csv',
      model: 'linear',
      params: { window: 5, alpha: 1 },
      out: 'models/linear',
    });
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('registers each model from its stage run and the gate promotes the one that beats persistence', async () => {
    await stage('models/register', 'register', REGISTER);
    const decision = JSON.parse(await readFile(join(dir, REGISTER.decision), 'utf8')) as Record<
      string,
      unknown
    > & { versions: Record<string, unknown>[] };
    expect(decision).toMatchObject({ model: 'ar1', outcome: 'promoted', alias_after: '2' });
    // A pipeline out: nothing that differs between two runs of the same inputs.
    expect(decision).not.toHaveProperty('id');
    expect(decision).not.toHaveProperty('decided_at');
    for (const v of decision.versions) expect(v).not.toHaveProperty('run_id');
    const champion = await registry((r) => r.getVersionByAlias('ar1', 'champion'));
    expect(champion.version).toBe('2');
    expect(log.join('\n')).toMatch(/linear: registered as ar1 v2 \(runs:\/\w+\/model\)/);
    expect(log.join('\n')).toContain('Promoted: no version held');
  });

  it('registers nothing twice when it runs again, and the champion keeps the alias', async () => {
    log.length = 0;
    await stage('models/register', 'register', REGISTER);
    expect(log.join('\n')).toMatch(/linear: already registered as ar1 v2/);
    const versions = await registry((r) => r.searchModelVersions({ filter: "name = 'ar1'" }));
    expect(versions.items).toHaveLength(2);
    const decision = JSON.parse(await readFile(join(dir, REGISTER.decision), 'utf8')) as {
      outcome: string;
      alias_before: string;
    };
    expect(decision).toMatchObject({ outcome: 'kept', alias_before: '2' });
  });

  it('refuses a model directory no tracked run logged', async () => {
    await mkdir(join(dir, 'models', 'copy'), { recursive: true });
    for (const f of ['forecaster.json', 'model.onnx', 'summary.json']) {
      await writeFile(
        join(dir, 'models', 'copy', f),
        await readFile(join(dir, 'models', 'linear', f)),
      );
    }
    const err = await expectCode(
      stage('models/register', 'register', { ...REGISTER, models: ['models/copy'] }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(err.message).toContain('No tracked run logged the model in models/copy');
  });
});

import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadPipeline } from '../pipeline/index.js';
import { expectCode } from '../testing/index.js';
import { initExample, type InitExampleReport } from './init-example.js';
import { builtinSteps } from './pipeline-steps/index.js';

describe('initExample stock-forecast', () => {
  let base: string;
  let dir: string;
  let report: InitExampleReport;
  const init = (target: string, preset?: string) =>
    initExample(target, {
      example: 'stock-forecast',
      ...(preset === undefined ? {} : { preset }),
      trackingUri: `sqlite:${join(target, '.mlops', 'mlops.db')}`,
    });

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'mlops-init-example-'));
    dir = join(base, 'ws');
    report = await init(dir, 'quick');
  });
  afterAll(() => rm(base, { recursive: true, force: true }));

  it('imports the embedded prices as a versioned data/prices.csv', async () => {
    expect(report).toMatchObject({
      root: dir,
      example: 'stock-forecast',
      preset: 'quick',
      files: [
        'data/prices.csv',
        'data/prices.csv.mlops',
        'mlops.yaml',
        'params.yaml',
        'monitor.yaml',
      ],
      ingestion: { path: 'data/prices.csv', rowsTotal: 5105, versioned: true },
    });
    expect(await readFile(join(dir, 'data/prices.csv.mlops'), 'utf8')).toContain(
      report.ingestion.sha256,
    );
    expect(existsSync(join(dir, '.mlops', '.gitignore'))).toBe(true);
  });

  it("writes params.yaml with the preset and each model's params", async () => {
    const params = parse(await readFile(join(dir, 'params.yaml'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(params).toEqual({
      preset: 'quick',
      validate: { window: 60 },
      models: {
        persistence: { window: 30 },
        linear: { window: 20, alpha: 1000, target: 'log_return' },
        lstm: {
          window: 60,
          units: 16,
          layers: 1,
          dropout: 0.1,
          learning_rate: 0.001,
          batch_size: 32,
          // The quick preset's epochs, written out so that they can be changed and tracked.
          epochs: 8,
          patience: 3,
          seed: 42,
          target: 'log_return',
        },
      },
      gate: { metric: 'rmse', min_improvement: 0, min_rows: 20, alias: 'champion' },
    });
  });

  it('writes an mlops.yaml that the pipeline loader accepts with the built-in steps', async () => {
    const spec = await loadPipeline(dir, { steps: builtinSteps() });
    expect(spec.stages.map((s) => s.name)).toEqual([
      'validate',
      'train@persistence',
      'train@linear',
      'train@lstm',
      'evaluate',
      'register',
    ]);
    const byName = new Map(spec.stages.map((s) => [s.name, s]));
    expect(byName.get('validate')).toMatchObject({
      uses: 'forecast/validate',
      with: { data: 'data/prices.csv', window: 60, report: 'reports/validation.json' },
      deps: ['data/prices.csv'],
    });
    const lstm = byName.get('train@lstm');
    expect(lstm).toMatchObject({
      uses: 'forecast/train',
      with: { data: 'data/prices.csv', model: 'lstm', preset: 'quick', out: 'models/lstm' },
      deps: ['data/prices.csv', 'reports/validation.json'],
      outs: [{ path: 'models/lstm', kind: 'out', cache: true }],
    });
    expect(lstm?.with?.['params']).toMatchObject({ epochs: 8, seed: 42, learning_rate: 0.001 });
    expect(lstm?.params.map((p) => p.key)).toEqual(['preset', 'models.lstm']);
    const evaluate = byName.get('evaluate');
    expect(evaluate?.deps).toEqual([
      'data/prices.csv',
      'models/persistence',
      'models/linear',
      'models/lstm',
    ]);
    expect(evaluate?.outs.map((o) => [o.path, o.kind])).toEqual([
      ['metrics.json', 'metric'],
      ['plots/predictions.csv', 'plot'],
      ['plots/predictions.svg', 'plot'],
    ]);
    const register = byName.get('register');
    expect(register).toMatchObject({
      uses: 'models/register',
      with: {
        name: 'stock-forecast',
        data: 'data/prices.csv',
        gate: { metric: 'rmse', min_improvement: 0, min_rows: 20, alias: 'champion' },
        decision: 'reports/promotion.json',
      },
      outs: [{ path: 'reports/promotion.json', kind: 'out' }],
    });
    expect(register?.deps).toContain('metrics.json'); // after evaluate
    expect(register?.params.map((p) => p.key)).toEqual(['gate']);
  });

  it('refuses to overwrite an existing pipeline, and names the file', async () => {
    const err = await expectCode(init(dir), 'RESOURCE_ALREADY_EXISTS');
    expect(err.message).toContain(`${join(dir, 'mlops.yaml')} already exists`);
    const other = join(base, 'has-params');
    await mkdir(other);
    await writeFile(join(other, 'params.yaml'), 'lr: 1\n');
    await expectCode(init(other), 'RESOURCE_ALREADY_EXISTS');
    expect(await readFile(join(other, 'params.yaml'), 'utf8')).toBe('lr: 1\n');
    expect(existsSync(join(other, 'data'))).toBe(false);
  });

  it('refuses an unknown example or preset before writing anything', async () => {
    const target = join(base, 'nothing');
    await expectCode(initExample(target, { example: 'iris' }), 'INVALID_PARAMETER_VALUE');
    await expectCode(
      initExample(target, { example: 'stock-forecast', preset: 'fast' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(existsSync(target)).toBe(false);
  });
});

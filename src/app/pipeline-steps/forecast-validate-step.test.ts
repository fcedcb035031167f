import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDatasetPath } from '../../forecast/index.js';
import { expectCode } from '../../testing/index.js';
import { builtinSteps } from './index.js';

const step = builtinSteps().get('forecast/validate');

describe('forecast/validate', () => {
  let dir: string;
  let lines: string[];
  const run = (args: Record<string, unknown>) =>
    step.run({ with: args, stage: 'validate', root: dir, cwd: dir, log: (l) => lines.push(l) });
  const report = async () =>
    JSON.parse(await readFile(join(dir, 'reports/validation.json'), 'utf8')) as Record<
      string,
      unknown
    >;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-validate-step-'));
    await mkdir(join(dir, 'data'));
    lines = [];
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('writes the report naming the file as the stage gave it, and logs the summary', async () => {
    await copyFile(defaultDatasetPath(), join(dir, 'data/prices.csv'));
    await run({ data: 'data/prices.csv', report: 'reports/validation.json' });
    expect(await report()).toMatchObject({
      ok: true,
      source: 'data/prices.csv',
      firstDate: '2000-01-03',
      errors: [],
      options: { windowSize: 60 },
    });
    expect(lines[0]).toBe('Data contract OK: data/prices.csv');
  });

  it('fails with DATA_CONTRACT_FAILED after writing the report of a broken file', async () => {
    await writeFile(
      join(dir, 'data/prices.csv'),
      'Date,Open,High,Low,Close,Volume\n2020-01-03,10,11,9,10,100\n2020-01-02,10,11,9,-10,100\n',
    );
    const err = await expectCode(
      run({ data: 'data/prices.csv', window: 2, report: 'reports/validation.json' }),
      'DATA_CONTRACT_FAILED',
    );
    expect(err.message).toContain('data/prices.csv breaks the data contract');
    const written = await report();
    expect(written['ok']).toBe(false);
    expect(Object.keys(written['counts'] as object)).toEqual(
      expect.arrayContaining(['dates-increasing', 'positive-values']),
    );
  });
});

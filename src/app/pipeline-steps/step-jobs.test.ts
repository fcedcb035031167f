import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultDatasetPath } from '../../forecast/index.js';
import { expectCode } from '../../testing/index.js';
import { listSteps, runStep } from './step-jobs.js';

describe('step jobs (mlops step list / run)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-step-jobs-'));
    await mkdir(join(dir, 'data'));
    await copyFile(defaultDatasetPath(), join(dir, 'data', 'prices.csv'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const run = (name: string, args: string) =>
    runStep({ name, stage: 'validate', with: args, cwd: dir, runId: '', log: () => undefined });

  it('lists the built-in steps by name', async () => {
    expect((await listSteps()).map((s) => s.name)).toEqual([
      'forecast/evaluate',
      'forecast/train',
      'forecast/validate',
      'models/register',
    ]);
  });

  it('runs a step with --with as JSON, relative to its working directory', async () => {
    await run('forecast/validate', '{"data": "data/prices.csv", "report": "out/report.json"}');
    const report = JSON.parse(await readFile(join(dir, 'out/report.json'), 'utf8')) as object;
    expect(report).toMatchObject({ ok: true, source: 'data/prices.csv' });
  });

  it('refuses an unknown step, bad JSON and invalid arguments before running', async () => {
    const unknown = await expectCode(run('forecast/tune', '{}'), 'RESOURCE_DOES_NOT_EXIST');
    expect(unknown.message).toContain('known steps are forecast/validate, forecast/train');
    const json = await expectCode(run('forecast/validate', '{data:'), 'INVALID_PARAMETER_VALUE');
    expect(json.message).toMatch(/^--with must be a JSON object of step arguments: /);
    await expectCode(run('forecast/validate', '[1]'), 'INVALID_PARAMETER_VALUE');
    const args = await expectCode(
      run('forecast/validate', '{"window": 60}'),
      'INVALID_PARAMETER_VALUE',
    );
    expect(args.message).toContain("argument 'data' is required");
  });
});

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlops, tempWorkspace } from './cli-harness.js';

describe('mlops quickstart', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  it('creates a workspace, tracks a run and shows what the workspace holds', async () => {
    const out = await mlops(dir, 'quickstart');
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(existsSync(join(dir, '.mlops', 'mlops.db'))).toBe(true);
    expect(out.stdout).toContain('persistence-demo');
    expect(out.stdout).toMatch(/rmse=\d+\.\d{4} \(step 499\)/);
    expect(out.stdout).toContain('data/series.csv');
    expect(out.stdout).toContain('--output-->');
  });

  it('runs again in the same workspace and reports both runs', async () => {
    const out = await mlops(dir, 'quickstart', '--json');
    expect(out.code).toBe(0);
    const report = JSON.parse(out.stdout) as { experiments: { name: string; runs: number }[] };
    expect(report.experiments.find((e) => e.name === 'quickstart')?.runs).toBe(2);
    const list = await mlops(dir, 'runs', 'list', '-e', 'quickstart', '--json');
    expect((JSON.parse(list.stdout) as { runs: unknown[] }).runs).toHaveLength(2);
  });
});

import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mlops, tempWorkspace } from './cli-harness.js';
import { git } from './data-harness.js';

/**
 * `mlops params diff`, `metrics show|diff` and `plots diff` through the CLI, on a committed
 * pipeline run and a second run with a changed param in the working tree.
 */
const PIPELINE = `stages:
  fit:
    cmd: |-
      printf '{"rmse": %s, "model": {"layers": %s}}\\n' "\${fit.rate}" "\${fit.layers}" > metrics.json &&
      printf 'step,loss\\n1,%s\\n2,%s\\n' "\${fit.rate}" "\${fit.layers}" > loss.csv
    deps: [input.txt]
    params: [fit.rate, fit.layers]
    metrics: [metrics.json]
    plots:
      - loss.csv: {x: step, y: [loss], title: Loss <by step>}
`;

describe('params, metrics and plots against git revisions', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    git(dir, 'init', '-q');
    git(dir, 'config', 'user.email', 'test@example.com');
    git(dir, 'config', 'user.name', 'test');
    await writeFile(join(dir, 'mlops.yaml'), PIPELINE);
    await writeFile(join(dir, 'params.yaml'), 'fit:\n  rate: 0.5\n  layers: 2\n');
    await writeFile(join(dir, 'input.txt'), 'x\n');
    const first = await mlops(dir, 'repro');
    expect(first.code, first.stderr).toBe(0);
    git(dir, 'add', '-A');
    git(dir, 'commit', '-q', '-m', 'first run');
    await writeFile(join(dir, 'params.yaml'), 'fit:\n  rate: 0.25\n  layers: 2\n');
    const second = await mlops(dir, 'repro');
    expect(second.code, second.stderr).toBe(0);
  });
  afterAll(() => cleanup());

  it('params diff: the changed value against HEAD, all keys with --all', async () => {
    const out = await mlops(dir, 'params', 'diff', '--json');
    expect(out.code, out.stderr).toBe(0);
    const rows = (JSON.parse(out.stdout) as { rows: { key: string; old: unknown; new: unknown }[] })
      .rows;
    expect(rows).toEqual([expect.objectContaining({ key: 'fit.rate', old: 0.5, new: 0.25 })]);
    const all = await mlops(dir, 'params', 'diff', '--all', '--json');
    expect((JSON.parse(all.stdout) as { rows: unknown[] }).rows).toHaveLength(2);
  });

  it('metrics show and diff read the metrics files of the workspace and of HEAD', async () => {
    const show = await mlops(dir, 'metrics', 'show', '--json');
    expect(show.code, show.stderr).toBe(0);
    const shown = JSON.parse(show.stdout) as { metrics: { key: string; value: number }[] };
    expect(shown.metrics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ key: 'rmse', value: 0.25 }),
        expect.objectContaining({ key: 'model.layers', value: 2 }),
      ]),
    );
    const diff = await mlops(dir, 'metrics', 'diff', 'HEAD', '--json');
    expect(diff.code, diff.stderr).toBe(0);
    const rows = (JSON.parse(diff.stdout) as { rows: { key: string; old: number; new: number }[] })
      .rows;
    expect(rows).toEqual([expect.objectContaining({ key: 'rmse', old: 0.5, new: 0.25 })]);
    const text = await mlops(dir, 'metrics', 'diff', 'HEAD');
    expect(text.stdout).toContain('rmse');
    expect(text.stdout).toContain('-0.25');
  });

  it('plots diff writes one HTML page overlaying both revisions, text escaped', async () => {
    const out = await mlops(dir, 'plots', 'diff', 'HEAD', 'workspace', '-o', 'plots.html');
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain('plots.html');
    const html = await readFile(join(dir, 'plots.html'), 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('Loss &lt;by step&gt;');
    expect(html).not.toContain('<script');
    expect(html).toContain('HEAD');
    expect(html).toContain('workspace');
  });

  it('data gc --rev keeps the outs of the lock committed there (run-cache gone)', async () => {
    await rm(join(dir, '.mlops', 'run-cache'), { recursive: true });
    const gc = await mlops(dir, 'data', 'gc', '--rev', 'HEAD', '--json');
    expect(gc.code, gc.stderr).toBe(0);
    git(dir, 'checkout', '-q', 'HEAD', '--', 'mlops.lock', 'params.yaml', 'metrics.json');
    await rm(join(dir, 'loss.csv'));
    const repro = await mlops(dir, 'repro');
    expect(repro.code, repro.stderr).toBe(0);
    expect(repro.stdout).toContain("Stage 'fit' is cached: out loss.csv missing");
    expect(await readFile(join(dir, 'loss.csv'), 'utf8')).toBe('step,loss\n1,0.5\n2,2\n');
  });

  it('an unknown revision is named in the error', async () => {
    const out = await mlops(dir, 'metrics', 'diff', 'no-such-rev');
    expect(out.code).toBe(3);
    expect(out.stderr).toContain('no-such-rev');
  });
});

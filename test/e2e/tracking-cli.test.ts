import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_INDEX, mlops, runNode, tempWorkspace } from './cli-harness.js';

/** The SDK half: a script the test writes into the workspace and runs with node, as a user would. */
const LOG_TWO_RUNS = `
import { writeFile, mkdir } from 'node:fs/promises';
const { connect, withRun } = await import(${JSON.stringify(DIST_INDEX)});
const client = await connect();
const ids = [];
for (const [name, units, rmse] of [['lstm-a', 50, 2.9], ['lstm-b', 64, 3.4]]) {
  ids.push(await withRun(client, { experiment: 'goog', name, tags: { model: 'lstm-' + units } }, async (run) => {
    await run.logParams({ units, window: 60 });
    for (let epoch = 0; epoch < 5; epoch++) run.logMetric('loss', 1 / (epoch + 1), epoch);
    run.logMetric('rmse', rmse);
    await mkdir('model', { recursive: true });
    await writeFile('model/model.json', JSON.stringify({ units }));
    await writeFile('model/weights.bin', 'w'.repeat(1000));
    await run.logArtifact('model');
    return run.id;
  }));
}
await client.close();
console.log(JSON.stringify(ids));
`;

describe('tracking through the CLI and the SDK', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let runA: string;
  let runB: string;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    const created = await mlops(dir, 'experiments', 'create', 'goog', '--tag', 'team=quant');
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    await writeFile(join(dir, 'log.mjs'), LOG_TWO_RUNS);
    const logged = await runNode(['log.mjs'], dir);
    expect(logged.stderr).toBe('');
    [runA, runB] = JSON.parse(logged.stdout) as [string, string];
  });
  afterAll(() => cleanup());

  it('lists the experiment', async () => {
    const out = await mlops(dir, 'experiments', 'list', '--json');
    const { experiments } = JSON.parse(out.stdout) as {
      experiments: { name: string; tags: object }[];
    };
    expect(experiments.map((e) => e.name).sort()).toEqual(['Default', 'goog']);
    expect(experiments.find((e) => e.name === 'goog')?.tags).toEqual({ team: 'quant' });
  });

  it('searches runs back with the MLflow grammar', async () => {
    const out = await mlops(
      dir,
      'runs',
      'search',
      '-e',
      'goog',
      '--filter',
      "metrics.rmse < 3 and params.units = '50' and tags.model LIKE 'lstm%'",
      '--order-by',
      'metrics.rmse ASC',
      '--json',
    );
    expect(out.code).toBe(0);
    const { runs } = JSON.parse(out.stdout) as {
      runs: { info: { runId: string; status: string } }[];
    };
    expect(runs.map((r) => r.info.runId)).toEqual([runA]);
    expect(runs[0]?.info.status).toBe('FINISHED');
    const table = await mlops(dir, 'runs', 'list', '-e', 'goog');
    expect(table.stdout).toContain('lstm-a');
    expect(table.stdout).toContain('lstm-b');
  });

  it('shows and compares runs', async () => {
    const show = await mlops(dir, 'runs', 'show', runA);
    expect(show.stdout).toContain('units');
    expect(show.stdout).toContain('model/weights.bin');
    const out = await mlops(dir, 'runs', 'compare', runA, runB, '--json');
    const comparison = JSON.parse(out.stdout) as {
      rows: { kind: string; key: string; values: string[]; differs: boolean }[];
    };
    expect(comparison.rows.find((r) => r.key === 'units')).toEqual({
      kind: 'param',
      key: 'units',
      values: ['50', '64'],
      differs: true,
    });
    expect(comparison.rows.find((r) => r.key === 'window')?.differs).toBe(false);
    expect(comparison.rows.find((r) => r.key === 'rmse')?.values).toEqual(['2.9', '3.4']);
    const text = await mlops(dir, 'runs', 'compare', runA, runB);
    expect(text.stdout).toContain('units');
    expect(text.stdout).not.toContain('window');
  });

  it('lists and downloads artifacts byte for byte', async () => {
    const list = await mlops(dir, 'artifacts', 'list', runA, 'model', '--json');
    const { files } = JSON.parse(list.stdout) as { files: { path: string; fileSize: number }[] };
    expect(files).toEqual([
      { path: 'model/model.json', isDir: false, fileSize: 12 },
      { path: 'model/weights.bin', isDir: false, fileSize: 1000 },
    ]);
    const dl = await mlops(dir, 'artifacts', 'download', runA, 'model', '-d', 'out');
    expect(dl.code).toBe(0);
    expect(await readFile(join(dir, 'out', 'model', 'weights.bin'), 'utf8')).toBe('w'.repeat(1000));
  });

  it('stores the identical weights of two runs once', async () => {
    const blobs: string[] = [];
    for (const sub of await readdir(join(dir, '.mlops', 'blobs'))) {
      if (/^[0-9a-f]{2}$/.test(sub))
        blobs.push(...(await readdir(join(dir, '.mlops', 'blobs', sub))));
    }
    // weights.bin (identical in both runs): 1 chunk + 1 manifest; model.json differs: 2 + 2.
    expect(blobs).toHaveLength(6);
  });

  it('shows the lineage around a run', async () => {
    const out = await mlops(dir, 'lineage', `runs:/${runA}`);
    expect(out.code).toBe(0);
    expect(out.stdout).toContain(`runs:/${runA}`);
    expect(out.stdout).toContain('output');
    expect(out.stdout).toContain('artifact:');
    const json = JSON.parse((await mlops(dir, 'lineage', `runs:/${runA}`, '--json')).stdout) as {
      edges: unknown[];
    };
    expect(json.edges).toHaveLength(2);
  });

  it('answers bad input with the documented code and exit status', async () => {
    const filter = await mlops(
      dir,
      'runs',
      'search',
      '--filter',
      'metrics.rmse < 3 OR params.units = 1',
    );
    expect(filter.code).toBe(2);
    expect(filter.stderr).toMatch(/INVALID_PARAMETER_VALUE.*position \d+/);
    const unknown = await mlops(dir, 'runs', 'show', 'f'.repeat(32));
    expect(unknown.code).toBe(3);
    expect(unknown.stderr).toContain('RESOURCE_DOES_NOT_EXIST');
    for (const path of [
      '../../etc/passwd',
      '/etc/passwd',
      '%2e%2e/%2e%2e/etc',
      '..%252f..%252fetc',
    ]) {
      const traversal = await mlops(dir, 'artifacts', 'download', runA, path, '-d', 'out2');
      expect(traversal.code, path).toBe(2);
      expect(traversal.stderr).toContain('INVALID_PARAMETER_VALUE');
    }
    const dup = await mlops(dir, 'experiments', 'create', 'goog');
    expect(dup.code).toBe(4);
    expect(dup.stderr).toContain('RESOURCE_ALREADY_EXISTS');
    const usage = await mlops(dir, 'runs', 'list', '--max-results', 'ten');
    expect(usage.code).toBe(2);
  });

  it('refuses to download through a symlinked folder in the destination', async () => {
    const { symlink } = await import('node:fs/promises');
    await mkdir(join(dir, 'dest'), { recursive: true });
    await mkdir(join(dir, 'elsewhere'), { recursive: true });
    await symlink(join(dir, 'elsewhere'), join(dir, 'dest', 'model'));
    const out = await mlops(dir, 'artifacts', 'download', runA, 'model', '-d', 'dest');
    expect(out.code).toBe(2);
    expect(out.stderr).toContain('symlink');
    expect(await readdir(join(dir, 'elsewhere'))).toEqual([]);
  });

  it('refuses to log a symlink that points outside the logged directory', async () => {
    await mkdir(join(dir, 'leaky'), { recursive: true });
    await writeFile(join(dir, 'leaky', 'ok.txt'), 'ok');
    const { symlink } = await import('node:fs/promises');
    await symlink('/etc/hostname', join(dir, 'leaky', 'secret'));
    const script = `
      const { connect, withRun } = await import(${JSON.stringify(DIST_INDEX)});
      const client = await connect();
      try {
        await withRun(client, {}, (run) => run.logArtifact('leaky'));
      } catch (err) { console.log(err.code); }
      await client.close();`;
    await writeFile(join(dir, 'leak.mjs'), script);
    const out = await runNode(['leak.mjs'], dir);
    expect(out.stdout.trim()).toBe('INVALID_PARAMETER_VALUE');
  });
});

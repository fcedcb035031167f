import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { connect } from '../../src/app/index.js';
import { mlops, tempWorkspace } from './cli-harness.js';
import { git } from './data-harness.js';

/**
 * `mlops repro` on a real workspace of shell stages: each stage appends its name to runs.log
 * (not an out), so the tests see exactly which stages executed.
 */
const PIPELINE = `stages:
  prepare:
    cmd: tr a-z A-Z < input.txt > build/upper.txt && echo prepare >> runs.log
    deps: [input.txt]
    outs: [build/upper.txt]
  count:
    cmd: wc -c < build/upper.txt | tr -d ' ' > count.txt && echo count >> runs.log
    deps: [build/upper.txt]
    outs: [count.txt]
  scale:
    cmd: echo "\${scale.factor}" > scale.txt && echo scale >> runs.log
    deps: [input.txt]
    params: [scale.factor]
    outs: [scale.txt]
  report:
    cmd: |-
      printf '{"count": %s, "scale": %s}\\n' "$(cat count.txt)" "$(cat scale.txt)" > metrics.json && echo report >> runs.log
    deps: [count.txt, scale.txt]
    metrics: [metrics.json]
`;

async function runsLog(dir: string): Promise<string[]> {
  const text = await readFile(join(dir, 'runs.log'), 'utf8').catch(() => '');
  await rm(join(dir, 'runs.log'), { force: true });
  return text.split('\n').filter((l) => l !== '');
}

async function repro(dir: string, ...args: string[]) {
  const result = await mlops(dir, 'repro', ...args);
  if (result.code !== 0)
    throw new Error(`repro failed (${result.code}):\n${result.stdout}\n${result.stderr}`);
  return result;
}

describe('mlops repro (cmd stages)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;

  beforeAll(async () => {
    ({ dir, cleanup } = await tempWorkspace());
    git(dir, 'init', '-q');
    await writeFile(join(dir, 'mlops.yaml'), PIPELINE);
    await writeFile(join(dir, 'params.yaml'), 'scale:\n  factor: 2\n');
    await writeFile(join(dir, 'input.txt'), 'hello pipeline\n');
  });
  afterAll(() => cleanup());

  it('runs every stage once, writes mlops.lock, and a second repro skips them all', async () => {
    const first = await repro(dir);
    // count and scale are independent: either may finish first.
    expect((await runsLog(dir)).sort()).toEqual(['count', 'prepare', 'report', 'scale']);
    expect(first.stdout).toContain('4 ran');
    expect(await readFile(join(dir, 'build/upper.txt'), 'utf8')).toBe('HELLO PIPELINE\n');
    expect(JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8'))).toEqual({
      count: 15,
      scale: 2,
    });
    const lock = parse(await readFile(join(dir, 'mlops.lock'), 'utf8'));
    expect(Object.keys(lock.stages)).toEqual(['prepare', 'count', 'scale', 'report']);
    expect(lock.stages.scale.params['params.yaml']).toEqual({ 'scale.factor': 2 });
    expect(lock.stages.report.outs[0]).toMatchObject({ path: 'metrics.json', kind: 'metric' });

    const second = await repro(dir);
    expect(await runsLog(dir)).toEqual([]);
    expect(second.stdout).toContain("Stage 'report' didn't change, skipping");
    expect(second.stdout).toContain('0 ran, 0 restored from cache, 4 skipped');
  });

  it('--dry says what would run and why, and runs nothing', async () => {
    await writeFile(join(dir, 'params.yaml'), 'scale:\n  factor: 3\n');
    const dry = await repro(dir, '--dry');
    // The templated command changes with the param, as in DVC's lock.
    expect(dry.stdout).toMatch(/Would run stage 'scale': .*param scale.factor changed \(2 -> 3\)/);
    expect(dry.stdout).toContain("Would run stage 'report': upstream stage 'scale' would run");
    expect(dry.stdout).toContain("Stage 'prepare' didn't change, skipping");
    expect(await runsLog(dir)).toEqual([]);
  });

  it('a changed param reruns only the stages that depend on it', async () => {
    await repro(dir);
    expect(await runsLog(dir)).toEqual(['scale', 'report']);
    expect(JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')).scale).toBe(3);
  });

  it('an edited dep reruns the stages downstream of it', async () => {
    await writeFile(join(dir, 'input.txt'), 'hello pipeline, edited\n');
    const result = await repro(dir);
    expect((await runsLog(dir)).sort()).toEqual(['count', 'prepare', 'report', 'scale']);
    expect(result.stdout).toContain('dep input.txt modified');
  });

  it('reverting restores every stage from the run-cache without running it', async () => {
    await writeFile(join(dir, 'input.txt'), 'hello pipeline\n');
    const result = await repro(dir);
    expect(await runsLog(dir)).toEqual([]);
    expect(result.stdout).toContain("Stage 'prepare' is cached");
    expect(result.stdout).toContain('restored from the run-cache');
    expect(await readFile(join(dir, 'build/upper.txt'), 'utf8')).toBe('HELLO PIPELINE\n');
    expect(JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8'))).toEqual({
      count: 15,
      scale: 3,
    });
  });

  it('a deleted out is restored from the store, not rerun', async () => {
    await rm(join(dir, 'count.txt'));
    const result = await repro(dir);
    expect(await runsLog(dir)).toEqual([]);
    expect(result.stdout).toMatch(/Stage 'count' is cached: out count.txt missing/);
    expect(await readFile(join(dir, 'count.txt'), 'utf8')).toBe('15\n');
  });

  it('--force reruns the selected stages even when up to date; targets bring their upstream', async () => {
    await repro(dir, '--force', 'count');
    expect(await runsLog(dir)).toEqual(['prepare', 'count']);
    await repro(dir, '--force', '--downstream', 'scale');
    expect(await runsLog(dir)).toEqual(['scale', 'report']);
  });

  it('tracks a pipeline run with one child run per stage, whatever happened to it', async () => {
    const client = await connect(`sqlite:${join(dir, '.mlops', 'mlops.db')}`, { cwd: dir });
    try {
      const experiment = await client.findExperiment('pipeline');
      const page = await client.searchRuns({
        experimentIds: [experiment.experimentId],
        filter: `tags."mlops.stage" = 'report'`,
        maxResults: 100,
      });
      const statuses = page.items.map((r) => r.data.tags['mlops.stage.status']);
      expect(statuses).toContain('ran');
      expect(statuses).toContain('skipped');
      expect(statuses).toContain('cache-hit');
      const ran = page.items.find((r) => r.data.tags['mlops.stage.status'] === 'ran');
      expect(ran?.data.metrics.map((m) => m.key).sort()).toEqual(['count', 'duration_s', 'scale']);
      const parentId = ran?.data.tags['mlflow.parentRunId'];
      expect(parentId).toBeDefined();
      const children = await client.searchRuns({
        experimentIds: [experiment.experimentId],
        filter: `tags."mlflow.parentRunId" = '${parentId}'`,
      });
      expect(children.items.map((r) => r.info.runName).sort()).toEqual([
        'count',
        'prepare',
        'report',
        'scale',
      ]);
      const artifacts = await client.listArtifacts(ran?.info.runId ?? '', 'logs');
      expect(artifacts.map((a) => a.path)).toEqual(['logs/report.log']);
    } finally {
      await client.close();
    }
  });

  it('gc keeps stage outs (lock and run-cache) and the next repro restores them', async () => {
    const gc = await mlops(dir, 'data', 'gc', '--json');
    expect(gc.code).toBe(0);
    await rm(join(dir, 'build'), { recursive: true });
    await rm(join(dir, 'count.txt'));
    await repro(dir);
    expect(await runsLog(dir)).toEqual([]);
    expect(await readFile(join(dir, 'build/upper.txt'), 'utf8')).toBe('HELLO PIPELINE\n');
    // An older version's outs live only in the run-cache: reverting to it still restores.
    await writeFile(join(dir, 'input.txt'), 'hello pipeline, edited\n');
    await repro(dir);
    expect(await runsLog(dir)).toEqual([]);
    expect(await readFile(join(dir, 'build/upper.txt'), 'utf8')).toBe('HELLO PIPELINE, EDITED\n');
  });
});

describe('mlops repro: a stage failing in the middle of a parallel DAG', () => {
  it('stops its downstream, finishes the independent branch, keeps finished lock entries, and says where the log is', async () => {
    const { dir, cleanup } = await tempWorkspace();
    try {
      await writeFile(
        join(dir, 'mlops.yaml'),
        `stages:
  source:
    cmd: echo data > source.txt
    outs: [source.txt]
  ok:
    cmd: sleep 0.3 && cp source.txt ok.txt
    deps: [source.txt]
    outs: [ok.txt]
  broken:
    cmd: echo "about to fail" && exit 3
    deps: [source.txt]
    outs: [broken.txt]
  after-broken:
    cmd: cp broken.txt after.txt
    deps: [broken.txt]
    outs: [after.txt]
  after-ok:
    cmd: cp ok.txt after-ok.txt
    deps: [ok.txt]
    outs: [after-ok.txt]
`,
      );
      const result = await mlops(dir, 'repro', '-j', '2');
      expect(result.code).toBe(8);
      expect(result.stdout).toContain('[broken] about to fail');
      expect(result.stderr).toMatch(
        /Stage 'broken' failed \(exit code 3\); its log: \.mlops\/logs\/[^ ]+\/broken\.log/,
      );
      expect(result.stderr).toContain('Not run: after-broken');
      const log = /its log: (\S+)\./.exec(result.stderr)?.[1] ?? '';
      expect(await readFile(join(dir, log), 'utf8')).toBe('about to fail\n');
      const lock = parse(await readFile(join(dir, 'mlops.lock'), 'utf8'));
      expect(Object.keys(lock.stages).sort()).toEqual(['after-ok', 'ok', 'source']);
      expect(existsSync(join(dir, 'after.txt'))).toBe(false);
      expect(await readFile(join(dir, 'after-ok.txt'), 'utf8')).toBe('data\n');
      // Fixed, the next repro runs only what did not finish.
      await writeFile(
        join(dir, 'mlops.yaml'),
        (await readFile(join(dir, 'mlops.yaml'), 'utf8')).replace(
          'echo "about to fail" && exit 3',
          'cp source.txt broken.txt',
        ),
      );
      const again = await mlops(dir, 'repro', '-j', '2');
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('2 ran, 0 restored from cache, 3 skipped');
    } finally {
      await cleanup();
    }
  });
});

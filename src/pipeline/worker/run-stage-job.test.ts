import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../blobs/index.js';
import { restoreDataPaths, storeDataPaths, type StoredPath } from '../../data/index.js';
import { expectCode } from '../../testing/index.js';
import type { StageSpec } from '../spec/pipeline-spec.js';
import { runStageJob, TIMEOUT_EXIT_CODE, type StageJobContext } from './run-stage-job.js';
import { STAGE_JOB_VERSION, type JobLine, type StageJobData } from './stage-job.js';

function spec(fields: Partial<StageSpec>): StageSpec {
  return {
    name: 'train',
    wdir: '.',
    deps: [],
    params: [],
    outs: [],
    alwaysChanged: false,
    frozen: false,
    source: { file: 'mlops.yaml', line: 1 },
    ...fields,
  };
}

describe('runStageJob (a worker running one stage job)', () => {
  let dir: string;
  let blobs: LocalBlobStore;
  let workDir: string;
  let lines: JobLine[];
  let ctx: StageJobContext;
  const job = (stage: StageSpec, extra: Partial<StageJobData> = {}): StageJobData => ({
    version: STAGE_JOB_VERSION,
    stage,
    commands: stage.cmd ?? [],
    env: {},
    inputs: [],
    remote: { url: join(dir, 'remote') },
    ...extra,
  });

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-stage-job-'));
    blobs = new LocalBlobStore(join(dir, 'remote'));
    workDir = join(dir, 'work');
    lines = [];
    ctx = {
      blobs,
      workDir,
      worker: 'test:1',
      attempt: 'a1',
      env: {},
      onLine: (line) => lines.push(line),
    };
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('runs in wdir of a private directory with the inputs, stores the outs, then cleans up', async () => {
    const ws = join(dir, 'ws');
    await mkdir(join(ws, 'data'), { recursive: true });
    await writeFile(join(ws, 'data', 'rows.csv'), 'a\nb\nc\n');
    await writeFile(join(ws, 'params.yaml'), 'n: 2\n');
    const inputs = await storeDataPaths({ root: ws, stateDir: join(ws, '.mlops'), blobs }, [
      'data/rows.csv',
      'params.yaml',
    ]);
    const stage = spec({
      cmd: [
        'head -n 2 ../data/rows.csv > ../models/head.txt',
        'echo "$GREETING from $(basename $PWD)"',
      ],
      wdir: 'src',
      outs: [
        { path: 'models/head.txt', kind: 'out', cache: true, persist: false },
        { path: 'params.yaml', kind: 'plot', cache: true, persist: false },
      ],
    });
    const result = await runStageJob(job(stage, { inputs, env: { GREETING: 'hi' } }), ctx);
    expect(result.exitCode, result.log).toBe(0);
    expect(result.log).toBe('hi from src\n');
    expect(result.streams).toBe('o');
    expect(lines).toEqual([['o', 'hi from src']]);
    expect(result.outs?.map((o) => [o.path, o.kind])).toEqual([
      ['models/head.txt', undefined],
      ['params.yaml', 'plot'],
    ]);
    const back = join(dir, 'back');
    await restoreDataPaths(
      { root: back, stateDir: join(back, '.mlops'), blobs },
      (result.outs ?? []) as StoredPath[],
    );
    expect(await readFile(join(back, 'models', 'head.txt'), 'utf8')).toBe('a\nb\n');
    expect(await readdir(workDir)).toEqual([]);
  });

  it('lets the worker environment override the job environment', async () => {
    const stage = spec({ cmd: ['echo "$MLOPS_TRACKING_URI"'] });
    const data = job(stage, { env: { MLOPS_TRACKING_URI: 'sqlite:/coordinator/only.db' } });
    const result = await runStageJob(data, {
      ...ctx,
      env: { MLOPS_TRACKING_URI: 'postgresql://db/mlops' },
    });
    expect(result.log).toBe('postgresql://db/mlops\n');
  });

  it('stops commands that outlive the attempt timeout', async () => {
    const stage = spec({ cmd: ['echo going', 'sleep 20'] });
    const started = performance.now();
    const result = await runStageJob(job(stage, { attemptTimeoutMs: 300 }), ctx);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(result.exitCode).toBe(TIMEOUT_EXIT_CODE);
    expect(result.log).toMatch(/^going\nmlops worker: the stage ran out of its 300 ms/);
    expect(result.outs).toBeUndefined();
  });

  it('stores nothing when the job is stopped', async () => {
    const control = new AbortController();
    const stage = spec({
      cmd: ['echo x > out.txt && sleep 20'],
      outs: [{ path: 'out.txt', kind: 'out', cache: true, persist: false }],
    });
    setTimeout(() => control.abort(), 300);
    const result = await runStageJob(job(stage), { ...ctx, signal: control.signal });
    expect(result.cancelled).toBe(true);
    expect(result.outs).toBeUndefined();
    expect(await readdir(join(dir, 'remote')).catch(() => [])).toEqual([]);
  });

  it('refuses paths that leave the private directory', async () => {
    for (const stage of [
      spec({ cmd: ['true'], wdir: '../elsewhere' }),
      spec({ cmd: ['true'], outs: [{ path: '/etc/x', kind: 'out', cache: true, persist: false }] }),
    ]) {
      await expectCode(runStageJob(job(stage), ctx), 'INVALID_PARAMETER_VALUE');
    }
  });
});

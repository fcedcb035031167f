import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { S3BlobStore } from '../../blobs/index.js';
import { restoreDataPaths, storeDataPaths, type StoredPath } from '../../data/index.js';
import {
  dropRedisKeys,
  expectCode,
  redisUnavailable,
  REDIS_TEST_URL,
  startS3Server,
  type S3TestServer,
} from '../../testing/index.js';
import type { OutSpec, StageSpec } from '../spec/pipeline-spec.js';
import { runWorker, type StageWorker, type WorkerEvent } from '../worker/run-worker.js';
import type { SharedRemote } from '../worker/stage-job.js';
import type { StageOutcome, StageTask, StoredInput } from './executor.js';
import { QueueExecutor } from './queue-executor.js';

const redisDown = await redisUnavailable();

const sha256 = (bytes: string | Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const out = (path: string, kind: OutSpec['kind'] = 'out'): OutSpec => ({
  path,
  kind,
  cache: kind !== 'metric',
  persist: false,
});

function stage(name: string, cmd: string[], outs: OutSpec[], deps: string[] = []): StageSpec {
  return {
    name,
    cmd,
    wdir: '.',
    deps,
    params: [],
    outs,
    alwaysChanged: false,
    frozen: false,
    source: { file: 'mlops.yaml', line: 1 },
  };
}

describe.skipIf(redisDown !== undefined)('QueueExecutor with in-process workers', () => {
  const prefix = `mlops-test-${randomBytes(4).toString('hex')}`;
  let s3: S3TestServer;
  let remote: SharedRemote;
  let store: S3BlobStore;
  let scratch: string;
  let workspace: string;
  const workers: StageWorker[] = [];
  const executors: QueueExecutor[] = [];
  const events: WorkerEvent[] = [];

  const startWorker = async (name: string, queue: string) => {
    const worker = await runWorker({
      queue,
      prefix,
      redisUrl: REDIS_TEST_URL,
      name,
      workDir: join(scratch, 'work', name),
      lockDurationMs: 2_000,
      stalledIntervalMs: 1_000,
      onEvent: (e) => events.push(e),
    });
    workers.push(worker);
    return worker;
  };
  const executor = (queue: string, extra: { attempts?: number } = {}) => {
    const made = new QueueExecutor({ remote, redisUrl: REDIS_TEST_URL, prefix, queue, ...extra });
    executors.push(made);
    return made;
  };
  const task = (spec: StageSpec, inputs: StoredInput[] = []): StageTask => ({
    stage: spec,
    root: workspace,
    commands: spec.cmd ?? [],
    env: { MLOPS_STAGE: spec.name },
    inputs,
  });
  const run = async (exec: QueueExecutor, t: StageTask, signal?: AbortSignal) => {
    const lines: string[] = [];
    const outcome = await exec.execute(t, {
      onLine: (line, stream) => lines.push(`${stream}: ${line}`),
      ...(signal === undefined ? {} : { signal }),
    });
    return { outcome, lines };
  };
  /** Restores the outcome's outs from the remote into a fresh directory; path -> content. */
  const landed = async (outcome: StageOutcome) => {
    const dir = await mkdtemp(join(scratch, 'landed-'));
    const ctx = { root: dir, stateDir: join(dir, '.mlops'), blobs: store };
    await restoreDataPaths(ctx, (outcome.outs ?? []) as StoredPath[]);
    const files: Record<string, string> = {};
    for (const o of outcome.outs ?? []) files[o.path] = await readFile(join(dir, o.path), 'utf8');
    return files;
  };

  beforeAll(async () => {
    s3 = await startS3Server();
    for (const [name, value] of Object.entries(s3.env)) vi.stubEnv(name, value);
    remote = {
      name: 'shared',
      url: `s3://${s3.bucket}/store`,
      endpoint: s3.endpoint,
      region: s3.region,
    };
    store = new S3BlobStore(remote.url, { endpoint: s3.endpoint, region: s3.region });
    scratch = await mkdtemp(join(tmpdir(), 'mlops-queue-'));
    workspace = join(scratch, 'ws');
    await mkdir(join(workspace, 'data'), { recursive: true });
    await startWorker('w1', 'main');
    await startWorker('w2', 'main');
  });

  afterAll(async () => {
    for (const e of executors) await e.close();
    for (const w of workers) await w.close({ release: true });
    await dropRedisKeys(`${prefix}:*`);
    await store?.close();
    await s3?.stop();
    vi.unstubAllEnvs();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('runs a stage on a worker: inputs fetched by hash, outs stored in the remote', async () => {
    await writeFile(join(workspace, 'data', 'in.txt'), 'hello queue\n');
    const ctx = { root: workspace, stateDir: join(workspace, '.mlops'), blobs: store };
    const inputs = await storeDataPaths(ctx, ['data/in.txt']);
    const spec = stage(
      'upper',
      [
        'tr a-z A-Z < data/in.txt > build/upper.txt',
        'echo "stage $MLOPS_STAGE done"; echo warn >&2',
        'echo \'{"chars": 12}\' > metrics.json',
      ],
      [out('build/upper.txt'), out('metrics.json', 'metric')],
      ['data/in.txt'],
    );
    const { outcome, lines } = await run(executor('main'), task(spec, inputs));
    expect(outcome.exitCode, outcome.log).toBe(0);
    expect(['w1', 'w2']).toContain(outcome.worker);
    expect(outcome.log).toBe('stage upper done\nwarn\n');
    expect(lines).toEqual(['stdout: stage upper done', 'stderr: warn']);
    expect(outcome.outs?.map((o) => [o.path, o.sha256, o.kind])).toEqual([
      ['build/upper.txt', sha256('HELLO QUEUE\n'), undefined],
      ['metrics.json', sha256('{"chars": 12}\n'), 'metric'],
    ]);
    expect(await landed(outcome)).toEqual({
      'build/upper.txt': 'HELLO QUEUE\n',
      'metrics.json': '{"chars": 12}\n',
    });
  });

  it('returns a failing command as an exit code and its log, without retrying it', async () => {
    const counter = join(scratch, 'failing-runs.txt');
    const spec = stage('fails', [`echo ran >> ${counter}`, 'echo "bad input" >&2; exit 3'], []);
    const { outcome, lines } = await run(executor('main'), task(spec));
    expect(outcome.exitCode).toBe(3);
    expect(outcome.outs).toBeUndefined();
    expect(outcome.log).toBe('bad input\n');
    expect(lines).toEqual(['stderr: bad input']);
    expect(await readFile(counter, 'utf8')).toBe('ran\n');
  });

  it('fails a stage that succeeds without writing a declared out', async () => {
    const spec = stage('lazy', ['echo nothing written'], [out('model.bin')]);
    const { outcome } = await run(executor('main'), task(spec));
    expect(outcome.exitCode).not.toBe(0);
    expect(outcome.log).toMatch(/did not write model\.bin/);
  });

  it('runs two stages at once on two workers', async () => {
    const exec = executor('main');
    const slow = (name: string) =>
      task(stage(name, [`sleep 1.5 && echo ${name} > ${name}.txt`], [out(`${name}.txt`)]));
    const started = performance.now();
    const [a, b] = await Promise.all([run(exec, slow('left')), run(exec, slow('right'))]);
    const elapsed = performance.now() - started;
    expect(a.outcome.exitCode).toBe(0);
    expect(b.outcome.exitCode).toBe(0);
    expect(new Set([a.outcome.worker, b.outcome.worker])).toEqual(new Set(['w1', 'w2']));
    expect(elapsed).toBeLessThan(2900);
    expect(await landed(a.outcome)).toEqual({ 'left.txt': 'left\n' });
    expect(await landed(b.outcome)).toEqual({ 'right.txt': 'right\n' });
  });

  it('retries a job whose worker side fails (a missing input), then reports it', async () => {
    const missing: StoredInput = {
      path: 'data/gone.txt',
      sha256: sha256('gone'),
      size: 4,
      manifest: sha256('no such manifest'),
    };
    const spec = stage('orphan', ['cat data/gone.txt'], [], ['data/gone.txt']);
    const { outcome, lines } = await run(executor('main', { attempts: 2 }), task(spec, [missing]));
    expect(outcome.exitCode).toBe(1);
    expect(outcome.log).toMatch(/failed on the workers after 2 attempts: .*data\/gone\.txt/);
    expect(lines.at(-1)).toMatch(/^stderr: mlops: stage 'orphan'/);
    const failures = events.filter((e) => e.type === 'failed' && e.stage === 'orphan');
    expect(failures).toHaveLength(2);
  });

  it('cancels a running stage through the io signal', async () => {
    const exec = executor('main');
    const controller = new AbortController();
    const spec = stage('endless', ['echo started', 'sleep 30'], []);
    const running = run(exec, task(spec), controller.signal);
    await vi.waitFor(
      () => expect(events.some((e) => e.type === 'taken' && e.stage === 'endless')).toBe(true),
      { timeout: 10_000 },
    );
    const started = performance.now();
    controller.abort();
    const { outcome } = await running;
    expect(outcome.exitCode).toBe(130);
    expect(performance.now() - started).toBeLessThan(5_000);
    await vi.waitFor(
      () =>
        expect(events.find((e) => e.type === 'finished' && e.stage === 'endless')).toMatchObject({
          cancelled: true,
        }),
      { timeout: 5_000 },
    );
  });

  it('puts a job back in the queue when its worker closes with release', async () => {
    const first = await startWorker('leaving', 'handover');
    const exec = executor('handover');
    const spec = stage(
      'handed',
      ['echo begin', 'sleep 1 && echo done > handed.txt'],
      [out('handed.txt')],
    );
    const running = run(exec, task(spec));
    await vi.waitFor(() => expect(first.running).toBe(1), { timeout: 10_000 });
    await startWorker('taking', 'handover');
    await first.close({ release: true });
    const { outcome, lines } = await running;
    expect(outcome.exitCode, outcome.log).toBe(0);
    expect(outcome.worker).toBe('taking');
    expect(lines.filter((l) => l === 'stdout: begin').length).toBeGreaterThanOrEqual(1);
    expect(events).toContainEqual(expect.objectContaining({ type: 'released', stage: 'handed' }));
    expect(await landed(outcome)).toEqual({ 'handed.txt': 'done\n' });
  });

  it('says where Redis was expected when it is unreachable', async () => {
    const exec = new QueueExecutor({ remote, redisUrl: 'redis://127.0.0.1:1' });
    const err = await expectCode(
      exec.execute(task(stage('x', ['true'], [])), { onLine() {} }),
      'DATABASE_UNREACHABLE',
    );
    expect(err.message).toMatch(/redis:\/\/127\.0\.0\.1:1.*MLOPS_REDIS_URL/);
    await exec.close();
    const worker = await expectCode(
      runWorker({ redisUrl: 'redis://:pw@127.0.0.1:1' }),
      'DATABASE_UNREACHABLE',
    );
    expect(worker.message).not.toMatch(/pw/);
  });
});

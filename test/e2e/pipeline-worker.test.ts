import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { S3BlobStore } from '../../src/blobs/index.js';
import { restoreDataPaths, storeDataPaths, type StoredPath } from '../../src/data/index.js';
import { QueueExecutor, type StageSpec } from '../../src/pipeline/index.js';
import { dropRedisKeys, REDIS_TEST_URL } from '../../src/testing/index.js';
import { CLI, runNode } from './cli-harness.js';
import { s3Workspace, type S3Workspace } from './data-harness.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A `mlops worker` process and everything it printed so far. */
interface WorkerProcess {
  readonly child: ChildProcess;
  readonly workDir: string;
  stdout: string;
  stderr: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Resolves once `check()` holds (polling), or fails after `timeoutMs` with `what`. */
async function until(check: () => boolean, what: () => string, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting: ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('mlops worker processes (built CLI, Redis, s3rver)', () => {
  const queue = `e2e-${randomBytes(4).toString('hex')}`;
  let ws: S3Workspace;
  let store: S3BlobStore;
  let executor: QueueExecutor;
  const workers: WorkerProcess[] = [];

  const startWorker = async (name: string): Promise<WorkerProcess> => {
    const workDir = join(ws.root, `work-${name}`);
    await mkdir(workDir, { recursive: true });
    const child = spawn(
      process.execPath,
      [
        CLI,
        'worker',
        '--queue',
        queue,
        '--redis-url',
        REDIS_TEST_URL,
        '--work-dir',
        workDir,
        '--lock-duration',
        '1',
      ],
      {
        cwd: ws.root,
        env: { ...process.env, ...ws.env, MLOPS_TRACKING_URI: '', MLOPS_ARTIFACT_URI: '' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const worker: WorkerProcess = {
      child,
      workDir,
      stdout: '',
      stderr: '',
      exited: new Promise((resolve) =>
        child.on('exit', (code, signal) => resolve({ code, signal })),
      ),
    };
    child.stdout?.on('data', (d: Buffer) => (worker.stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (worker.stderr += d.toString()));
    workers.push(worker);
    await until(
      () => worker.stdout.includes('waiting for stage jobs'),
      () => `worker ${name} ready (stdout: ${worker.stdout}, stderr: ${worker.stderr})`,
    );
    return worker;
  };

  beforeAll(async () => {
    ws = await s3Workspace();
    const remote = {
      url: `s3://${ws.s3.bucket}/shared`,
      endpoint: ws.s3.endpoint,
      region: ws.s3.region,
    };
    for (const [k, v] of Object.entries(ws.s3.env)) process.env[k] = v;
    store = new S3BlobStore(remote.url, { endpoint: remote.endpoint, region: remote.region });
    executor = new QueueExecutor({ remote, redisUrl: REDIS_TEST_URL, queue });
  });

  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGKILL');
    await executor?.close();
    await dropRedisKeys(`mlops:${queue}:*`);
    await store?.close();
    await ws?.cleanup();
  });

  it('finishes a stage on the other worker when the one running it is killed', async () => {
    const [one, two] = await Promise.all([startWorker('one'), startWorker('two')]);
    await writeFile(join(ws.dir, 'data', 'in.txt'), 'survives a dead worker\n');
    const ctx = { root: ws.dir, stateDir: join(ws.dir, '.mlops'), blobs: store };
    const inputs = await storeDataPaths(ctx, ['data/in.txt']);
    const stage: StageSpec = {
      name: 'slow',
      cmd: [],
      wdir: '.',
      deps: ['data/in.txt'],
      params: [],
      outs: [{ path: 'out.txt', kind: 'out', cache: true, persist: false }],
      alwaysChanged: false,
      frozen: false,
      source: { file: 'mlops.yaml', line: 1 },
    };
    const lines: string[] = [];
    const outcome = executor.execute(
      {
        stage,
        root: ws.dir,
        commands: [
          'echo started; echo partial > out.txt',
          'sleep 3 && tr a-z A-Z < data/in.txt > out.txt',
        ],
        env: {},
        inputs,
      },
      { onLine: (line) => lines.push(line) },
    );

    await until(
      () => workers.some((w) => w.stdout.includes("took stage 'slow'")),
      () => 'a worker to take the stage',
    );
    const victim = one.stdout.includes("took stage 'slow'") ? one : two;
    const survivor = victim === one ? two : one;
    await until(
      () => lines.includes('started'),
      () => `the first attempt to start (${lines})`,
    );
    victim.child.kill('SIGKILL');
    expect((await victim.exited).signal).toBe('SIGKILL');

    const result = await outcome;
    expect(result.exitCode, result.log).toBe(0);
    expect(result.worker).toMatch(new RegExp(`:${survivor.child.pid}$`));
    expect(survivor.stdout).toMatch(
      /finished stage 'slow' \(job \d+\): exit code 0 in [\d.]+ s, 1 out stored/,
    );
    expect(lines.filter((l) => l === 'started')).toHaveLength(2);
    expect(lines.some((l) => /starts over on worker .*did not finish/.test(l))).toBe(true);

    // The out comes from the surviving attempt; the dead worker's half-written one stayed in its
    // private directory and never reached the shared store.
    const landed = join(ws.root, 'landed');
    await restoreDataPaths(
      { root: landed, stateDir: join(landed, '.mlops'), blobs: store },
      (result.outs ?? []) as StoredPath[],
    );
    expect(await readFile(join(landed, 'out.txt'), 'utf8')).toBe('SURVIVES A DEAD WORKER\n');
    expect(result.outs?.[0]?.sha256).toBe(sha256('SURVIVES A DEAD WORKER\n'));
    expect(await store.has(sha256('partial\n'))).toBe(false);
    const leftovers = await readdir(victim.workDir);
    expect(leftovers.filter((n) => n.startsWith('mlops-stage-'))).toHaveLength(1);
    expect(await readdir(survivor.workDir)).toEqual([]);

    // SIGTERM: an idle worker stops at once and says so.
    survivor.child.kill('SIGTERM');
    expect((await survivor.exited).code).toBe(0);
    expect(survivor.stdout).toMatch(/worker .* stopped\n$/);
  });

  it('refuses to start without Redis, naming the URL', async () => {
    const out = await runNode(
      [CLI, 'worker', '--redis-url', 'redis://127.0.0.1:1'],
      ws.root,
      ws.env,
    );
    expect(out.code).toBe(5);
    expect(out.stderr).toMatch(/DATABASE_UNREACHABLE.*redis:\/\/127\.0\.0\.1:1.*MLOPS_REDIS_URL/);
  });
});

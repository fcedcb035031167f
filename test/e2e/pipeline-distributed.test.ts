import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { connect } from '../../src/app/index.js';
import { S3BlobStore } from '../../src/blobs/index.js';
import { freshPostgresUrl, postgresUnavailable } from '../../src/testing/index.js';
import type { Result } from './cli-harness.js';
import { s3Workspace, type S3Workspace } from './data-harness.js';
import {
  dropRedisKeys,
  killProcessesUnder,
  REDIS_URL,
  redisUnavailable,
  startCli,
  until,
  type CliProcess,
} from './process-harness.js';

/**
 * Issue 5's distributed acceptance test: the stock-forecast example reproduced through two
 * `mlops worker` processes (a Redis queue, PostgreSQL tracking, s3rver as the shared remote)
 * gives what the local executor gives, even though the worker training the LSTM is SIGKILLed
 * half-way (BullMQ hands the stalled job to the other worker once its 5 s hold lapses).
 */

const STAGES = [
  'validate',
  'train@persistence',
  'train@linear',
  'train@lstm',
  'evaluate',
  'register',
];
/** Where the pipeline's outs are, compared file by file between the two workspaces. */
const OUT_DIRS = ['reports', 'models', 'plots'];
const STAGE_DIR = 'mlops-stage-';

const skip = (await redisUnavailable()) ?? (await postgresUnavailable());

/** Every file under `dirs` of `root`, relative path -> sha256. */
async function fileHashes(root: string, dirs: readonly string[]): Promise<Record<string, string>> {
  const out: [string, string][] = [];
  for (const top of dirs) {
    for (const entry of await readdir(join(root, top), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const path = join(entry.parentPath, entry.name);
      const hash = createHash('sha256')
        .update(await readFile(path))
        .digest('hex');
      out.push([relative(root, path), hash]);
    }
  }
  return Object.fromEntries(out.sort(([a], [b]) => a.localeCompare(b)));
}

function ok(what: string, result: Result): Result {
  if (result.code !== 0) {
    throw new Error(`${what} exited ${result.code}:\n${result.stdout}\n${result.stderr}`);
  }
  return result;
}

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

describe.skipIf(skip !== undefined)(
  'the example pipeline through two mlops worker processes (Redis, PostgreSQL, s3rver)',
  () => {
    const queue = `e2e-dist-${randomBytes(4).toString('hex')}`;
    const pg = freshPostgresUrl('e2e_distributed');
    let ws: S3Workspace;
    /** The workspace reproduced by the local executor, and the one reproduced by the workers. */
    let local: string;
    let shared: string;
    /** The environment of the distributed side: coordinator and workers alike. */
    let env: Record<string, string>;
    /** ... and of the local side (its workspace's own SQLite store and byte store). */
    let localEnv: Record<string, string>;
    const processes: CliProcess[] = [];
    const workDirs = new Map<CliProcess, string>();
    let pipelineRunId = '';
    let victim: CliProcess | undefined;
    let survivor: CliProcess | undefined;

    /** Runs the CLI to its end; killed in afterAll if the test gives up on it first. */
    const run = async (args: string[], cwd: string, runEnv: Record<string, string>) => {
      const proc = startCli(args, cwd, runEnv);
      processes.push(proc);
      const { code } = await proc.exited;
      return { code: code ?? -1, stdout: proc.stdout, stderr: proc.stderr };
    };

    const startWorker = async (name: string): Promise<CliProcess> => {
      const workDir = join(ws.root, `work-${name}`);
      await mkdir(workDir, { recursive: true });
      const worker = startCli(
        ['worker', '--queue', queue, '--work-dir', workDir, '--lock-duration', '5'],
        ws.root,
        env,
      );
      processes.push(worker);
      workDirs.set(worker, workDir);
      await until(
        () => worker.stdout.includes('waiting for stage jobs') || worker.exit !== undefined,
        () => `worker ${name} to start`,
      );
      if (worker.exit !== undefined) {
        throw new Error(`worker ${name} did not start:\n${worker.stdout}\n${worker.stderr}`);
      }
      return worker;
    };

    beforeAll(async () => {
      ws = await s3Workspace();
      local = join(ws.root, 'local');
      shared = join(ws.root, 'shared');
      env = {
        ...ws.env,
        MLOPS_TRACKING_URI: pg.url,
        MLOPS_ARTIFACT_URI: '',
        MLOPS_REDIS_URL: REDIS_URL,
      };
      localEnv = { ...ws.env, MLOPS_TRACKING_URI: '', MLOPS_ARTIFACT_URI: '' };
      for (const [dir, dirEnv] of [
        [local, localEnv],
        [shared, env],
      ] as const) {
        const init = ['init', '--example', 'stock-forecast', '--preset', 'quick', '--dir', dir];
        ok('mlops init', await run(init, ws.root, dirEnv));
        // A tiny LSTM, the same in both: the point is determinism, not accuracy.
        const file = join(dir, 'params.yaml');
        const params = await readFile(file, 'utf8');
        const tiny = params
          .replace(/^(\s+units:) \d+$/m, '$1 4')
          .replace(/^(\s+epochs:) \d+$/m, '$1 2');
        expect(tiny).toContain('units: 4');
        expect(tiny).toContain('epochs: 2');
        await writeFile(file, tiny);
      }
      const remote = `s3://${ws.s3.bucket}/shared`;
      const add = ['data', 'remote', 'add', 'shared', remote, '--default'];
      const where = ['--endpoint', ws.s3.endpoint, '--region', ws.s3.region];
      ok('mlops data remote add', await run([...add, ...where], shared, env));
    }, 120_000);

    afterAll(async () => {
      for (const p of processes) if (p.exit === undefined) p.child.kill('SIGKILL');
      await Promise.all(processes.map((p) => p.exited));
      // The killed worker's stage commands (their own process groups) outlive it.
      for (const dir of workDirs.values()) await killProcessesUnder(dir);
      await dropRedisKeys(`mlops:${queue}:*`).catch(() => undefined);
      await pg.drop().catch(() => undefined);
      await ws?.cleanup();
    }, 60_000);

    it('gives the local run’s lock, metrics and models though the worker training the LSTM is killed', async () => {
      const localStarted = Date.now();
      const localRun = ok('local mlops repro', await run(['repro'], local, localEnv));
      expect(localRun.stdout).toContain('6 ran, 0 restored from cache, 0 skipped');
      const localMs = Date.now() - localStarted;

      const workers = await Promise.all([startWorker('one'), startWorker('two')]);
      const started = Date.now();
      const coordinator = startCli(
        ['repro', '--executor', 'queue', '--queue', queue, '-j', '3'],
        shared,
        env,
      );
      processes.push(coordinator);
      const output = () =>
        [coordinator, ...workers]
          .map(
            (p) =>
              `--- mlops ${p === coordinator ? 'repro' : 'worker'} (pid ${p.pid}):\n${p.stdout}\n${p.stderr}`,
          )
          .join('\n');
      const took = "took stage 'train@lstm'";
      await until(
        () => workers.some((w) => w.stdout.includes(took)) || coordinator.exit !== undefined,
        () => `a worker to take train@lstm:\n${output()}`,
        180_000,
      );
      victim = workers.find((w) => w.stdout.includes(took));
      survivor = workers.find((w) => w !== victim);
      if (!victim || !survivor) throw new Error(`no worker took train@lstm:\n${output()}`);
      // Its step runs (its first line came back through the queue): kill the worker now.
      await until(
        () => coordinator.stdout.includes('[train@lstm] lstm: ') || coordinator.exit !== undefined,
        () => `train@lstm to start on its worker:\n${output()}`,
        120_000,
      );
      victim.child.kill('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
      expect(victim.stdout).not.toContain("finished stage 'train@lstm'");

      await until(
        () => coordinator.exit !== undefined,
        () => `the distributed repro to finish:\n${output()}`,
        240_000,
      );
      const end = await coordinator.exited;
      console.log(
        `local repro ${(localMs / 1000).toFixed(1)} s; distributed repro ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      expect(end.code, output()).toBe(0);
      expect(coordinator.stdout).toContain('6 ran, 0 restored from cache, 0 skipped');
      pipelineRunId = /Pipeline run ([0-9a-f]{32})/.exec(coordinator.stdout)?.[1] ?? '';
      // The other worker ran the stage again from scratch, and the coordinator said so.
      expect(coordinator.stderr).toMatch(
        new RegExp(
          `\\[train@lstm\\] mlops: the stage starts over on worker \\S+:${survivor.pid} \\(its attempt on \\S+:${victim.pid} did not finish\\)`,
        ),
      );
      expect(survivor.stdout).toMatch(/took stage 'train@lstm' \(job \d+, attempt [2-9]\)/);
      expect(survivor.stdout).toMatch(/finished stage 'train@lstm' \(job \d+\): exit code 0/);

      // The same lock (each stage's uses/with, deps, params and outs), metrics and out files.
      const lockLocal = parse(await readFile(join(local, 'mlops.lock'), 'utf8'));
      const lockShared = parse(await readFile(join(shared, 'mlops.lock'), 'utf8'));
      expect(Object.keys(lockShared.stages)).toEqual(STAGES);
      expect(lockShared).toEqual(lockLocal);
      expect(await readFile(join(shared, 'metrics.json'))).toEqual(
        await readFile(join(local, 'metrics.json')),
      );
      const hashes = await fileHashes(local, OUT_DIRS);
      expect(Object.keys(hashes)).toContain('models/lstm/weights.bin');
      expect(await fileHashes(shared, OUT_DIRS)).toEqual(hashes);

      // Every out in the lock is in the shared remote: the coordinator landed it from there.
      for (const [k, v] of Object.entries(ws.s3.env)) process.env[k] = v;
      const remote = new S3BlobStore(`s3://${ws.s3.bucket}/shared`, {
        endpoint: ws.s3.endpoint,
        region: ws.s3.region,
      });
      try {
        const stages = Object.values(lockShared.stages) as { outs: { manifest: string }[] }[];
        for (const out of stages.flatMap((s) => s.outs)) {
          expect(await remote.has(out.manifest), out.manifest).toBe(true);
        }
      } finally {
        await remote.close();
      }
      // The dead worker's private directory is all it left, and nothing in it reached the
      // workspace (outs come from the remote, by hash); the other worker left nothing.
      const left = await readdir(workDirs.get(victim) ?? '');
      expect(left.filter((n) => n.startsWith(STAGE_DIR))).toEqual([
        expect.stringMatching(new RegExp(`^${STAGE_DIR}${victim.pid}-`)),
      ]);
      const survivorLeft = await readdir(workDirs.get(survivor) ?? '');
      expect(survivorLeft.filter((n) => n.startsWith(STAGE_DIR))).toEqual([]);
    }, 300_000);

    it('tracks it in PostgreSQL: one finished child run per stage, naming the worker that ran it', async () => {
      expect(pipelineRunId, 'the distributed run finished').toMatch(/^[0-9a-f]{32}$/);
      const client = await connect(pg.url, { cwd: shared });
      try {
        const parent = await client.getRun(pipelineRunId);
        expect(parent.info.status).toBe('FINISHED');
        expect(parent.data.tags['mlops.pipeline']).toBe('true');
        const children = await client.searchRuns({
          experimentIds: [parent.info.experimentId],
          filter: `tags."mlflow.parentRunId" = '${pipelineRunId}'`,
          maxResults: 100,
        });
        const byStage = new Map(children.items.map((r) => [r.data.tags['mlops.stage'], r]));
        expect(children.items).toHaveLength(STAGES.length);
        expect([...byStage.keys()].sort()).toEqual([...STAGES].sort());
        const workerIds = [victim, survivor].map((w) => new RegExp(`^\\S+:${w?.pid}$`));
        for (const [stage, child] of byStage) {
          expect(child.info.status, stage).toBe('FINISHED');
          expect(child.data.tags['mlops.stage.status'], stage).toBe('ran');
          const worker = child.data.tags['mlops.stage.worker'] ?? '';
          expect(
            workerIds.some((id) => id.test(worker)),
            `${stage} ran on '${worker}'`,
          ).toBe(true);
        }
        const lstm = byStage.get('train@lstm');
        expect(lstm?.data.tags['mlops.stage.worker']).toMatch(workerIds[1] as RegExp);
        // The step logged into its stage run from the worker, through PostgreSQL.
        expect(lstm?.data.params['step.epochs']).toBe('2');
        expect(lstm?.data.params['step.units']).toBe('4');
        expect(lstm?.data.metrics.map((m) => m.key)).toContain('validation.rmse');
      } finally {
        await client.close();
      }
    }, 60_000);

    it('a second distributed repro skips every stage', async () => {
      // Without the first run's lock it would queue every stage (and wait for workers).
      expect(pipelineRunId, 'the distributed run finished').toMatch(/^[0-9a-f]{32}$/);
      const before = survivor?.stdout ?? '';
      const again = ok(
        'second mlops repro --executor queue',
        await run(['repro', '--executor', 'queue', '--queue', queue, '-j', '3'], shared, env),
      );
      expect(again.stdout).toContain('0 ran, 0 restored from cache, 6 skipped');
      expect(count(survivor?.stdout ?? '', /took stage/g)).toBe(count(before, /took stage/g));
    }, 120_000);
  },
);

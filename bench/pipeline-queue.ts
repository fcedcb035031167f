// The queue figure of `npm run bench -- pipeline`: 20 independent 1-second stages through
// `mlops repro --executor queue` with 2 `mlops worker` processes against 1 (real Redis, s3rver as
// the shared remote). The speedup is the 1-worker wall time over the 2-worker one.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startS3Server } from '../src/testing/index.js';
import { median, report } from './report.js';

const STAGES = 20;

export async function queueSpeedup(options: {
  cli: string;
  scratch: string;
  env: NodeJS.ProcessEnv;
  reps?: number;
}): Promise<void> {
  const s3 = await startS3Server();
  const queue = `bench-${randomBytes(4).toString('hex')}`;
  const env = { ...options.env, ...s3.env, AWS_EC2_METADATA_DISABLED: 'true', MLOPS_REMOTE: '' };
  const dir = join(options.scratch, 'queue');
  await mkdir(dir, { recursive: true });
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [options.cli, ...args], { cwd: dir, env });
    if (r.status !== 0) throw new Error(`mlops ${args.join(' ')}: ${r.stderr.toString()}`);
  };
  try {
    spawnSync('git', ['init', '-q'], { cwd: dir });
    const lines = ['stages:'];
    for (let i = 0; i < STAGES; i++) {
      lines.push(
        `  s${i}:`,
        `    cmd: sleep 1 && echo ${i} > out/o${i}.txt`,
        `    outs: [out/o${i}.txt]`,
      );
    }
    await writeFile(join(dir, 'mlops.yaml'), lines.join('\n') + '\n');
    run(
      'data',
      'remote',
      'add',
      'shared',
      `s3://${s3.bucket}/bench`,
      '--endpoint',
      s3.endpoint,
      '--region',
      s3.region,
      '--default',
    );
    const timeWith = async (workers: number): Promise<number> => {
      const children: ChildProcess[] = [];
      for (let w = 0; w < workers; w++) {
        const child = spawn(
          process.execPath,
          [options.cli, 'worker', '--queue', queue, '--work-dir', join(dir, `.work-${w}`)],
          { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] },
        );
        await new Promise<void>((resolve) => {
          child.stdout?.on('data', (d: Buffer) => {
            if (d.toString().includes('waiting')) resolve();
          });
        });
        children.push(child);
      }
      try {
        const started = performance.now();
        const r = spawnSync(
          process.execPath,
          [
            options.cli,
            'repro',
            '--force',
            '--executor',
            'queue',
            '--queue',
            queue,
            '-j',
            String(STAGES),
          ],
          { cwd: dir, env },
        );
        if (r.status !== 0) throw new Error(`queued repro failed: ${r.stderr.toString()}`);
        return (performance.now() - started) / 1000;
      } finally {
        for (const child of children) child.kill('SIGTERM');
        await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
      }
    };
    const one: number[] = [];
    const two: number[] = [];
    for (let r = 0; r < (options.reps ?? 2); r++) {
      one.push(await timeWith(1));
      two.push(await timeWith(2));
    }
    const speedup = median(one) / median(two);
    report({
      bench: 'pipeline',
      metric: 'queue_speedup_2_workers',
      value: Number(speedup.toFixed(2)),
      unit: 'x',
      baseline: { name: '1 worker, s', value: Number(median(one).toFixed(2)) },
      ratio: Number(speedup.toFixed(2)),
      two_workers_s: Number(median(two).toFixed(2)),
      stages: STAGES,
      goal: 1.7,
    });
  } finally {
    await s3.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

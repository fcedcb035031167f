// npm run bench -- pipeline [--reps N] [--skip-queue]
// Figures (issue 5): wall time of a whole no-op `mlops repro` CLI process on generated pipelines
// of 10 and 100 stages (1 MB dep each) against `node -e ''` started the same way; the overhead
// per executed stage (a `true` command) against the same commands run by a shell loop; and the
// queue executor's speedup with 2 workers over 1 on 20 independent 1-second stages.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { median, report } from './report.js';
import { queueSpeedup } from './pipeline-queue.js';

const args = process.argv.slice(2);
const reps = Number(args[args.indexOf('--reps') + 1] ?? 5) || 5;
const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'mlops.js');
const scratch = await mkdtemp(join(tmpdir(), 'mlops-bench-pipeline-'));
const env = { ...process.env, MLOPS_TRACKING_URI: '', MLOPS_ARTIFACT_URI: '' };

/** Wall time of one process, in seconds. */
function timed(cmd: string, argv: readonly string[], cwd: string): number {
  const started = performance.now();
  const result = spawnSync(cmd, argv, { cwd, env, stdio: ['ignore', 'ignore', 'pipe'] });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) {
    throw new Error(`${cmd} ${argv.join(' ')} failed in ${cwd}: ${result.stderr.toString()}`);
  }
  return seconds;
}

const nodeStart = () => timed(process.execPath, ['-e', ''], scratch);
const repro = (cwd: string) => timed(process.execPath, [CLI, 'repro'], cwd);

async function workspace(name: string, yaml: string): Promise<string> {
  const dir = join(scratch, name);
  await mkdir(dir, { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: dir });
  await writeFile(join(dir, 'mlops.yaml'), yaml);
  return dir;
}

async function noopRepro(stages: number): Promise<void> {
  const lines = ['stages:'];
  for (let i = 0; i < stages; i++) {
    lines.push(
      `  s${i}:`,
      `    cmd: cp in/d${i}.bin out/o${i}.bin`,
      `    deps: [in/d${i}.bin]`,
      `    outs: [out/o${i}.bin]`,
    );
  }
  const dir = await workspace(`noop-${stages}`, lines.join('\n') + '\n');
  await mkdir(join(dir, 'in'));
  for (let i = 0; i < stages; i++)
    await writeFile(join(dir, 'in', `d${i}.bin`), randomBytes(1 << 20));
  repro(dir); // runs every stage
  repro(dir); // settles the stat cache (files written < 2 s ago are not trusted yet)
  const runs: number[] = [];
  const base: number[] = [];
  for (let r = 0; r < reps; r++) {
    base.push(nodeStart());
    runs.push(repro(dir));
  }
  const value = median(runs);
  const baseline = median(base);
  report({
    bench: 'pipeline',
    metric: `noop_repro_${stages}_s`,
    value: Number(value.toFixed(3)),
    unit: 's',
    baseline: { name: "node -e ''", value: Number(baseline.toFixed(3)) },
    ratio: Number((value / baseline).toFixed(2)),
    goal_s: stages <= 10 ? 0.3 : 1,
    reps,
  });
}

/**
 * Per-stage cost from the slope between two pipeline sizes (so start-up cancels out), against
 * the slope of a shell loop running the same `true` commands as child processes.
 */
async function stageOverhead(): Promise<void> {
  const small = 10;
  const large = 40;
  const pipeline = (n: number) =>
    ['stages:', ...Array.from({ length: n }, (_, i) => `  s${i}:\n    cmd: "true"`)].join('\n') +
    '\n';
  const a = await workspace('true-small', pipeline(small));
  const b = await workspace('true-large', pipeline(large));
  const loop = (n: number) => `for i in $(seq ${n}); do sh -c true; done`;
  const ta: number[] = [];
  const tb: number[] = [];
  const sa: number[] = [];
  const sb: number[] = [];
  for (let r = 0; r < reps; r++) {
    ta.push(repro(a));
    tb.push(repro(b));
    sa.push(timed('sh', ['-c', loop(small)], scratch));
    sb.push(timed('sh', ['-c', loop(large)], scratch));
  }
  const perStage = ((median(tb) - median(ta)) / (large - small)) * 1000;
  const perShell = ((median(sb) - median(sa)) / (large - small)) * 1000;
  report({
    bench: 'pipeline',
    metric: 'stage_overhead_ms',
    value: Number((perStage - perShell).toFixed(1)),
    unit: 'ms',
    baseline: { name: 'shell loop, ms per `sh -c true`', value: Number(perShell.toFixed(2)) },
    ratio: perShell > 0 ? Number((perStage / perShell).toFixed(1)) : null,
    goal_ms: 30,
    repro_ms_per_stage: Number(perStage.toFixed(1)),
    reps,
  });
}

try {
  await noopRepro(10);
  await noopRepro(100);
  await stageOverhead();
  if (!args.includes('--skip-queue')) await queueSpeedup({ cli: CLI, scratch, env });
} finally {
  await rm(scratch, { recursive: true, force: true });
}

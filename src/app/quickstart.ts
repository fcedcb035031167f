import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withRun, type FileInfo, type Run } from '../tracking/index.js';
import { connect } from './connect.js';
import { showLineage } from './show-lineage.js';
import { workspacePaths, type WorkspacePaths } from './workspace.js';

export interface QuickstartReport {
  readonly workspace: WorkspacePaths;
  readonly run: Run;
  readonly artifacts: readonly FileInfo[];
  readonly blobCount: number;
  readonly lineage: string;
  readonly experiments: readonly { id: string; name: string; runs: number }[];
}

/**
 * The main job, phase by phase as they land. Today: create the workspace at `dir`, track one
 * demonstration run (the persistence baseline on a seeded random walk: params, a metric curve,
 * an artifact, lineage), and report what the workspace holds.
 */
export async function quickstart(dir: string): Promise<QuickstartReport> {
  const workspace = workspacePaths(dir);
  const client = await connect(`sqlite:${workspace.database}`, {
    cwd: dir,
    artifactUri: workspace.blobs,
  });
  const scratch = await mkdtemp(join(tmpdir(), 'mlops-quickstart-'));
  try {
    const series = randomWalk(500, 42);
    const runId = await withRun(
      client,
      { experiment: 'quickstart', name: 'persistence-demo', cwd: dir },
      async (run) => {
        await run.logParams({
          model: 'persistence',
          series: 'random-walk',
          points: series.length,
          seed: 42,
        });
        let squared = 0;
        for (let t = 1; t < series.length; t++) {
          const error = (series[t] ?? 0) - (series[t - 1] ?? 0);
          squared += error * error;
          run.logMetric('rmse', Math.sqrt(squared / t), t);
        }
        const csv = join(scratch, 'series.csv');
        await writeFile(
          csv,
          'step,value\n' + series.map((v, i) => `${i},${v.toFixed(4)}`).join('\n') + '\n',
        );
        await run.logArtifact(csv, 'data');
        await run.setTags({
          phase: 'tracking',
          'mlflow.note.content': 'Demo run: forecasting lands in a later phase.',
        });
        return run.id;
      },
    );
    const run = await client.getRun(runId);
    const artifacts = await client.listArtifacts(runId, 'data');
    const lineage = (await showLineage(client, `runs:/${runId}`)).text;
    const experiments = [];
    for (const e of (await client.store.searchExperiments()).items) {
      const runs = await client.store.searchRuns({
        experimentIds: [e.experimentId],
        maxResults: 50_000,
      });
      experiments.push({ id: e.experimentId, name: e.name, runs: runs.items.length });
    }
    let blobCount = 0;
    for await (const _ of client.blobs.list()) blobCount++;
    return { workspace, run, artifacts, blobCount, lineage, experiments };
  } finally {
    await rm(scratch, { recursive: true, force: true });
    await client.close();
  }
}

/** A seeded Gaussian random walk (mulberry32 + Box-Muller), so every quickstart logs the same numbers. */
function randomWalk(n: number, seed: number): number[] {
  let state = seed >>> 0;
  const uniform = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [100];
  for (let i = 1; i < n; i++) {
    const z = Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
    out.push((out[i - 1] ?? 100) + z);
  }
  return out;
}

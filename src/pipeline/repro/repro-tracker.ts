import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { gitInfo, nowMs, type GitInfo } from '../../core/index.js';
import { storeBytes } from '../../blobs/index.js';
import { datasetNode } from '../../data/index.js';
import { LineageRelations, type LineageEdgeInput } from '../../lineage/index.js';
import {
  SystemTags,
  type ArtifactRecord,
  type KeyValue,
  type Metric,
  type RunStatus,
  type TrackingClient,
} from '../../tracking/index.js';
import type { StageSpec } from '../spec/pipeline-spec.js';
import type {
  ReproReport,
  ReproTracker,
  StageDetails,
  StageReport,
  StageStatus,
} from './repro-types.js';
import { paramName } from './stage-state.js';

/** Tags a pipeline's runs carry (searchable: `tags."mlops.stage.status" = 'cache-hit'`). */
export const PipelineTags = {
  pipeline: 'mlops.pipeline',
  stage: 'mlops.stage',
  status: 'mlops.stage.status',
  reason: 'mlops.stage.reason',
  exitCode: 'mlops.stage.exit_code',
  log: 'mlops.stage.log',
  worker: 'mlops.stage.worker',
  failedStage: 'mlops.pipeline.failed_stage',
} as const;

export interface ReproTrackingOptions {
  readonly root: string;
  /** Default `pipeline`. */
  readonly experiment?: string;
  readonly runName?: string;
  /** The workspace's git info, when the caller started asking early (it takes two processes). */
  readonly git?: Promise<GitInfo | undefined>;
}

const RUN_STATUS: Record<StageStatus, RunStatus> = {
  ran: 'FINISHED',
  'cache-hit': 'FINISHED',
  skipped: 'FINISHED',
  'would-run': 'FINISHED',
  failed: 'FAILED',
  'not-run': 'KILLED',
};

/**
 * Tracks one `repro`: a pipeline run and, under it, one child run per stage of the DAG whatever
 * happened to it (status tag ran / cache-hit / skipped / failed / not-run, params, metrics from
 * its metrics files, duration, git commit, its log as an artifact), with lineage edges from the
 * dataset versions it read and to the outs it wrote. Runs are written through the store directly
 * (git is asked once, not once per stage) to keep a no-op repro cheap.
 */
export async function startReproTracking(
  client: TrackingClient,
  options: ReproTrackingOptions,
): Promise<ReproTracker> {
  const experimentId = await client.experimentId(options.experiment ?? 'pipeline');
  const git = await (options.git ?? gitInfo(options.root));
  const common: KeyValue[] = [{ key: SystemTags.sourceType, value: 'LOCAL' }];
  if (git) common.push({ key: SystemTags.gitCommit, value: git.commit });
  if (git?.branch) common.push({ key: SystemTags.gitBranch, value: git.branch });
  const parent = await client.store.createRun({
    experimentId,
    ...(options.runName === undefined ? {} : { runName: options.runName }),
    tags: [...common, { key: PipelineTags.pipeline, value: 'true' }],
  });
  const pipelineRunId = parent.info.runId;
  const childRuns = new Map<string, Promise<string>>();
  const pendingLogs: { runId: string; record: ArtifactRecord }[] = [];
  const pendingEdges: LineageEdgeInput[] = [];

  const stageRun = (stage: StageSpec): Promise<string> => {
    let run = childRuns.get(stage.name);
    if (!run) {
      run = (async () => {
        const created = await client.store.createRun({
          experimentId,
          runName: stage.name,
          tags: [
            ...common,
            { key: SystemTags.parentRunId, value: pipelineRunId },
            { key: PipelineTags.stage, value: stage.name },
          ],
        });
        return created.info.runId;
      })();
      childRuns.set(stage.name, run);
    }
    return run;
  };

  const stageFinished = async (
    stage: StageSpec,
    report: StageReport,
    details: StageDetails,
  ): Promise<void> => {
    const runId = await stageRun(stage);
    const timestamp = nowMs();
    const tags: KeyValue[] = [
      { key: PipelineTags.status, value: report.status },
      { key: PipelineTags.reason, value: clip(report.reasons.join('; ') || '-', 5000) },
    ];
    if (report.exitCode !== undefined) {
      tags.push({ key: PipelineTags.exitCode, value: String(report.exitCode) });
    }
    if (report.logFile !== undefined) tags.push({ key: PipelineTags.log, value: report.logFile });
    if (report.worker !== undefined) tags.push({ key: PipelineTags.worker, value: report.worker });
    const params: KeyValue[] = stage.params.map((p) => ({
      key: clip(paramName(p.file, p.key), 250),
      value: clip(
        typeof p.value === 'string' ? p.value : (JSON.stringify(p.value) ?? 'null'),
        6000,
      ),
    }));
    const metrics: Metric[] = [
      { key: 'duration_s', value: report.durationMs / 1000, timestamp, step: 0 },
    ];
    if (report.status !== 'failed' && report.status !== 'not-run') {
      for (const out of stage.outs.filter((o) => o.kind === 'metric')) {
        for (const [key, value] of await metricsOf(join(options.root, out.path))) {
          metrics.push({ key: clip(key, 250), value, timestamp, step: 0 });
        }
      }
    }
    await client.store.logBatch(runId, { tags, params: dedupe(params), metrics });
    if (details.log !== undefined) {
      // Stored now, made durable and recorded once at the end: one file-system sync per repro
      // instead of one per stage (the log is on disk under .mlops/logs meanwhile).
      const stored = await storeBytes(client.blobs, Buffer.from(details.log), { flush: false });
      pendingLogs.push({
        runId,
        record: {
          path: `logs/${safeName(stage.name)}.log`,
          manifestId: stored.manifestId,
          size: stored.size,
        },
      });
    }
    const edges: LineageEdgeInput[] = [
      {
        src: { type: 'run', id: pipelineRunId },
        dst: { type: 'run', id: runId },
        relation: LineageRelations.parentOf,
      },
    ];
    for (const d of details.datasets) {
      edges.push({
        src: datasetNode(d.path, d.sha256),
        dst: { type: 'run', id: runId },
        relation: LineageRelations.input,
        attrs: { path: d.path },
      });
    }
    if (report.status === 'ran' || report.status === 'cache-hit') {
      for (const out of details.outs) {
        if (out.manifest === undefined) continue;
        edges.push({
          src: { type: 'run', id: runId },
          dst: { type: 'artifact', id: out.manifest },
          relation: LineageRelations.output,
          attrs: { path: out.path, sha256: out.sha256 },
        });
      }
    }
    pendingEdges.push(...edges);
    await client.store.updateRun(runId, { status: RUN_STATUS[report.status], endTime: nowMs() });
  };

  const finish = async (report: ReproReport): Promise<void> => {
    await client.blobs.flush();
    for (const { runId, record } of pendingLogs) {
      await client.store.recordArtifacts(runId, [record]);
    }
    // Every stage's edges in one transaction (a no-op repro of 100 stages writes 100 edges).
    await client.lineage.record([
      ...pendingEdges,
      ...pendingLogs.map(({ runId, record }) => ({
        src: { type: 'run', id: runId },
        dst: { type: 'artifact', id: record.manifestId },
        relation: LineageRelations.output,
        attrs: { path: record.path },
      })),
    ]);
    const counts = new Map<StageStatus, number>();
    for (const s of report.stages) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
    const timestamp = nowMs();
    await client.store.logBatch(pipelineRunId, {
      metrics: [...counts].map(([status, n]) => ({
        key: `stages_${status.replace('-', '_')}`,
        value: n,
        timestamp,
        step: 0,
      })),
      tags: report.failed ? [{ key: PipelineTags.failedStage, value: report.failed.name }] : [],
    });
    await client.store.updateRun(pipelineRunId, {
      status: report.failed ? 'FAILED' : 'FINISHED',
      endTime: nowMs(),
    });
  };

  return { pipelineRunId, stageRun, stageFinished, finish };
}

/** Numeric leaves of a JSON or YAML metrics file by dotted path ([] when absent or unreadable). */
async function metricsOf(path: string): Promise<[string, number][]> {
  let tree: unknown;
  try {
    tree = parse(await readFile(path, 'utf8'));
  } catch {
    return [];
  }
  const out: [string, number][] = [];
  const walk = (value: unknown, prefix: string) => {
    if (typeof value === 'number' && Number.isFinite(value)) out.push([prefix, value]);
    else if (typeof value === 'boolean') out.push([prefix, value ? 1 : 0]);
    else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(v, prefix === '' ? k : `${prefix}.${k}`);
    }
  };
  walk(tree, '');
  return out.filter(([key]) => /^[\w\-. /]+$/.test(key));
}

/** The stage name as a file name (`train@lstm` stays; path separators do not). */
export function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9@._-]/g, '_');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

function dedupe(params: KeyValue[]): KeyValue[] {
  const seen = new Map<string, KeyValue>();
  for (const p of params) seen.set(p.key, p);
  return [...seen.values()];
}

import { metricFiles, readMetricFile, type MetricValue } from './metric-files.js';
import { WORKSPACE, openRevision, readLockAt, type ReadStored } from './revision.js';

export interface MetricsShowOptions {
  /** The workspace root. */
  readonly root: string;
  /** Default `workspace` (the files as they are now); else a git revision. */
  readonly rev?: string;
  /** Reads a cached metrics file that git does not hold, by manifest id. */
  readonly readStored?: ReadStored;
}

export interface MetricsShow {
  readonly rev: string;
  /** Null for the working tree. */
  readonly commit: string | null;
  /** Every numeric leaf of every metrics file the lock lists, file by file in lock order. */
  readonly metrics: readonly MetricValue[];
  /** Metrics files the lock lists that are absent at the revision. */
  readonly missing: readonly string[];
}

/** `mlops metrics show [--rev R]`: the metrics files of the revision's `mlops.lock`, flattened. */
export async function metricsShow(options: MetricsShowOptions): Promise<MetricsShow> {
  const revision = await openRevision(options.root, options.rev ?? WORKSPACE);
  const metrics: MetricValue[] = [];
  const missing: string[] = [];
  for (const [path, manifest] of metricFiles(await readLockAt(revision))) {
    const values = await readMetricFile(revision, path, manifest, options.readStored);
    if (values === undefined) missing.push(path);
    else metrics.push(...values);
  }
  return { rev: revision.rev, commit: revision.commit, metrics, missing };
}

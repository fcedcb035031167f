import { metricFiles, readMetricFile, type MetricValue } from './metric-files.js';
import type { ChangeStatus } from './params-diff.js';
import {
  WORKSPACE,
  openRevision,
  readLockAt,
  type ReadStored,
  type Revision,
  type RevisionRef,
} from './revision.js';

export interface MetricsDiffOptions {
  /** The workspace root. */
  readonly root: string;
  /** The old side; default `HEAD`. */
  readonly a?: string;
  /** The new side; default `workspace` (the files as they are now). */
  readonly b?: string;
  /** List unchanged metrics too. */
  readonly all?: boolean;
  /** Reads a cached metrics file that git does not hold, by manifest id. */
  readonly readStored?: ReadStored;
}

export interface MetricRow {
  readonly path: string;
  readonly key: string;
  /** Null when absent at `a` (see `status`). */
  readonly old: number | null;
  /** Null when absent at `b`. */
  readonly new: number | null;
  /** `new - old` when both exist. */
  readonly change: number | null;
  readonly status: ChangeStatus;
}

export interface MetricsDiff {
  readonly a: RevisionRef;
  readonly b: RevisionRef;
  /** File by file (in lock order), keys in file order. */
  readonly rows: readonly MetricRow[];
  /** Metrics files one side's lock lists that are absent at a revision. */
  readonly missing: readonly { readonly rev: string; readonly path: string }[];
}

/**
 * `mlops metrics diff [a] [b]`, as DVC's: every metrics file either side's `mlops.lock` lists,
 * read at both revisions, compared leaf by leaf. Only changed metrics unless `all`.
 */
export async function metricsDiff(options: MetricsDiffOptions): Promise<MetricsDiff> {
  const [a, b] = await Promise.all([
    openRevision(options.root, options.a ?? 'HEAD'),
    openRevision(options.root, options.b ?? WORKSPACE),
  ]);
  const [lockA, lockB] = await Promise.all([readLockAt(a), readLockAt(b)]);
  const filesA = metricFiles(lockA);
  const filesB = metricFiles(lockB);
  const rows: MetricRow[] = [];
  const missing: { rev: string; path: string }[] = [];
  const read = async (side: Revision, path: string, manifest: string | undefined) => {
    const values = await readMetricFile(side, path, manifest, options.readStored);
    if (values === undefined) missing.push({ rev: side.rev, path });
    return new Map((values ?? []).map((v: MetricValue) => [v.key, v.value]));
  };
  for (const path of metricFiles(lockA, lockB).keys()) {
    const before = await read(a, path, filesA.get(path));
    const after = await read(b, path, filesB.get(path));
    for (const key of new Set([...before.keys(), ...after.keys()])) {
      const row = metricRow(path, key, before.get(key), after.get(key));
      if (options.all || row.status !== 'unchanged') rows.push(row);
    }
  }
  return {
    a: { rev: a.rev, commit: a.commit },
    b: { rev: b.rev, commit: b.commit },
    rows,
    missing,
  };
}

function metricRow(
  path: string,
  key: string,
  old: number | undefined,
  value: number | undefined,
): MetricRow {
  if (old === undefined || value === undefined) {
    const status = old === undefined ? 'added' : 'deleted';
    return { path, key, old: old ?? null, new: value ?? null, change: null, status };
  }
  const same = old === value || (Number.isNaN(old) && Number.isNaN(value));
  return {
    path,
    key,
    old,
    new: value,
    change: value - old,
    status: same ? 'unchanged' : 'modified',
  };
}

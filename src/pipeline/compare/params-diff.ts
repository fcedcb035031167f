import type { LockFile } from '../lock/index.js';
import { paramValue } from '../spec/index.js';
import {
  WORKSPACE,
  openRevision,
  readLockAt,
  type Revision,
  type RevisionRef,
} from './revision.js';
import { parseMapping, sameValue } from './tree-values.js';

export interface ParamsDiffOptions {
  /** The workspace root (where `mlops.lock` and the params files are). */
  readonly root: string;
  /** The old side; default `HEAD`. */
  readonly a?: string;
  /** The new side; default `workspace` (the files as they are now). */
  readonly b?: string;
  /** List unchanged params too. */
  readonly all?: boolean;
}

/** How a value differs between the two sides. */
export type ChangeStatus = 'added' | 'deleted' | 'modified' | 'unchanged';

export interface ParamRow {
  readonly file: string;
  /** Dotted key inside the file. */
  readonly key: string;
  /** The value at `a`; null when absent there (see `status`). */
  readonly old: unknown;
  /** The value at `b`; null when absent there. */
  readonly new: unknown;
  readonly status: ChangeStatus;
}

export interface ParamsDiff {
  readonly a: RevisionRef;
  readonly b: RevisionRef;
  /** Sorted by file (`params.yaml` first) then key. */
  readonly rows: readonly ParamRow[];
}

/** file -> dotted key -> value; a key absent at a side is absent from its map. */
type ParamValues = Map<string, Map<string, unknown>>;

/**
 * `mlops params diff [a] [b]`, as DVC's: the param values each side's stages ran with. A commit's
 * values come from its `mlops.lock`; the working tree's are read from the params files as they are
 * now, for every key either side's lock tracks. Only changed params unless `all`.
 */
export async function paramsDiff(options: ParamsDiffOptions): Promise<ParamsDiff> {
  const [a, b] = await Promise.all([
    openRevision(options.root, options.a ?? 'HEAD'),
    openRevision(options.root, options.b ?? WORKSPACE),
  ]);
  const [lockA, lockB] = await Promise.all([readLockAt(a), readLockAt(b)]);
  const tracked = lockedParams(lockA, lockB);
  const [valuesA, valuesB] = await Promise.all([
    sideValues(a, lockA, tracked),
    sideValues(b, lockB, tracked),
  ]);
  const rows: ParamRow[] = [];
  for (const [file, keys] of sortedFiles(tracked)) {
    for (const key of [...keys.keys()].sort()) {
      const row = paramRow(file, key, valuesA.get(file), valuesB.get(file));
      if (row !== undefined && (options.all || row.status !== 'unchanged')) rows.push(row);
    }
  }
  return { a: { rev: a.rev, commit: a.commit }, b: { rev: b.rev, commit: b.commit }, rows };
}

function paramRow(
  file: string,
  key: string,
  before: Map<string, unknown> | undefined,
  after: Map<string, unknown> | undefined,
): ParamRow | undefined {
  const hasOld = before?.has(key) ?? false;
  const hasNew = after?.has(key) ?? false;
  if (!hasOld && !hasNew) return undefined;
  const old = hasOld ? before?.get(key) : null;
  const value = hasNew ? after?.get(key) : null;
  const status: ChangeStatus = !hasOld
    ? 'added'
    : !hasNew
      ? 'deleted'
      : sameValue(old, value)
        ? 'unchanged'
        : 'modified';
  return { file, key, old, new: value, status };
}

/** The params of every stage of the locks, merged (a key used by two stages has one value). */
function lockedParams(...locks: LockFile[]): ParamValues {
  const out: ParamValues = new Map();
  for (const lock of locks) {
    for (const stage of Object.values(lock.stages)) {
      for (const [file, values] of Object.entries(stage.params)) {
        const keys = out.get(file) ?? new Map<string, unknown>();
        for (const [key, value] of Object.entries(values)) keys.set(key, value);
        out.set(file, keys);
      }
    }
  }
  return out;
}

/** A commit's values from its lock; the working tree's from its params files. */
async function sideValues(
  revision: Revision,
  lock: LockFile,
  tracked: ParamValues,
): Promise<ParamValues> {
  if (revision.rev !== WORKSPACE) return lockedParams(lock);
  const out: ParamValues = new Map();
  for (const [file, keys] of tracked) {
    const bytes = await revision.read(file);
    if (bytes === undefined) continue;
    const tree = parseMapping(
      bytes.toString('utf8'),
      file,
      'a params file: a YAML or JSON mapping of parameter names to values',
    );
    const values = new Map<string, unknown>();
    for (const key of keys.keys()) {
      const value = paramValue(tree, key);
      if (value !== undefined) values.set(key, value);
    }
    out.set(file, values);
  }
  return out;
}

function sortedFiles(params: ParamValues): [string, Map<string, unknown>][] {
  const rank = (f: string) => (f === 'params.yaml' ? '' : f);
  return [...params].sort(([x], [y]) => (rank(x) < rank(y) ? -1 : rank(x) > rank(y) ? 1 : 0));
}

import type { LockFile } from '../lock/index.js';
import { readOutAt, type ReadStored, type Revision } from './revision.js';
import { numericLeaves, parseMapping } from './tree-values.js';

const EXPECTED =
  'a metrics file: a JSON or YAML mapping whose numeric leaves are the metrics (e.g. {"rmse": 1.2})';

/** One metric: a numeric leaf of a metrics file, by dotted path. */
export interface MetricValue {
  /** The metrics file (workspace-relative). */
  readonly path: string;
  readonly key: string;
  readonly value: number;
}

/** The metrics files (`kind: metric` outs) the locks list, in order: path -> manifest id. */
export function metricFiles(...locks: LockFile[]): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  for (const lock of locks) {
    for (const stage of Object.values(lock.stages)) {
      for (const o of stage.outs) {
        if (o.kind === 'metric' && !out.has(o.path)) out.set(o.path, o.manifest);
      }
    }
  }
  return out;
}

/**
 * The metrics in `path` at the revision; undefined when the file is absent there. A file that is
 * not a JSON or YAML mapping is `INVALID_PARAMETER_VALUE` naming it and the revision.
 */
export async function readMetricFile(
  revision: Revision,
  path: string,
  manifest: string | undefined,
  readStored: ReadStored | undefined,
): Promise<MetricValue[] | undefined> {
  const bytes = await readOutAt(revision, path, manifest, readStored);
  if (bytes === undefined) return undefined;
  const shown = revision.commit === null ? path : `${path} at revision '${revision.rev}'`;
  const tree = parseMapping(bytes.toString('utf8'), shown, EXPECTED);
  return numericLeaves(tree).map(({ key, value }) => ({ path, key, value }));
}

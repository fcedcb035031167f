import { realpath } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import type { LineageStore } from '../../lineage/index.js';

/** The ids of the runs that used version `sha256` of workspace path `path` (oldest use first). */
export type RunsUsingVersion = (path: string, sha256: string) => Promise<string[]>;

/**
 * The dataset node ids that may name version `sha256` of `<root>/<rel>`. A training run records
 * `<path>@<sha256>` with the path relative to its working directory when the data lies below it,
 * else absolute without the leading '/': so every trailing run of the absolute path's segments
 * (`prices.csv`, `data/prices.csv`, `ws/data/prices.csv`, ...) is a candidate, matched exactly.
 */
export function datasetNodeIds(root: string, rel: string, sha256: string): string[] {
  const full = resolve(root, ...rel.split('/'))
    .split(sep)
    .join('/');
  const segments = full.split('/').filter((s) => s !== '');
  const ids: string[] = [];
  for (let i = segments.length - 1; i >= 0; i--)
    ids.push(`${segments.slice(i).join('/')}@${sha256}`);
  return ids;
}

/**
 * Looks runs up in `lineage`: edges from the dataset nodes `datasetNodeIds` names (for the
 * workspace root as given and as its real path) to run nodes, whatever the relation.
 */
export function lineageRunLookup(lineage: LineageStore, root: string): RunsUsingVersion {
  let roots: Promise<string[]> | undefined;
  return async (rel, sha256) => {
    roots ??= realpath(root).then(
      (real) => (real === root ? [root] : [root, real]),
      () => [root],
    );
    const ids = new Set((await roots).flatMap((r) => datasetNodeIds(r, rel, sha256)));
    const runs = new Map<string, number>();
    for (const id of ids) {
      for (const edge of await lineage.edgesFrom({ type: 'dataset', id })) {
        if (edge.dst.type !== 'run') continue;
        const at = runs.get(edge.dst.id);
        if (at === undefined || edge.createdAt < at) runs.set(edge.dst.id, edge.createdAt);
      }
    }
    return [...runs].sort((a, b) => a[1] - b[1]).map(([id]) => id);
  };
}

import { LineageRelations, type LineageEdgeInput, type NodeRef } from '../../lineage/index.js';
import { Limits, withRun, type TrackingClient } from '../../tracking/index.js';
import type { ImportedData } from './import-data.js';

/** The experiment ingestion runs are recorded in. */
export const INGESTION_EXPERIMENT = 'ingestion';

export interface RecordIngestionOptions {
  /** Default `ingestion`. */
  readonly experiment?: string;
}

/** The lineage node of one version of a versioned file: `dataset <path>@<sha256>`. */
export function datasetNode(path: string, sha256: string): NodeRef {
  return { type: 'dataset', id: `${path}@${sha256}` };
}

/**
 * Records an import as a finished run in the `ingestion` experiment: params `source`, `into`,
 * `merge_key` (and `prefer` when given); metrics `rows_added`, `rows_updated`, `rows_total`,
 * `conflicts`, `duplicates`; tags `sha256_new`, `sha256_old` (when the file existed) and
 * `source_sha256`. Lineage: run -> the new version (`output`) when the import changed the file,
 * and the previous version -> run (`input`) when there was one. Returns the run id.
 */
export async function recordIngestion(
  client: TrackingClient,
  imported: ImportedData,
  options: RecordIngestionOptions = {},
): Promise<string> {
  const name = imported.path.split('/').at(-1) ?? imported.path;
  return withRun(
    client,
    { experiment: options.experiment ?? INGESTION_EXPERIMENT, name: `import-${name}` },
    async (run) => {
      await run.logParams({
        source: truncate(imported.source, Limits.paramValueLength),
        into: imported.path,
        merge_key: imported.mergeKey,
        ...(imported.prefer === undefined ? {} : { prefer: imported.prefer }),
      });
      run.logMetrics({
        rows_added: imported.rowsAdded,
        rows_updated: imported.rowsUpdated,
        rows_total: imported.rowsTotal,
        conflicts: imported.conflictCount,
        duplicates: imported.duplicates,
      });
      await run.setTags({
        sha256_new: imported.sha256,
        ...(imported.previousSha256 === undefined ? {} : { sha256_old: imported.previousSha256 }),
        source_sha256: imported.sourceSha256,
      });
      const runNode: NodeRef = { type: 'run', id: run.id };
      const edges: LineageEdgeInput[] = [];
      if (imported.previousSha256 !== undefined) {
        edges.push({
          src: datasetNode(imported.path, imported.previousSha256),
          dst: runNode,
          relation: LineageRelations.input,
          attrs: { path: imported.path, role: 'merged_into' },
        });
      }
      if (imported.sha256 !== imported.previousSha256) {
        edges.push({
          src: runNode,
          dst: datasetNode(imported.path, imported.sha256),
          relation: LineageRelations.output,
          attrs: { path: imported.path, rows_added: imported.rowsAdded, source: imported.source },
        });
      }
      if (edges.length > 0) await client.lineage.record(edges);
      return run.id;
    },
  );
}

function truncate(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 3)}...`;
}

import { sql } from 'kysely';
import type { Database, RunsTable } from '../storage/index.js';
import type { Metric, Run } from './entities.js';
import { toRunInfo } from './row-mappers.js';

/** Ids per statement: one bound array each, so only memory bounds it. */
const IDS_PER_QUERY = 5000;

type LoadedRow = RunsTable & { params: unknown; tags: unknown; metrics: unknown };

/**
 * Loads whole runs (info, latest metrics, params, tags) for `runIds`, in that order; unknown ids
 * are left out. One statement per chunk: the database folds each run's params, tags and metrics
 * into JSON, so a page of 1000 runs is 1000 rows rather than 23,000.
 */
export async function loadRuns(database: Database, runIds: readonly string[]): Promise<Run[]> {
  const out: Run[] = [];
  for (let i = 0; i < runIds.length; i += IDS_PER_QUERY) {
    out.push(...(await loadChunk(database, runIds.slice(i, i + IDS_PER_QUERY))));
  }
  return out;
}

async function loadChunk(database: Database, ids: readonly string[]): Promise<Run[]> {
  if (ids.length === 0) return [];
  const query =
    database.dialect === 'sqlite'
      ? sql<LoadedRow>`SELECT r.*,
          (SELECT json_group_object(key, value) FROM params p WHERE p.run_uuid = r.run_uuid) AS params,
          (SELECT json_group_object(key, value) FROM tags t WHERE t.run_uuid = r.run_uuid) AS tags,
          (SELECT json_group_array(json_array(key, value, timestamp, step, is_nan))
             FROM latest_metrics m WHERE m.run_uuid = r.run_uuid) AS metrics
        FROM runs r WHERE r.run_uuid IN (SELECT value FROM json_each(${JSON.stringify(ids)}))`
      : sql<LoadedRow>`SELECT r.*,
          (SELECT json_object_agg(key, value) FROM params p WHERE p.run_uuid = r.run_uuid) AS params,
          (SELECT json_object_agg(key, value) FROM tags t WHERE t.run_uuid = r.run_uuid) AS tags,
          (SELECT json_agg(json_build_array(key, value, timestamp, step, is_nan))
             FROM latest_metrics m WHERE m.run_uuid = r.run_uuid) AS metrics
        FROM runs r WHERE r.run_uuid = ANY(${[...ids]}::text[])`;
  const { rows } = await query.execute(database.db);
  const byId = new Map(rows.map((r) => [r.run_uuid, r]));
  const out: Run[] = [];
  for (const id of ids) {
    const row = byId.get(id);
    if (!row) continue;
    out.push({
      info: toRunInfo(row),
      data: {
        metrics: parseMetrics(row.metrics),
        params: parseJson<Record<string, string>>(row.params) ?? {},
        tags: parseJson<Record<string, string>>(row.tags) ?? {},
      },
    });
  }
  return out;
}

/** SQLite hands JSON back as text, PostgreSQL's driver already parsed. */
function parseJson<T>(value: unknown): T | undefined {
  if (value === null || value === undefined) return undefined;
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

type MetricTuple = [string, number | string, number, number, number];

function parseMetrics(value: unknown): Metric[] {
  const tuples = parseJson<MetricTuple[]>(value) ?? [];
  // SQLite writes +-Infinity as +-9e999 (parsed back to Infinity); PostgreSQL as "Infinity".
  return tuples
    .map(([key, v, timestamp, step, isNan]) => ({
      key,
      value: isNan ? Number.NaN : Number(v),
      timestamp: Number(timestamp),
      step: Number(step),
    }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

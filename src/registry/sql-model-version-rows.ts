import { nowMs } from '../core/index.js';
import type { Kysely } from 'kysely';
import type { ModelVersionsTable, Schema } from '../storage/index.js';
import type { KeyValue } from '../tracking/index.js';
import type { ModelVersion } from './entities.js';
import { MODEL_VERSION_STATUSES } from './entities.js';
import type { CreateModelVersionInput } from './registry-store.js';
import { modelNotFound } from './validation.js';

/** Row-level reads and writes of model versions for the SQL registry store. */

type Db = Kysely<Schema>;
export type VersionRow = Omit<ModelVersionsTable, 'archived'> & { archived: number };

/** Rows per `IN (...)` list: well under both databases' bound-parameter limits. */
export const CHUNK = 500;

/** Inserts the next version of `input.name` (and its tags); returns the new version number. */
export async function insertModelVersion(
  trx: Db,
  input: CreateModelVersionInput,
  tags: readonly KeyValue[],
): Promise<number> {
  const now = nowMs();
  // The counter row hands out the number: PostgreSQL locks the row until commit and SQLite
  // writes one transaction at a time, so concurrent creators get distinct versions.
  const bumped = await trx
    .updateTable('registered_models')
    .set((eb) => ({ last_version: eb('last_version', '+', 1), last_updated_timestamp: now }))
    .where('name', '=', input.name)
    .returning('last_version')
    .executeTakeFirst();
  if (!bumped) throw modelNotFound(input.name);
  const v = Number(bumped.last_version);
  await trx
    .insertInto('model_versions')
    .values({
      name: input.name,
      version: v,
      creation_timestamp: now,
      last_updated_timestamp: now,
      description: input.description ?? null,
      source: input.source,
      run_id: input.runId ?? null,
      status: 'READY',
      status_message: null,
      package_hash: input.packageHash ?? null,
      archived: 0,
    })
    .execute();
  if (tags.length > 0) {
    await trx
      .insertInto('model_version_tags')
      .values(tags.map((t) => ({ name: input.name, version: v, key: t.key, value: t.value })))
      .execute();
  }
  return v;
}

/** Full versions for `rows`, in their order. */
export async function loadVersions(db: Db, rows: readonly VersionRow[]): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const names = [...new Set(rows.map((r) => r.name))];
  const tagsByKey = new Map<string, Record<string, string>>();
  const aliasesByKey = new Map<string, string[]>();
  for (let i = 0; i < names.length; i += CHUNK) {
    const chunk = names.slice(i, i + CHUNK);
    const [tags, aliases] = await Promise.all([
      db.selectFrom('model_version_tags').selectAll().where('name', 'in', chunk).execute(),
      db
        .selectFrom('registered_model_aliases')
        .selectAll()
        .where('name', 'in', chunk)
        .orderBy('alias')
        .execute(),
    ]);
    for (const t of tags) {
      const k = versionKey(t.name, t.version);
      const record = tagsByKey.get(k) ?? {};
      record[t.key] = t.value;
      tagsByKey.set(k, record);
    }
    for (const a of aliases) {
      const k = versionKey(a.name, a.version);
      aliasesByKey.set(k, [...(aliasesByKey.get(k) ?? []), a.alias]);
    }
  }
  return rows.map((r) => {
    const k = versionKey(r.name, r.version);
    const archived = Number(r.archived) === 1;
    const status = (MODEL_VERSION_STATUSES as readonly string[]).includes(r.status)
      ? (r.status as ModelVersion['status'])
      : 'READY';
    return {
      name: r.name,
      version: String(r.version),
      creationTimestamp: Number(r.creation_timestamp),
      lastUpdatedTimestamp: Number(r.last_updated_timestamp),
      ...(r.description !== null ? { description: r.description } : {}),
      source: r.source,
      ...(r.run_id !== null ? { runId: r.run_id } : {}),
      status,
      ...(r.status_message !== null ? { statusMessage: r.status_message } : {}),
      tags: tagsByKey.get(k) ?? {},
      aliases: aliasesByKey.get(k) ?? [],
      ...(r.package_hash !== null ? { packageHash: r.package_hash } : {}),
      archived,
      currentStage: archived ? 'Archived' : 'None',
    };
  });
}

export async function loadLatestRows(
  db: Db,
  keys: readonly { name: string; version: number }[],
): Promise<VersionRow[]> {
  if (keys.length === 0) return [];
  return db
    .selectFrom('model_versions')
    .selectAll()
    .where((eb) =>
      eb.or(keys.map((k) => eb.and([eb('name', '=', k.name), eb('version', '=', k.version)]))),
    )
    .execute();
}

function versionKey(name: string, version: number): string {
  return `${String(Number(version))}\u0000${name}`;
}

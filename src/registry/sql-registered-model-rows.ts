import { invalidParam, nowMs } from '../core/index.js';
import type { Kysely } from 'kysely';
import type { Schema } from '../storage/index.js';
import type { KeyValue } from '../tracking/index.js';
import type { RegisteredModel, RegisteredModelAlias } from './entities.js';
import type { CreateRegisteredModelInput } from './registry-store.js';
import { CHUNK, loadLatestRows, loadVersions } from './sql-model-version-rows.js';
import { modelExists } from './validation.js';

/** Row-level reads and writes of registered models for the SQL registry store. */

type Db = Kysely<Schema>;

export interface ModelOrder {
  readonly key: 'name' | 'created' | 'updated';
  readonly ascending: boolean;
}

export interface ModelSortRow {
  readonly name: string;
  readonly creation_timestamp: number | bigint | string;
  readonly last_updated_timestamp: number | bigint | string;
}

const MODEL_ORDER_KEYS: Readonly<Record<string, 'name' | 'created' | 'updated'>> = {
  name: 'name',
  timestamp: 'created',
  creation_timestamp: 'created',
  last_updated_timestamp: 'updated',
};

/** Inserts a new registered model and its tags; throws if the name is taken. */
export async function insertRegisteredModel(
  trx: Db,
  input: CreateRegisteredModelInput,
  tags: readonly KeyValue[],
): Promise<void> {
  const clash = await trx
    .selectFrom('registered_models')
    .select('name')
    .where('name', '=', input.name)
    .executeTakeFirst();
  if (clash) throw modelExists(input.name);
  const now = nowMs();
  await trx
    .insertInto('registered_models')
    .values({
      name: input.name,
      description: input.description ?? null,
      creation_timestamp: now,
      last_updated_timestamp: now,
    })
    .execute();
  if (tags.length > 0) {
    await trx
      .insertInto('registered_model_tags')
      .values(tags.map((t) => ({ name: input.name, key: t.key, value: t.value })))
      .execute();
  }
}

/** Moves `name` and every row keyed by it to `newName`; throws if `newName` is taken. */
export async function renameModelRows(trx: Db, name: string, newName: string): Promise<void> {
  const clash = await trx
    .selectFrom('registered_models')
    .select('name')
    .where('name', '=', newName)
    .executeTakeFirst();
  if (clash) throw modelExists(newName);
  await trx
    .updateTable('registered_models')
    .set({ name: newName, last_updated_timestamp: nowMs() })
    .where('name', '=', name)
    .execute();
  for (const table of [
    'registered_model_tags',
    'model_versions',
    'model_version_tags',
    'registered_model_aliases',
    // Grants of `mlops server --auth` follow the model.
    'registered_model_permissions',
  ] as const) {
    await trx.updateTable(table).set({ name: newName }).where('name', '=', name).execute();
  }
}

export async function loadModels(db: Db, names: readonly string[]): Promise<RegisteredModel[]> {
  const models: RegisteredModel[] = [];
  for (let i = 0; i < names.length; i += CHUNK) {
    const chunk = names.slice(i, i + CHUNK);
    const [rows, tags, aliases, latest] = await Promise.all([
      db.selectFrom('registered_models').selectAll().where('name', 'in', chunk).execute(),
      db.selectFrom('registered_model_tags').selectAll().where('name', 'in', chunk).execute(),
      db
        .selectFrom('registered_model_aliases')
        .selectAll()
        .where('name', 'in', chunk)
        .orderBy('name')
        .orderBy('alias')
        .execute(),
      db
        .selectFrom('model_versions')
        .select(['name', (eb) => eb.fn.max('version').as('version')])
        .where('name', 'in', chunk)
        .where('archived', '=', 0)
        .groupBy('name')
        .execute(),
    ]);
    const latestRows = await loadLatestRows(
      db,
      latest.map((l) => ({ name: l.name, version: Number(l.version) })),
    );
    const latestVersions = new Map((await loadVersions(db, latestRows)).map((mv) => [mv.name, mv]));
    const byName = new Map(rows.map((r) => [r.name, r]));
    for (const name of chunk) {
      const r = byName.get(name);
      if (!r) continue;
      const latestVersion = latestVersions.get(name);
      const modelAliases: RegisteredModelAlias[] = aliases
        .filter((a) => a.name === name)
        .map((a) => ({ alias: a.alias, version: String(a.version) }));
      models.push({
        name: r.name,
        ...(r.description !== null ? { description: r.description } : {}),
        creationTimestamp: Number(r.creation_timestamp),
        lastUpdatedTimestamp: Number(r.last_updated_timestamp),
        tags: Object.fromEntries(tags.filter((t) => t.name === name).map((t) => [t.key, t.value])),
        aliases: modelAliases,
        ...(latestVersion ? { latestVersions: [latestVersion] } : {}),
      });
    }
  }
  return models;
}

/** Sorts model rows by `order`, then by name. */
export function sortModelRows(rows: ModelSortRow[], order: readonly ModelOrder[]): void {
  rows.sort((a, b) => {
    for (const o of order) {
      const d =
        o.key === 'name'
          ? compareText(a.name, b.name)
          : o.key === 'created'
            ? Number(a.creation_timestamp) - Number(b.creation_timestamp)
            : Number(a.last_updated_timestamp) - Number(b.last_updated_timestamp);
      if (d !== 0) return o.ascending ? d : -d;
    }
    return compareText(a.name, b.name);
  });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function parseModelOrder(orderBy: readonly string[]): ModelOrder[] {
  return orderBy.map((clause) => {
    const m = /^\s*`?([\w.]+)`?\s*(ASC|DESC)?\s*$/i.exec(clause);
    const key = m ? MODEL_ORDER_KEYS[m[1]!.toLowerCase()] : undefined;
    if (!m || !key) {
      throw invalidParam(
        `Invalid order_by clause '${clause}': expected one of ${Object.keys(MODEL_ORDER_KEYS).join(', ')}, optionally followed by ASC or DESC.`,
        { field: 'order_by' },
      );
    }
    return { key, ascending: (m[2] ?? 'ASC').toUpperCase() === 'ASC' };
  });
}

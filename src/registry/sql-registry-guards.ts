import type { Kysely } from 'kysely';
import type { Schema } from '../storage/index.js';
import { modelNotFound, versionNotFound } from './validation.js';

type Db = Kysely<Schema>;

/** Existence checks the SQL registry store runs before a write, inside the caller's transaction. */
export async function requireModel(db: Db, name: string): Promise<void> {
  const row = await db
    .selectFrom('registered_models')
    .select('name')
    .where('name', '=', name)
    .executeTakeFirst();
  if (!row) throw modelNotFound(name);
}

export async function requireVersion(db: Db, name: string, version: number): Promise<void> {
  await requireModel(db, name);
  const row = await db
    .selectFrom('model_versions')
    .select('version')
    .where('name', '=', name)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw versionNotFound(name, version);
}

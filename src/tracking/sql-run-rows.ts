import { invalidParam } from '../core/index.js';
import type { Database } from '../storage/index.js';
import type { KeyValue } from './entities.js';
import { runNotFound } from './not-found.js';

/** Row-level writes shared by the SQL store's methods; each runs in the caller's transaction. */
export async function requireActiveRun(trx: Database['db'], runId: string): Promise<void> {
  const row = await trx
    .selectFrom('runs')
    .select('lifecycle_stage')
    .where('run_uuid', '=', runId)
    .executeTakeFirst();
  if (!row) throw runNotFound(runId);
  if (row.lifecycle_stage !== 'active') {
    throw invalidParam(`Run ${runId} is deleted; restore it before logging to it.`);
  }
}

export async function insertParams(
  trx: Database['db'],
  runId: string,
  params: readonly KeyValue[],
): Promise<void> {
  const existing = await trx
    .selectFrom('params')
    .select(['key', 'value'])
    .where('run_uuid', '=', runId)
    .where(
      'key',
      'in',
      params.map((p) => p.key),
    )
    .execute();
  const old = new Map(existing.map((r) => [r.key, r.value]));
  for (const p of params) {
    const before = old.get(p.key);
    if (before !== undefined && before !== p.value) {
      throw invalidParam(
        `Changing param values is not allowed. Param '${p.key}' was already logged with value '${before}' for run ${runId}; the new value is '${p.value}'. Log it under another key, or start a new (or nested) run.`,
        { key: p.key },
      );
    }
  }
  const fresh = params.filter((p) => !old.has(p.key));
  if (fresh.length === 0) return;
  await trx
    .insertInto('params')
    .values(fresh.map((p) => ({ run_uuid: runId, key: p.key, value: p.value })))
    .execute();
}

export async function upsertTags(
  trx: Database['db'],
  runId: string,
  tags: readonly KeyValue[],
): Promise<void> {
  if (tags.length === 0) return;
  await trx
    .insertInto('tags')
    .values(tags.map((t) => ({ run_uuid: runId, key: t.key, value: t.value })))
    .onConflict((oc) =>
      oc.columns(['run_uuid', 'key']).doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
    )
    .execute();
}

export function dedupeLastWins(tags: readonly KeyValue[]): KeyValue[] {
  return [...new Map(tags.map((t) => [t.key, t])).values()];
}

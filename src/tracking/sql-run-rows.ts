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
  // Insert first and compare after: a concurrent writer of the same key cannot slip between a
  // read and the insert, and the same value logged twice stays idempotent.
  await trx
    .insertInto('params')
    .values(params.map((p) => ({ run_uuid: runId, key: p.key, value: p.value })))
    .onConflict((oc) => oc.columns(['run_uuid', 'key']).doNothing())
    .execute();
  const stored = await trx
    .selectFrom('params')
    .select(['key', 'value'])
    .where('run_uuid', '=', runId)
    .where(
      'key',
      'in',
      params.map((p) => p.key),
    )
    .execute();
  const before = new Map(stored.map((r) => [r.key, r.value]));
  for (const p of params) {
    const old = before.get(p.key);
    if (old !== undefined && old !== p.value) {
      throw invalidParam(
        `Changing param values is not allowed. Param '${p.key}' was already logged with value '${old}' for run ${runId}; the new value is '${p.value}'. Log it under another key, or start a new (or nested) run.`,
        { key: p.key },
      );
    }
  }
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

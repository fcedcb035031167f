import { invalidParam, nowMs } from '../core/index.js';
import type { Database } from '../storage/index.js';
import type { Experiment } from './entities.js';
import { experimentIdNumber, experimentNotFound } from './not-found.js';
import { toExperiment } from './row-mappers.js';

/** Experiment row operations shared by the SQL store's methods. */
export async function loadExperiments(
  db: Database['db'],
  ids: readonly number[],
): Promise<Experiment[]> {
  if (ids.length === 0) return [];
  const [rows, tags] = await Promise.all([
    db.selectFrom('experiments').selectAll().where('experiment_id', 'in', ids).execute(),
    db.selectFrom('experiment_tags').selectAll().where('experiment_id', 'in', ids).execute(),
  ]);
  const tagsBy = new Map<number, Record<string, string>>();
  for (const t of tags) {
    const id = Number(t.experiment_id);
    const record = tagsBy.get(id) ?? {};
    record[t.key] = t.value;
    tagsBy.set(id, record);
  }
  const byId = new Map(rows.map((r) => [Number(r.experiment_id), r]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    return row ? [toExperiment(row, tagsBy.get(id) ?? {})] : [];
  });
}

export async function requireActiveExperiment(trx: Database['db'], experimentId: string) {
  const row = await trx
    .selectFrom('experiments')
    .selectAll()
    .where('experiment_id', '=', experimentIdNumber(experimentId))
    .executeTakeFirst();
  if (!row) throw experimentNotFound(experimentId);
  if (row.lifecycle_stage !== 'active') {
    throw invalidParam(
      `Experiment ${experimentId} ('${row.name}') is deleted; restore it with \`mlops experiments restore ${experimentId}\` first.`,
    );
  }
  return row;
}

export async function setExperimentStage(
  database: Database,
  experimentId: string,
  stage: 'active' | 'deleted',
): Promise<void> {
  const id = experimentIdNumber(experimentId);
  await database.write(async (trx) => {
    const row = await trx
      .selectFrom('experiments')
      .select(['lifecycle_stage', 'last_update_time'])
      .where('experiment_id', '=', id)
      .executeTakeFirst();
    if (!row) throw experimentNotFound(experimentId);
    if (row.lifecycle_stage === stage) {
      throw invalidParam(
        `Experiment ${experimentId} is already ${stage}; only ${stage === 'deleted' ? 'active' : 'deleted'} experiments can be ${stage === 'deleted' ? 'deleted' : 'restored'}.`,
      );
    }
    // The stamp is later than any single run deletion in the experiment, so the two never tie.
    const latest = await trx
      .selectFrom('runs')
      .select((eb) => eb.fn.max('deleted_time').as('t'))
      .where('experiment_id', '=', id)
      .executeTakeFirst();
    const now = Math.max(nowMs(), Number(latest?.t ?? 0) + 1);
    await trx
      .updateTable('experiments')
      .set({ lifecycle_stage: stage, last_update_time: now })
      .where('experiment_id', '=', id)
      .execute();
    // Runs follow their experiment, as in MLflow. They are stamped with the experiment's
    // deletion time, so a restore brings back exactly those and not runs deleted one by one.
    let runs = trx.updateTable('runs').where('experiment_id', '=', id);
    runs =
      stage === 'deleted'
        ? runs
            .set({ lifecycle_stage: 'deleted', deleted_time: now })
            .where('lifecycle_stage', '=', 'active')
        : runs
            .set({ lifecycle_stage: 'active', deleted_time: null })
            .where('deleted_time', '=', Number(row.last_update_time));
    await runs.execute();
  });
}

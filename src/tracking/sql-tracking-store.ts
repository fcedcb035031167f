import { userInfo } from 'node:os';
import { MlopsError, invalidParam, newRunId, nowMs } from '../core/index.js';
import { sql } from 'kysely';
import { isUniqueViolation, type Database } from '../storage/index.js';
import type { ArtifactRecord, Experiment, Metric, Page, Run, RunInfo } from './entities.js';
import { RUN_STATUSES, SystemTags } from './entities.js';
import { Limits } from './limits.js';
import { writeMetrics } from './metric-writer.js';
import { writePgMetricBatch } from './pg-metric-batch.js';
import { decodeOffsetToken, encodeOffsetToken } from './page-token.js';
import { toMetric, toRunInfo } from './row-mappers.js';
import { loadRuns } from './run-loader.js';
import { randomRunName } from './run-name.js';
import { experimentIdNumber, experimentNotFound, runNotFound } from './not-found.js';
import {
  loadExperiments,
  requireActiveExperiment,
  setExperimentStage,
} from './sql-experiment-rows.js';
import { checkRecordPath } from './artifact-path.js';
import { dedupeLastWins, insertParams, requireActiveRun, upsertTags } from './sql-run-rows.js';
import { searchExperimentIds, searchRunIds } from './search/index.js';
import type {
  CreateExperimentInput,
  CreateRunInput,
  LogBatchInput,
  SearchExperimentsInput,
  SearchRunsInput,
  TrackingStore,
  UpdateRunInput,
} from './tracking-store.js';
import {
  validateBatch,
  validateExperimentName,
  validateKey,
  validateRunTag,
  validateValue,
} from './validation.js';

/** The tracking store over SQL: one implementation for SQLite and PostgreSQL (Kysely). */
export class SqlTrackingStore implements TrackingStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async createExperiment(input: CreateExperimentInput): Promise<string> {
    validateExperimentName(input.name);
    const tags = input.tags ?? [];
    for (const t of tags) {
      validateKey('experiment tag', t.key);
      validateValue('experiment tag', t.key, t.value, Limits.experimentTagValueLength);
    }
    if (input.artifactLocation?.startsWith('runs:')) {
      throw invalidParam(`Artifact location cannot be a runs:/ URI: '${input.artifactLocation}'.`);
    }
    return this.database
      .write(async (trx) => {
        const clash = await trx
          .selectFrom('experiments')
          .select(['experiment_id', 'lifecycle_stage'])
          .where('name', '=', input.name)
          .executeTakeFirst();
        if (clash) {
          const deleted =
            clash.lifecycle_stage === 'deleted'
              ? ' (deleted: restore it or pick another name)'
              : '';
          throw new MlopsError(
            'RESOURCE_ALREADY_EXISTS',
            `Experiment '${input.name}' already exists with id ${clash.experiment_id}${deleted}.`,
          );
        }
        const now = nowMs();
        const row = await trx
          .insertInto('experiments')
          .values({
            name: input.name,
            artifact_location: input.artifactLocation ?? '',
            lifecycle_stage: 'active',
            creation_time: now,
            last_update_time: now,
          })
          .returning('experiment_id')
          .executeTakeFirstOrThrow();
        const id = Number(row.experiment_id);
        if (!input.artifactLocation) {
          await trx
            .updateTable('experiments')
            .set({ artifact_location: `mlflow-artifacts:/${id}` })
            .where('experiment_id', '=', id)
            .execute();
        }
        if (tags.length > 0) {
          await trx
            .insertInto('experiment_tags')
            .values(tags.map((t) => ({ experiment_id: id, key: t.key, value: t.value })))
            .execute();
        }
        return String(id);
      })
      .catch((err: unknown) => {
        // Two creators of one name at once: the loser hits the unique index.
        if (isUniqueViolation(err)) {
          throw new MlopsError(
            'RESOURCE_ALREADY_EXISTS',
            `Experiment '${input.name}' already exists.`,
          );
        }
        throw err;
      });
  }

  async getExperiment(experimentId: string): Promise<Experiment> {
    const found = await loadExperiments(this.db, [experimentIdNumber(experimentId)]);
    const experiment = found[0];
    if (!experiment) throw experimentNotFound(experimentId);
    return experiment;
  }

  async getExperimentByName(name: string): Promise<Experiment | undefined> {
    const row = await this.db
      .selectFrom('experiments')
      .select('experiment_id')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? this.getExperiment(String(row.experiment_id)) : undefined;
  }

  async searchExperiments(input: SearchExperimentsInput = {}): Promise<Page<Experiment>> {
    const page = await searchExperimentIds(this.db, this.database.dialect, input);
    const items = await loadExperiments(this.db, page.experimentIds.map(Number));
    return withToken(items, page.nextPageToken);
  }

  async renameExperiment(experimentId: string, newName: string): Promise<void> {
    validateExperimentName(newName);
    await this.database.write(async (trx) => {
      const id = experimentIdNumber(experimentId);
      const exp = await trx
        .selectFrom('experiments')
        .select('lifecycle_stage')
        .where('experiment_id', '=', id)
        .executeTakeFirst();
      if (!exp) throw experimentNotFound(experimentId);
      if (exp.lifecycle_stage !== 'active') {
        throw invalidParam(`Cannot rename deleted experiment ${experimentId}; restore it first.`);
      }
      const clash = await trx
        .selectFrom('experiments')
        .select('experiment_id')
        .where('name', '=', newName)
        .where('experiment_id', '!=', id)
        .executeTakeFirst();
      if (clash) {
        throw new MlopsError(
          'RESOURCE_ALREADY_EXISTS',
          `Experiment '${newName}' already exists with id ${clash.experiment_id}.`,
        );
      }
      await trx
        .updateTable('experiments')
        .set({ name: newName, last_update_time: nowMs() })
        .where('experiment_id', '=', id)
        .execute();
    });
  }

  async setExperimentTag(experimentId: string, key: string, value: string): Promise<void> {
    validateKey('experiment tag', key);
    validateValue('experiment tag', key, value, Limits.experimentTagValueLength);
    const id = experimentIdNumber(experimentId);
    await this.database.write(async (trx) => {
      await requireActiveExperiment(trx, experimentId);
      await trx
        .insertInto('experiment_tags')
        .values({ experiment_id: id, key, value })
        .onConflict((oc) => oc.columns(['experiment_id', 'key']).doUpdateSet({ value }))
        .execute();
    });
  }

  async deleteExperimentTag(experimentId: string, key: string): Promise<void> {
    validateKey('experiment tag', key);
    const id = experimentIdNumber(experimentId);
    await this.database.write(async (trx) => {
      await requireActiveExperiment(trx, experimentId);
      const result = await trx
        .deleteFrom('experiment_tags')
        .where('experiment_id', '=', id)
        .where('key', '=', key)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) {
        throw new MlopsError(
          'RESOURCE_DOES_NOT_EXIST',
          `No tag '${key}' on experiment ${experimentId}.`,
        );
      }
    });
  }

  async deleteExperiment(experimentId: string): Promise<void> {
    if (experimentId === '0') {
      throw invalidParam('The Default experiment (id 0) cannot be deleted.');
    }
    await setExperimentStage(this.database, experimentId, 'deleted');
  }

  async restoreExperiment(experimentId: string): Promise<void> {
    await setExperimentStage(this.database, experimentId, 'active');
  }

  async createRun(input: CreateRunInput): Promise<Run> {
    const tags = [...(input.tags ?? [])];
    tags.forEach(validateRunTag);
    const tagName = tags.find((t) => t.key === SystemTags.runName)?.value;
    const runName = input.runName ?? tagName ?? randomRunName();
    if (input.runName !== undefined && tagName !== undefined && tagName !== input.runName) {
      throw invalidParam(
        `Run name '${input.runName}' differs from tag ${SystemTags.runName}='${tagName}'; give one of them.`,
      );
    }
    if (tagName === undefined) tags.push({ key: SystemTags.runName, value: runName });
    const runId = newRunId();
    const userId =
      input.userId ?? tags.find((t) => t.key === SystemTags.user)?.value ?? currentUser();
    if (!tags.some((t) => t.key === SystemTags.user))
      tags.push({ key: SystemTags.user, value: userId });
    await this.database.write(async (trx) => {
      const experiment = await requireActiveExperiment(trx, input.experimentId);
      await trx
        .insertInto('runs')
        .values({
          run_uuid: runId,
          name: runName,
          experiment_id: experimentIdNumber(input.experimentId),
          user_id: userId,
          status: 'RUNNING',
          start_time: input.startTime ?? nowMs(),
          end_time: null,
          source_type: tags.find((t) => t.key === SystemTags.sourceType)?.value ?? 'LOCAL',
          source_name: tags.find((t) => t.key === SystemTags.sourceName)?.value ?? '',
          lifecycle_stage: 'active',
          artifact_uri: `${experiment.artifact_location}/${runId}/artifacts`,
          deleted_time: null,
        })
        .execute();
      await upsertTags(trx, runId, dedupeLastWins(tags));
    });
    return this.getRun(runId);
  }

  async getRun(runId: string): Promise<Run> {
    const [run] = await loadRuns(this.database, [runId]);
    if (!run) throw runNotFound(runId);
    return run;
  }

  async updateRun(runId: string, input: UpdateRunInput): Promise<RunInfo> {
    if (input.status !== undefined && !RUN_STATUSES.includes(input.status)) {
      throw invalidParam(
        `Invalid run status '${String(input.status)}': expected one of ${RUN_STATUSES.join(', ')}.`,
      );
    }
    if (input.runName !== undefined)
      validateRunTag({ key: SystemTags.runName, value: input.runName });
    await this.database.write(async (trx) => {
      await requireActiveRun(trx, runId);
      const terminal =
        input.status !== undefined && input.status !== 'RUNNING' && input.status !== 'SCHEDULED';
      const endTime = input.endTime ?? (terminal ? nowMs() : undefined);
      const changes = {
        ...(input.status !== undefined ? { status: input.status } : {}),
        ...(endTime !== undefined ? { end_time: endTime } : {}),
        ...(input.runName !== undefined ? { name: input.runName } : {}),
      };
      // An update naming no field is a no-op (MLflow applies only the fields present).
      if (Object.keys(changes).length > 0) {
        await trx.updateTable('runs').set(changes).where('run_uuid', '=', runId).execute();
      }
      if (input.runName !== undefined) {
        await upsertTags(trx, runId, [{ key: SystemTags.runName, value: input.runName }]);
      }
    });
    return (await this.getRun(runId)).info;
  }

  async deleteRun(runId: string): Promise<void> {
    await this.setRunStage(runId, 'deleted');
  }

  async restoreRun(runId: string): Promise<void> {
    await this.setRunStage(runId, 'active');
  }

  async logBatch(runId: string, batch: LogBatchInput): Promise<void> {
    validateBatch(batch);
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    const metrics = batch.metrics ?? [];
    if (this.database.dialect === 'postgres' && params.length + tags.length === 0) {
      if (metrics.length > 0) await writePgMetricBatch(this.database.db, runId, metrics);
      else await requireActiveRun(this.database.db, runId);
      return;
    }
    await this.database.write(async (trx) => {
      await requireActiveRun(trx, runId);
      if (params.length > 0) await insertParams(trx, runId, params);
      if (tags.length > 0) {
        const last = dedupeLastWins(tags);
        await upsertTags(trx, runId, last);
        const name = last.find((t) => t.key === SystemTags.runName);
        if (name)
          await trx
            .updateTable('runs')
            .set({ name: name.value })
            .where('run_uuid', '=', runId)
            .execute();
      }
      await writeMetrics(trx, runId, batch.metrics ?? []);
    });
  }

  async deleteTag(runId: string, key: string): Promise<void> {
    await this.database.write(async (trx) => {
      await requireActiveRun(trx, runId);
      const result = await trx
        .deleteFrom('tags')
        .where('run_uuid', '=', runId)
        .where('key', '=', key)
        .executeTakeFirst();
      if (Number(result.numDeletedRows) === 0) {
        throw new MlopsError(
          'RESOURCE_DOES_NOT_EXIST',
          `No tag with key '${key}' on run ${runId}.`,
        );
      }
    });
  }

  async getMetricHistory(
    runId: string,
    key: string,
    page: { maxResults?: number; pageToken?: string } = {},
  ): Promise<Page<Metric>> {
    await this.getRunRow(runId);
    if (
      page.maxResults !== undefined &&
      (!Number.isSafeInteger(page.maxResults) || page.maxResults < 1)
    ) {
      throw invalidParam(
        `Invalid max_results ${String(page.maxResults)}: expected a positive integer.`,
      );
    }
    const offset = decodeOffsetToken(page.pageToken);
    // SQLite accepts OFFSET only after a LIMIT.
    const limit = page.maxResults !== undefined ? page.maxResults + 1 : Number.MAX_SAFE_INTEGER;
    const query = this.db
      .selectFrom('metrics')
      .select(['key', 'value', 'timestamp', 'step', 'is_nan'])
      .where('run_uuid', '=', runId)
      .where('key', '=', key)
      .orderBy('step')
      .orderBy('timestamp')
      .limit(limit)
      .offset(offset);
    const rows = await query.execute();
    const items = rows.map(toMetric);
    if (page.maxResults !== undefined && items.length > page.maxResults) {
      return {
        items: items.slice(0, page.maxResults),
        nextPageToken: encodeOffsetToken(offset + page.maxResults),
      };
    }
    return { items };
  }

  async searchRuns(input: SearchRunsInput): Promise<Page<Run>> {
    const page = await searchRunIds(this.db, this.database.dialect, input);
    const runs = await loadRuns(this.database, page.runIds);
    return withToken(runs, page.nextPageToken);
  }

  async recordArtifacts(runId: string, records: readonly ArtifactRecord[]): Promise<void> {
    for (const r of records) checkRecordPath(r.path);
    if (records.length === 0) return;
    await this.database.write(async (trx) => {
      await requireActiveRun(trx, runId);
      for (let i = 0; i < records.length; i += 500) {
        await trx
          .insertInto('artifacts')
          .values(
            records.slice(i, i + 500).map((r) => ({
              run_uuid: runId,
              path: r.path,
              manifest_id: r.manifestId,
              size: r.size,
            })),
          )
          .onConflict((oc) =>
            oc.columns(['run_uuid', 'path']).doUpdateSet((eb) => ({
              manifest_id: eb.ref('excluded.manifest_id'),
              size: eb.ref('excluded.size'),
            })),
          )
          .execute();
      }
    });
  }

  async listArtifactRecords(runId: string, prefix = ''): Promise<readonly ArtifactRecord[]> {
    await this.getRunRow(runId);
    let query = this.db
      .selectFrom('artifacts')
      .select(['path', 'manifest_id', 'size'])
      .where('run_uuid', '=', runId)
      .orderBy('path');
    if (prefix !== '') {
      // The file itself, or anything under the directory; substr keeps '%' and '_' literal and
      // does not depend on the database's collation.
      query = query.where((eb) =>
        eb.or([
          eb('path', '=', prefix),
          eb(sql<string>`substr(path, 1, ${prefix.length + 1})`, '=', `${prefix}/`),
        ]),
      );
    }
    const rows = await query.execute();
    return rows.map((r) => ({ path: r.path, manifestId: r.manifest_id, size: Number(r.size) }));
  }

  async *artifactManifestIds(): AsyncIterable<string> {
    const rows = await this.db.selectFrom('artifacts').select('manifest_id').distinct().execute();
    for (const row of rows) yield row.manifest_id;
  }

  async close(): Promise<void> {
    await this.database.close();
  }

  private async setRunStage(runId: string, stage: 'active' | 'deleted'): Promise<void> {
    await this.database.write(async (trx) => {
      const result = await trx
        .updateTable('runs')
        .set({ lifecycle_stage: stage, deleted_time: stage === 'deleted' ? nowMs() : null })
        .where('run_uuid', '=', runId)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 0) throw runNotFound(runId);
    });
  }

  private async getRunRow(runId: string) {
    const row = await this.db
      .selectFrom('runs')
      .selectAll()
      .where('run_uuid', '=', runId)
      .executeTakeFirst();
    if (!row) throw runNotFound(runId);
    return toRunInfo(row);
  }
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

function withToken<T>(items: readonly T[], nextPageToken: string | undefined): Page<T> {
  return nextPageToken === undefined ? { items } : { items, nextPageToken };
}

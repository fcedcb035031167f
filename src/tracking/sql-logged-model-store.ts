import { randomUUID } from 'node:crypto';
import { MlopsError, invalidParam, nowMs } from '../core/index.js';
import type { Database } from '../storage/index.js';
import type { ArtifactRecord, KeyValue, Metric, Page } from './entities.js';
import { checkRecordPath } from './artifact-path.js';
import { Limits } from './limits.js';
import { decodeOffsetToken, encodeOffsetToken } from './page-token.js';
import { validateKey, validateValue } from './validation.js';

/** MLflow 3.x LoggedModel status names. */
export const LOGGED_MODEL_STATUSES = [
  'LOGGED_MODEL_STATUS_UNSPECIFIED',
  'LOGGED_MODEL_PENDING',
  'LOGGED_MODEL_READY',
  'LOGGED_MODEL_UPLOAD_FAILED',
] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

/** A model logged by an MLflow 3.x client (`log_model`): metadata plus its own artifact tree. */
export interface LoggedModel {
  readonly modelId: string;
  readonly experimentId: string;
  readonly name: string;
  readonly artifactLocation: string;
  readonly creationTimestampMs: number;
  readonly lastUpdatedTimestampMs: number;
  readonly status: LoggedModelStatus;
  readonly statusMessage?: string;
  readonly creatorId?: string;
  readonly modelType?: string;
  readonly sourceRunId?: string;
  readonly tags: Readonly<Record<string, string>>;
  readonly params: Readonly<Record<string, string>>;
  /** Points logged with this model's id (3.x clients log a model's metrics so). */
  readonly metrics: readonly LoggedModelMetric[];
}

export interface LoggedModelMetric extends Metric {
  readonly runId: string;
  readonly datasetName?: string;
  readonly datasetDigest?: string;
}

export interface CreateLoggedModelInput {
  readonly experimentId: string;
  readonly name?: string;
  readonly modelType?: string;
  readonly sourceRunId?: string;
  readonly creatorId?: string;
  readonly params?: readonly KeyValue[];
  readonly tags?: readonly KeyValue[];
}

const PAGE_MAX = 50;

/**
 * Logged models in the SQL store. Their files are artifact records keyed by the model id (ids
 * start with `m-`, so they never meet a run id), which keeps byte store gc roots in one table.
 */
export class SqlLoggedModelStore {
  constructor(private readonly database: Database) {}

  private get db() {
    return this.database.db;
  }

  async create(input: CreateLoggedModelInput): Promise<LoggedModel> {
    const experimentId = Number(input.experimentId);
    const exp = Number.isSafeInteger(experimentId)
      ? await this.db
          .selectFrom('experiments')
          .select(['artifact_location', 'lifecycle_stage'])
          .where('experiment_id', '=', experimentId)
          .executeTakeFirst()
      : undefined;
    if (!exp) {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `No experiment with id '${input.experimentId}'.`,
      );
    }
    if (exp.lifecycle_stage !== 'active') {
      throw invalidParam(`Experiment ${input.experimentId} is deleted; restore it first.`);
    }
    for (const p of input.params ?? []) {
      validateKey('param', p.key);
      validateValue('param', p.key, p.value, Limits.paramValueLength);
    }
    for (const t of input.tags ?? []) {
      validateKey('tag', t.key);
      validateValue('tag', t.key, t.value, Limits.runTagValueLength);
    }
    const modelId = `m-${randomUUID().replaceAll('-', '')}`;
    const name = input.name || `model-${modelId.slice(2, 10)}`;
    const now = nowMs();
    await this.database.write(async (trx) => {
      await trx
        .insertInto('logged_models')
        .values({
          model_id: modelId,
          experiment_id: experimentId,
          name,
          artifact_location: `${exp.artifact_location}/models/${modelId}/artifacts`,
          creation_timestamp_ms: now,
          last_updated_timestamp_ms: now,
          status: 'LOGGED_MODEL_PENDING',
          status_message: null,
          creator_id: input.creatorId ?? null,
          model_type: input.modelType ?? null,
          source_run_id: input.sourceRunId ?? null,
          lifecycle_stage: 'active',
        })
        .execute();
      await this.putKeyValues(trx, 'logged_model_params', modelId, input.params ?? []);
      await this.putKeyValues(trx, 'logged_model_tags', modelId, input.tags ?? []);
    });
    return this.get(modelId);
  }

  async get(modelId: string): Promise<LoggedModel> {
    const row = await this.db
      .selectFrom('logged_models')
      .selectAll()
      .where('model_id', '=', modelId)
      .where('lifecycle_stage', '=', 'active')
      .executeTakeFirst();
    if (!row) {
      throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `No logged model with id '${modelId}'.`);
    }
    const [tags, params, metrics] = await Promise.all([
      this.db
        .selectFrom('logged_model_tags')
        .select(['key', 'value'])
        .where('model_id', '=', modelId)
        .execute(),
      this.db
        .selectFrom('logged_model_params')
        .select(['key', 'value'])
        .where('model_id', '=', modelId)
        .execute(),
      this.db
        .selectFrom('logged_model_metrics')
        .selectAll()
        .where('model_id', '=', modelId)
        .orderBy('key')
        .orderBy('step')
        .orderBy('timestamp')
        .execute(),
    ]);
    return {
      modelId: row.model_id,
      experimentId: String(row.experiment_id),
      name: row.name,
      artifactLocation: row.artifact_location,
      creationTimestampMs: Number(row.creation_timestamp_ms),
      lastUpdatedTimestampMs: Number(row.last_updated_timestamp_ms),
      status: row.status as LoggedModelStatus,
      ...(row.status_message ? { statusMessage: row.status_message } : {}),
      ...(row.creator_id ? { creatorId: row.creator_id } : {}),
      ...(row.model_type ? { modelType: row.model_type } : {}),
      ...(row.source_run_id ? { sourceRunId: row.source_run_id } : {}),
      tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
      params: Object.fromEntries(params.map((p) => [p.key, p.value])),
      metrics: metrics.map((m) => ({
        key: m.key,
        value: m.is_nan ? Number.NaN : Number(m.value),
        timestamp: Number(m.timestamp),
        step: Number(m.step),
        runId: m.run_uuid,
        ...(m.dataset_name !== null ? { datasetName: m.dataset_name } : {}),
        ...(m.dataset_digest !== null ? { datasetDigest: m.dataset_digest } : {}),
      })),
    };
  }

  /** Records points (already logged to run `runId`) as metrics of logged model `modelId` too. */
  async logMetrics(
    modelId: string,
    runId: string,
    metrics: readonly LoggedModelMetric[],
  ): Promise<void> {
    if (metrics.length === 0) return;
    await this.get(modelId);
    await this.database.write(async (trx) => {
      await trx
        .insertInto('logged_model_metrics')
        .values(
          metrics.map((m) => ({
            model_id: modelId,
            key: m.key,
            value: Number.isNaN(m.value) ? 0 : m.value,
            timestamp: m.timestamp,
            step: m.step,
            is_nan: Number.isNaN(m.value) ? 1 : 0,
            run_uuid: runId,
            dataset_name: m.datasetName ?? null,
            dataset_digest: m.datasetDigest ?? null,
          })),
        )
        .onConflict((oc) => oc.doNothing())
        .execute();
    });
  }

  /** Finalizes (READY or UPLOAD_FAILED) as the 3.x client does after uploading the files. */
  async setStatus(
    modelId: string,
    status: LoggedModelStatus,
    message?: string,
  ): Promise<LoggedModel> {
    await this.get(modelId);
    await this.database.write((trx) =>
      trx
        .updateTable('logged_models')
        .set({ status, status_message: message ?? null, last_updated_timestamp_ms: nowMs() })
        .where('model_id', '=', modelId)
        .execute(),
    );
    return this.get(modelId);
  }

  async setTags(modelId: string, tags: readonly KeyValue[]): Promise<void> {
    await this.get(modelId);
    for (const t of tags) {
      validateKey('tag', t.key);
      validateValue('tag', t.key, t.value, Limits.runTagValueLength);
    }
    await this.database.write((trx) => this.putKeyValues(trx, 'logged_model_tags', modelId, tags));
  }

  async deleteTag(modelId: string, key: string): Promise<void> {
    await this.get(modelId);
    const result = await this.database.write((trx) =>
      trx
        .deleteFrom('logged_model_tags')
        .where('model_id', '=', modelId)
        .where('key', '=', key)
        .executeTakeFirst(),
    );
    if (Number(result.numDeletedRows) === 0) {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `No tag '${key}' on logged model ${modelId}.`,
      );
    }
  }

  async logParams(modelId: string, params: readonly KeyValue[]): Promise<void> {
    await this.get(modelId);
    for (const p of params) {
      validateKey('param', p.key);
      validateValue('param', p.key, p.value, Limits.paramValueLength);
    }
    await this.database.write((trx) =>
      this.putKeyValues(trx, 'logged_model_params', modelId, params),
    );
  }

  async delete(modelId: string): Promise<void> {
    await this.get(modelId);
    await this.database.write((trx) =>
      trx
        .updateTable('logged_models')
        .set({ lifecycle_stage: 'deleted', last_updated_timestamp_ms: nowMs() })
        .where('model_id', '=', modelId)
        .execute(),
    );
  }

  /** Newest first, at most 50 a page (MLflow's cap). */
  async search(input: {
    experimentIds: readonly string[];
    maxResults?: number;
    pageToken?: string;
  }): Promise<Page<LoggedModel>> {
    const max = Math.min(input.maxResults ?? PAGE_MAX, PAGE_MAX);
    if (max < 1) throw invalidParam(`max_results must be between 1 and ${PAGE_MAX}.`);
    const offset = decodeOffsetToken(input.pageToken);
    const ids = input.experimentIds.map(Number).filter(Number.isSafeInteger);
    if (ids.length === 0) return { items: [] };
    const rows = await this.db
      .selectFrom('logged_models')
      .select('model_id')
      .where('experiment_id', 'in', ids)
      .where('lifecycle_stage', '=', 'active')
      .orderBy('creation_timestamp_ms', 'desc')
      .orderBy('model_id')
      .limit(max + 1)
      .offset(offset)
      .execute();
    const items = await Promise.all(rows.slice(0, max).map((r) => this.get(r.model_id)));
    return rows.length > max
      ? { items, nextPageToken: encodeOffsetToken(offset + max) }
      : { items };
  }

  async recordArtifacts(modelId: string, records: readonly ArtifactRecord[]): Promise<void> {
    for (const r of records) checkRecordPath(r.path);
    await this.get(modelId);
    await this.database.write(async (trx) => {
      for (const r of records) {
        await trx
          .insertInto('artifacts')
          .values({ run_uuid: modelId, path: r.path, manifest_id: r.manifestId, size: r.size })
          .onConflict((oc) =>
            oc
              .columns(['run_uuid', 'path'])
              .doUpdateSet({ manifest_id: r.manifestId, size: r.size }),
          )
          .execute();
      }
    });
  }

  /** Ids of the runs and logged models whose artifact records name manifest `manifestId`. */
  async manifestOwners(manifestId: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('artifacts')
      .select('run_uuid')
      .where('manifest_id', '=', manifestId)
      .limit(100)
      .execute();
    return rows.map((r) => r.run_uuid);
  }

  async listArtifactRecords(modelId: string, prefix = ''): Promise<readonly ArtifactRecord[]> {
    await this.get(modelId);
    const rows = await this.db
      .selectFrom('artifacts')
      .select(['path', 'manifest_id', 'size'])
      .where('run_uuid', '=', modelId)
      .orderBy('path')
      .execute();
    return rows
      .filter((r) => prefix === '' || r.path === prefix || r.path.startsWith(`${prefix}/`))
      .map((r) => ({ path: r.path, manifestId: r.manifest_id, size: Number(r.size) }));
  }

  private async putKeyValues(
    trx: Database['db'],
    table: 'logged_model_params' | 'logged_model_tags',
    modelId: string,
    items: readonly KeyValue[],
  ): Promise<void> {
    for (const item of items) {
      await trx
        .insertInto(table)
        .values({ model_id: modelId, key: item.key, value: item.value })
        .onConflict((oc) => oc.columns(['model_id', 'key']).doUpdateSet({ value: item.value }))
        .execute();
    }
  }
}

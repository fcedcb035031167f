import type { Kysely } from 'kysely';
import type { Database, Schema } from '../../storage/index.js';
import type {
  FeedbackRecord,
  InferenceLogStore,
  InferenceQuery,
  InferenceRecord,
  JoinedInference,
} from './inference-log-store.js';
import { validateFeedback, validatePredictions, validateQuery } from './validate-records.js';

type Db = Kysely<Schema>;

/**
 * SQLite allows 32 766 bound values per statement (PostgreSQL 65 535): rows per INSERT are
 * sized to stay under it.
 */
const MAX_BOUND_VALUES = 30_000;
const PREDICTION_COLUMNS = 11;
const FEEDBACK_COLUMNS = 6;

/**
 * The inference log over SQL (SQLite and PostgreSQL through Kysely).
 *
 * A batch is checked whole, then written in one transaction with one INSERT per chunk, so a bad
 * record writes nothing. Appending an id that is already stored is a no-op (the first write
 * wins): a writer that retries after a lost answer does not fail or duplicate rows.
 *
 * Joins: a prediction's `actual` is the latest feedback (by timestamp, then feedback id) naming
 * its prediction id; failing that, the latest feedback without a prediction id for its target
 * date. Feedback that names a model joins only that model's predictions (so EDIT on one model
 * cannot change another's accuracy); feedback naming only a day joins every model's.
 */
export class SqlInferenceLogStore implements InferenceLogStore {
  constructor(private readonly database: Database) {}

  private get db(): Db {
    return this.database.db;
  }

  async appendPredictions(records: readonly InferenceRecord[]): Promise<void> {
    validatePredictions(records);
    if (records.length === 0) return;
    const rows = records.map((r) => ({
      prediction_id: r.predictionId,
      timestamp: r.timestamp,
      model_name: r.modelName,
      model_version: r.modelVersion,
      input_date: r.inputDate ?? null,
      target_date: r.targetDate ?? null,
      horizon_step: r.horizonStep,
      inputs: JSON.stringify(r.inputs),
      prediction: r.prediction,
      latency_ms: r.latencyMs,
      route: r.route,
    }));
    await this.database.write(async (trx) => {
      for (const chunk of chunks(rows, Math.floor(MAX_BOUND_VALUES / PREDICTION_COLUMNS))) {
        await trx
          .insertInto('inference_log')
          .values(chunk)
          .onConflict((oc) => oc.column('prediction_id').doNothing())
          .execute();
      }
    });
  }

  async appendFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    validateFeedback(records);
    if (records.length === 0) return;
    const rows = records.map((r) => ({
      feedback_id: r.feedbackId,
      timestamp: r.timestamp,
      prediction_id: r.predictionId ?? null,
      target_date: r.targetDate ?? null,
      model_name: r.modelName ?? null,
      actual: r.actual,
    }));
    await this.database.write(async (trx) => {
      for (const chunk of chunks(rows, Math.floor(MAX_BOUND_VALUES / FEEDBACK_COLUMNS))) {
        await trx
          .insertInto('inference_feedback')
          .values(chunk)
          .onConflict((oc) => oc.column('feedback_id').doNothing())
          .execute();
      }
    });
  }

  async queryPredictions(query: InferenceQuery = {}): Promise<readonly JoinedInference[]> {
    validateQuery(query);
    let base = this.db
      .selectFrom('inference_log as l')
      .selectAll('l')
      .select((eb) => [
        eb
          .selectFrom('inference_feedback as f')
          .select('f.actual')
          .whereRef('f.prediction_id', '=', 'l.prediction_id')
          .where((w) =>
            w.or([w('f.model_name', 'is', null), w('f.model_name', '=', w.ref('l.model_name'))]),
          )
          .orderBy('f.timestamp', 'desc')
          .orderBy('f.feedback_id', 'desc')
          .limit(1)
          .as('actual_by_id'),
        eb
          .selectFrom('inference_feedback as g')
          .select('g.actual')
          .where('g.prediction_id', 'is', null)
          .whereRef('g.target_date', '=', 'l.target_date')
          .where((w) =>
            w.or([w('g.model_name', 'is', null), w('g.model_name', '=', w.ref('l.model_name'))]),
          )
          .orderBy('g.timestamp', 'desc')
          .orderBy('g.feedback_id', 'desc')
          .limit(1)
          .as('actual_by_date'),
      ]);
    if (query.modelName !== undefined) base = base.where('l.model_name', '=', query.modelName);
    if (query.modelVersion !== undefined) {
      base = base.where('l.model_version', '=', query.modelVersion);
    }
    if (query.since !== undefined) base = base.where('l.timestamp', '>=', query.since);
    if (query.until !== undefined) base = base.where('l.timestamp', '<', query.until);
    const rows =
      query.limit === undefined
        ? await base
            .orderBy('l.timestamp')
            .orderBy('l.horizon_step')
            .orderBy('l.prediction_id')
            .execute()
        : // The newest `limit` rows, handed back oldest first like an unlimited query.
          (
            await base
              .orderBy('l.timestamp', 'desc')
              .orderBy('l.horizon_step', 'desc')
              .orderBy('l.prediction_id', 'desc')
              .limit(query.limit)
              .execute()
          ).reverse();
    return rows.map((row) => {
      const actual = row.actual_by_id ?? row.actual_by_date;
      return {
        predictionId: row.prediction_id,
        timestamp: Number(row.timestamp),
        modelName: row.model_name,
        modelVersion: row.model_version,
        ...(row.input_date !== null ? { inputDate: row.input_date } : {}),
        ...(row.target_date !== null ? { targetDate: row.target_date } : {}),
        horizonStep: Number(row.horizon_step),
        inputs: JSON.parse(row.inputs) as number[],
        prediction: Number(row.prediction),
        latencyMs: Number(row.latency_ms),
        route: row.route as JoinedInference['route'],
        ...(actual !== null && actual !== undefined ? { actual: Number(actual) } : {}),
      };
    });
  }

  /**
   * Feedback rows, oldest first (newest `limit` with a limit). `modelName` matches the feedback
   * that can join that model's predictions: naming the model, naming one of its predictions, or
   * naming only a day (which joins every model); `modelVersion` matches feedback naming one of
   * that version's predictions.
   */
  async queryFeedback(query: InferenceQuery = {}): Promise<readonly FeedbackRecord[]> {
    validateQuery(query);
    let base = this.db.selectFrom('inference_feedback as f').selectAll('f');
    const { modelName, modelVersion } = query;
    if (modelName !== undefined || modelVersion !== undefined) {
      base = base.where((eb) => {
        const ofPrediction = eb.exists(
          eb
            .selectFrom('inference_log as l')
            .select('l.prediction_id')
            .whereRef('l.prediction_id', '=', 'f.prediction_id')
            .$if(modelName !== undefined, (q) => q.where('l.model_name', '=', modelName!))
            .$if(modelVersion !== undefined, (q) => q.where('l.model_version', '=', modelVersion!)),
        );
        if (modelVersion !== undefined) return ofPrediction;
        const forEveryModel = eb.and([
          eb('f.model_name', 'is', null),
          eb('f.prediction_id', 'is', null),
        ]);
        return eb.or([eb('f.model_name', '=', modelName!), forEveryModel, ofPrediction]);
      });
    }
    if (query.since !== undefined) base = base.where('f.timestamp', '>=', query.since);
    if (query.until !== undefined) base = base.where('f.timestamp', '<', query.until);
    const rows =
      query.limit === undefined
        ? await base.orderBy('f.timestamp').orderBy('f.feedback_id').execute()
        : (
            await base
              .orderBy('f.timestamp', 'desc')
              .orderBy('f.feedback_id', 'desc')
              .limit(query.limit)
              .execute()
          ).reverse();
    return rows.map((row) => ({
      feedbackId: row.feedback_id,
      timestamp: Number(row.timestamp),
      ...(row.prediction_id !== null ? { predictionId: row.prediction_id } : {}),
      ...(row.target_date !== null ? { targetDate: row.target_date } : {}),
      ...(row.model_name !== null ? { modelName: row.model_name } : {}),
      actual: Number(row.actual),
    }));
  }

  async close(): Promise<void> {
    await this.database.close();
  }
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

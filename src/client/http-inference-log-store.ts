import type { z } from 'zod';
import { InferenceLog as W } from '../api/index.js';
import { MlopsError } from '../core/index.js';
import type {
  FeedbackRecord,
  InferenceLogStore,
  InferenceQuery,
  InferenceRecord,
  JoinedInference,
} from '../serving/index.js';
import type { HttpTransport } from './http-transport.js';

const LOG = '/api/mlops/inference-log';
const FEEDBACK = '/api/mlops/feedback';
/** Records per request: well under the server's body limit with windows of a few hundred closes. */
const RECORDS_PER_REQUEST = 2_000;

export interface HttpInferenceLogStoreOptions {
  /** Whether close() closes the transport (default true); false when the transport is shared. */
  readonly closeTransport?: boolean;
}

/**
 * The inference log of an mlops tracking server, over /api/mlops/inference-log and
 * /api/mlops/feedback. Records are checked by the server, which answers with the codes and
 * messages of the SQL store behind it.
 *
 * A batch over 2 000 records goes in several requests: a bad record in a later one leaves the
 * earlier ones stored. Appends are idempotent per id, so resending the corrected batch is safe
 * (and so is the transport's retry of a request whose answer was lost).
 *
 * @example
 * const log = new HttpInferenceLogStore(transportFromEnv('http://127.0.0.1:5000'));
 * const writer = new InferenceLogWriter(log);
 */
export class HttpInferenceLogStore implements InferenceLogStore {
  readonly #closeTransport: boolean;

  constructor(
    readonly transport: HttpTransport,
    options: HttpInferenceLogStoreOptions = {},
  ) {
    this.#closeTransport = options.closeTransport ?? true;
  }

  async appendPredictions(records: readonly InferenceRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += RECORDS_PER_REQUEST) {
      const chunk = records.slice(i, i + RECORDS_PER_REQUEST);
      await this.transport.post(LOG, { records: chunk.map(W.inferenceRecordToWire) });
    }
  }

  async appendFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    for (let i = 0; i < records.length; i += RECORDS_PER_REQUEST) {
      const chunk = records.slice(i, i + RECORDS_PER_REQUEST);
      await this.transport.post(FEEDBACK, { records: chunk.map(W.feedbackRecordToWire) });
    }
  }

  async queryPredictions(query: InferenceQuery = {}): Promise<readonly JoinedInference[]> {
    const res = answer(W.InferenceLogAnswer, await this.transport.get(LOG, queryToWire(query)));
    return (res.predictions ?? []).map(W.inferenceRecordFromWire);
  }

  async queryFeedback(query: InferenceQuery = {}): Promise<readonly FeedbackRecord[]> {
    const res = answer(W.FeedbackAnswer, await this.transport.get(FEEDBACK, queryToWire(query)));
    return (res.feedback ?? []).map(W.feedbackRecordFromWire);
  }

  async close(): Promise<void> {
    if (this.#closeTransport) this.transport.close();
  }
}

/** The server's answer, checked: a mismatch means client and server disagree on the contract. */
function answer<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new MlopsError(
    'INTERNAL_ERROR',
    `The server's inference log answer does not match this client (${issue?.path.join('.') ?? ''}: ${issue?.message ?? ''}); are client and server the same mlops version?`,
    { cause: parsed.error },
  );
}

function queryToWire(query: InferenceQuery) {
  return {
    model_name: query.modelName,
    model_version: query.modelVersion,
    since: query.since,
    until: query.until,
    limit: query.limit,
  };
}

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { MlopsError } from '../../core/index.js';
import type { Database } from '../../storage/index.js';
import type {
  FeedbackRecord,
  InferenceLogStore,
  InferenceQuery,
  InferenceRecord,
  JoinedInference,
} from './inference-log-store.js';
import { SqlInferenceLogStore } from './sql-inference-log-store.js';
import { validateFeedback, validatePredictions } from './validate-records.js';

/**
 * The worker's whole program (CommonJS, run with `eval`, so the same code runs from src/ under
 * the tests, from dist/ and from the CLI bundle): its own better-sqlite3 connection, two prepared
 * INSERTs, one transaction per batch. SQLite's WAL checkpoints happen on this connection too,
 * so neither inserts nor checkpoints ever block the serving thread.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 30000');
db.pragma('synchronous = NORMAL');
const insert = {
  predictions: db.prepare('INSERT INTO inference_log (prediction_id, timestamp, model_name, model_version, input_date, target_date, horizon_step, inputs, prediction, latency_ms, route) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (prediction_id) DO NOTHING'),
  feedback: db.prepare('INSERT INTO inference_feedback (feedback_id, timestamp, prediction_id, target_date, model_name, actual) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (feedback_id) DO NOTHING'),
};
const write = db.transaction((kind, rows) => { for (const row of rows) insert[kind].run(row); });
parentPort.on('message', (m) => {
  if (m.close) { db.close(); parentPort.postMessage({ id: m.id, ok: true }); return; }
  try { write.immediate(m.kind, m.rows); parentPort.postMessage({ id: m.id, ok: true }); }
  catch (e) { parentPort.postMessage({ id: m.id, ok: false, message: String(e && e.message), code: e && e.code }); }
});
`;

type Pending = { resolve: () => void; reject: (error: Error) => void };

/**
 * The inference log on a SQLite file, written from a worker thread: the prediction server's
 * batches are checked here, then inserted by the worker on a connection of its own, so a batch
 * (and the WAL checkpoint a commit may run) costs the event loop nothing. Reads go through
 * `SqlInferenceLogStore` on `database` (they are not on the request path). Same contract as
 * `SqlInferenceLogStore`; `close()` stops the worker and leaves `database` open.
 */
export class SqliteWorkerInferenceLogStore implements InferenceLogStore {
  readonly #reader: SqlInferenceLogStore;
  readonly #worker: Worker;
  readonly #pending = new Map<number, Pending>();
  #next = 0;
  #failure: Error | undefined;

  /** `file`: the SQLite database `database` is open on (already migrated). */
  constructor(database: Database, file: string) {
    if (database.dialect !== 'sqlite') {
      throw new MlopsError(
        'INVALID_PARAMETER_VALUE',
        `SqliteWorkerInferenceLogStore needs a SQLite database, not ${database.dialect}; use SqlInferenceLogStore.`,
      );
    }
    this.#reader = new SqlInferenceLogStore(database);
    const driver = createRequire(import.meta.url).resolve('better-sqlite3');
    this.#worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver, file } });
    this.#worker.unref();
    this.#worker.on(
      'message',
      (m: { id: number; ok: boolean; message?: string; code?: string }) => {
        const waiter = this.#pending.get(m.id);
        this.#pending.delete(m.id);
        if (!waiter) return;
        if (m.ok) waiter.resolve();
        else waiter.reject(writeFailed(file, m.message ?? 'unknown error', m.code));
      },
    );
    this.#worker.on('error', (err) => this.#fail(writeFailed(file, err.message)));
    this.#worker.on('exit', (code) => {
      if (code !== 0) this.#fail(writeFailed(file, `the writer thread exited with code ${code}`));
    });
  }

  async appendPredictions(records: readonly InferenceRecord[]): Promise<void> {
    validatePredictions(records);
    if (records.length === 0) return;
    await this.#send(
      'predictions',
      records.map((r) => [
        r.predictionId,
        r.timestamp,
        r.modelName,
        r.modelVersion,
        r.inputDate ?? null,
        r.targetDate ?? null,
        r.horizonStep,
        JSON.stringify(r.inputs),
        r.prediction,
        r.latencyMs,
        r.route,
      ]),
    );
  }

  async appendFeedback(records: readonly FeedbackRecord[]): Promise<void> {
    validateFeedback(records);
    if (records.length === 0) return;
    await this.#send(
      'feedback',
      records.map((r) => [
        r.feedbackId,
        r.timestamp,
        r.predictionId ?? null,
        r.targetDate ?? null,
        r.modelName ?? null,
        r.actual,
      ]),
    );
  }

  queryPredictions(query?: InferenceQuery): Promise<readonly JoinedInference[]> {
    return this.#reader.queryPredictions(query);
  }

  queryFeedback(query?: InferenceQuery): Promise<readonly FeedbackRecord[]> {
    return this.#reader.queryFeedback(query);
  }

  async close(): Promise<void> {
    if (!this.#failure) {
      await new Promise<void>((resolve, reject) => {
        const id = this.#next++;
        this.#pending.set(id, { resolve, reject });
        this.#worker.postMessage({ id, close: true });
      }).catch(() => {});
    }
    await this.#worker.terminate();
  }

  #send(kind: 'predictions' | 'feedback', rows: unknown[][]): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise<void>((resolve, reject) => {
      const id = this.#next++;
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, kind, rows });
    });
  }

  #fail(error: Error): void {
    this.#failure ??= error;
    for (const waiter of this.#pending.values()) waiter.reject(error);
    this.#pending.clear();
  }
}

function writeFailed(file: string, message: string, code?: string): MlopsError {
  const busy = code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
  return new MlopsError(
    busy ? 'TEMPORARILY_UNAVAILABLE' : 'IO_ERROR',
    `Could not write the inference log to ${file}: ${message}.${busy ? ' Another process holds the database; the writer retries.' : ''}`,
  );
}

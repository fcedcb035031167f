import { sql, type Kysely, type Selectable } from 'kysely';
import { invalidParam, MlopsError } from '../../core/index.js';
import {
  isUniqueViolation,
  type Database,
  type MonitorSnapshotsTable,
  type MonitorTriggersTable,
  type Schema,
} from '../../storage/index.js';
import type { ConditionResult, MetricMap } from '../checks/check-types.js';
import { fromStoredJson, toStoredJson } from './snapshot-json.js';
import type {
  MonitorSnapshot,
  SnapshotQuery,
  SnapshotStore,
  TriggerRecord,
} from './snapshot-types.js';

/** A running trigger older than this is taken for dead (its process crashed) by default. */
export const DEFAULT_STALE_TRIGGER_MS = 6 * 60 * 60 * 1000;

export interface SqlSnapshotStoreOptions {
  /**
   * A 'running' trigger started longer ago than this is marked failed by the next
   * `beginTrigger`, so a process that died mid-retraining does not hold the lock forever.
   * Keep it above the longest retraining. Default 6 h.
   */
  readonly staleTriggerMs?: number;
}

type BeginResult = Awaited<ReturnType<SnapshotStore['beginTrigger']>>;

/**
 * Snapshots and trigger records over SQL (SQLite and PostgreSQL through Kysely; migration 5).
 *
 * `beginTrigger` is the lock, atomic across processes: one write transaction (SQLite `BEGIN
 * IMMEDIATE`, which queues writers; PostgreSQL a transaction-scoped advisory lock on the
 * monitor and action) marks stale running rows failed, looks for a running row and for one
 * that finished within the cooldown, and inserts the new running row or a skipped one saying
 * why. A partial unique index (one running row per monitor and action) backs it up.
 * A stale row counts as finished when it started, so its cooldown is measured from its start.
 * Failed triggers cool down too: a broken source is not retried on every run.
 */
export class SqlSnapshotStore implements SnapshotStore {
  readonly #database: Database;
  readonly #staleMs: number;

  constructor(database: Database, options: SqlSnapshotStoreOptions = {}) {
    const staleMs = options.staleTriggerMs ?? DEFAULT_STALE_TRIGGER_MS;
    if (!(staleMs > 0)) {
      throw invalidParam(`staleTriggerMs must be a positive number of ms, got ${staleMs}`);
    }
    this.#database = database;
    this.#staleMs = staleMs;
  }

  async addSnapshot(snapshot: MonitorSnapshot): Promise<void> {
    checkSnapshot(snapshot);
    try {
      await this.#database.db
        .insertInto('monitor_snapshots')
        .values({
          id: snapshot.id,
          created_at: snapshot.createdAt,
          monitor: snapshot.monitor,
          model_name: snapshot.modelName ?? null,
          model_version: snapshot.modelVersion ?? null,
          window_start: snapshot.windowStart ?? null,
          window_end: snapshot.windowEnd ?? null,
          rows: snapshot.rows,
          dataset_drift: snapshot.datasetDrift ? 1 : 0,
          drifted_share: snapshot.driftedShare,
          metrics: toStoredJson(snapshot.metrics),
          checks: toStoredJson(snapshot.checks),
          passed: snapshot.passed ? 1 : 0,
          report_path: snapshot.reportPath ?? null,
        })
        .execute();
    } catch (err) {
      if (isUniqueViolation(err)) {
        throw new MlopsError(
          'RESOURCE_ALREADY_EXISTS',
          `A monitor snapshot with id '${snapshot.id}' is already stored; snapshots are never overwritten.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async getSnapshot(id: string): Promise<MonitorSnapshot | undefined> {
    const row = await this.#database.db
      .selectFrom('monitor_snapshots')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    return row && toSnapshot(row);
  }

  async listSnapshots(query: SnapshotQuery = {}): Promise<readonly MonitorSnapshot[]> {
    if (query.limit !== undefined && !(Number.isInteger(query.limit) && query.limit >= 0)) {
      throw invalidParam(`limit must be a whole number >= 0, got ${query.limit}`);
    }
    let q = this.#database.db.selectFrom('monitor_snapshots').selectAll();
    if (query.monitor !== undefined) q = q.where('monitor', '=', query.monitor);
    if (query.modelName !== undefined) q = q.where('model_name', '=', query.modelName);
    if (query.since !== undefined) q = q.where('created_at', '>=', query.since);
    if (query.until !== undefined) q = q.where('created_at', '<', query.until);
    q = q.orderBy('created_at', 'desc').orderBy('id', 'desc');
    if (query.limit !== undefined) q = q.limit(query.limit);
    return (await q.execute()).map(toSnapshot);
  }

  async beginTrigger(
    record: Omit<TriggerRecord, 'status' | 'finishedAt'>,
    cooldownMs: number,
  ): Promise<BeginResult> {
    if (!(cooldownMs >= 0)) {
      throw invalidParam(`cooldownMs must be a number of ms >= 0, got ${cooldownMs}`);
    }
    const now = record.startedAt;
    const { monitor, action } = record;
    try {
      return await this.#database.write(async (trx) => {
        if (this.#database.dialect === 'postgres') {
          // Serialises beginTrigger calls on one monitor and action until this transaction ends.
          await sql`SELECT pg_advisory_xact_lock(hashtext(${`mlops-trigger:${monitor}:${action}`} || current_schema()))`.execute(
            trx,
          );
        }
        await this.#expireStale(trx, monitor, action, now);
        const blocker = await this.#blocker(trx, monitor, action, now, cooldownMs);
        if (blocker) {
          await trx
            .insertInto('monitor_triggers')
            .values(
              triggerRow(
                { ...record, status: 'skipped', finishedAt: now },
                blockReason(blocker, cooldownMs),
              ),
            )
            .execute();
          return { started: false, blockedBy: blocker };
        }
        await trx
          .insertInto('monitor_triggers')
          .values(triggerRow({ ...record, status: 'running' }))
          .execute();
        return { started: true };
      });
    } catch (err) {
      if (isUniqueViolation(err)) {
        // Only reachable when something bypassed the lock, or the id was used before.
        throw new MlopsError(
          'RESOURCE_ALREADY_EXISTS',
          `Trigger '${record.id}' could not start: its id is taken or another '${action}' trigger of monitor '${monitor}' is running.`,
          { cause: err },
        );
      }
      throw err;
    }
  }

  async finishTrigger(
    id: string,
    outcome: {
      status: 'succeeded' | 'failed';
      detail?: string;
      runId?: string;
      finishedAt?: number;
    },
  ): Promise<void> {
    await this.#database.write(async (trx) => {
      const row = await trx
        .selectFrom('monitor_triggers')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      if (!row) {
        throw new MlopsError(
          'RESOURCE_DOES_NOT_EXIST',
          `No trigger with id '${id}'; beginTrigger must have started it.`,
        );
      }
      // A trigger marked stale was alive after all: its own outcome is the truth.
      if (row.status !== 'running' && !(row.status === 'failed' && isStaleDetail(row.detail))) {
        throw new MlopsError(
          'INVALID_STATE',
          `Trigger '${id}' is already ${row.status}; only a running trigger can be finished.`,
        );
      }
      await trx
        .updateTable('monitor_triggers')
        .set({
          status: outcome.status,
          finished_at: outcome.finishedAt ?? Date.now(),
          detail: outcome.detail ?? null,
          run_id: outcome.runId ?? null,
        })
        .where('id', '=', id)
        .execute();
    });
  }

  async listTriggers(
    query: { monitor?: string; limit?: number } = {},
  ): Promise<readonly TriggerRecord[]> {
    let q = this.#database.db.selectFrom('monitor_triggers').selectAll();
    if (query.monitor !== undefined) q = q.where('monitor', '=', query.monitor);
    q = q.orderBy('started_at', 'desc').orderBy('id', 'desc');
    if (query.limit !== undefined) q = q.limit(query.limit);
    return (await q.execute()).map(toTrigger);
  }

  async close(): Promise<void> {
    await this.#database.close();
  }

  async #expireStale(trx: Kysely<Schema>, monitor: string, action: string, now: number) {
    const staleBefore = now - this.#staleMs;
    await trx
      .updateTable('monitor_triggers')
      .set((eb) => ({
        status: 'failed',
        finished_at: eb.ref('started_at'),
        detail: `${STALE_PREFIX} still running after ${formatMs(this.#staleMs)} (the process presumably died); marked failed`,
      }))
      .where('monitor', '=', monitor)
      .where('action', '=', action)
      .where('status', '=', 'running')
      .where('started_at', '<', staleBefore)
      .execute();
  }

  /** The running trigger, else the latest one finished within the cooldown. */
  async #blocker(
    trx: Kysely<Schema>,
    monitor: string,
    action: string,
    now: number,
    cooldownMs: number,
  ): Promise<TriggerRecord | undefined> {
    const base = trx
      .selectFrom('monitor_triggers')
      .selectAll()
      .where('monitor', '=', monitor)
      .where('action', '=', action);
    const running = await base.where('status', '=', 'running').executeTakeFirst();
    if (running) return toTrigger(running);
    if (cooldownMs === 0) return undefined;
    const recent = await base
      .where('status', 'in', ['succeeded', 'failed'])
      .where('finished_at', '>', now - cooldownMs)
      .orderBy('finished_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    return recent && toTrigger(recent);
  }
}

const STALE_PREFIX = 'stale:';
const isStaleDetail = (detail: string | null) => detail?.startsWith(STALE_PREFIX) ?? false;

/** Why a trigger was refused, for the skipped row and the action's outcome. */
export function blockReason(blocker: TriggerRecord, cooldownMs: number): string {
  if (blocker.status === 'running') {
    return `already running since ${new Date(blocker.startedAt).toISOString()} (trigger ${blocker.id})`;
  }
  const finished = blocker.finishedAt ?? blocker.startedAt;
  return `cooldown until ${new Date(finished + cooldownMs).toISOString()} (the last ${blocker.action} ${blocker.status} at ${new Date(finished).toISOString()}, trigger ${blocker.id})`;
}

function formatMs(ms: number): string {
  const hours = ms / 3_600_000;
  return Number.isInteger(hours) ? `${hours} h` : `${Math.round(ms / 1000)} s`;
}

function checkSnapshot(s: MonitorSnapshot): void {
  const problems: string[] = [];
  if (typeof s.id !== 'string' || s.id === '') problems.push('id must be a non-empty string');
  if (typeof s.monitor !== 'string' || s.monitor === '') {
    problems.push('monitor must be a non-empty string');
  }
  if (!Number.isFinite(s.createdAt)) problems.push('createdAt must be epoch ms');
  if (!(Number.isInteger(s.rows) && s.rows >= 0)) problems.push('rows must be a whole number >= 0');
  if (!Number.isFinite(s.driftedShare)) problems.push('driftedShare must be a finite number');
  if (problems.length > 0) {
    throw invalidParam(`Monitor snapshot '${String(s.id)}': ${problems.join('; ')}.`, {
      id: s.id,
    });
  }
}

function triggerRow(
  r: Omit<TriggerRecord, 'detail'> & { detail?: string },
  detail?: string,
): MonitorTriggersTable {
  return {
    id: r.id,
    monitor: r.monitor,
    snapshot_id: r.snapshotId,
    action: r.action,
    started_at: r.startedAt,
    finished_at: r.finishedAt ?? null,
    status: r.status,
    detail: detail ?? r.detail ?? null,
    run_id: r.runId ?? null,
  };
}

function toTrigger(row: Selectable<MonitorTriggersTable>): TriggerRecord {
  return {
    id: row.id,
    monitor: row.monitor,
    snapshotId: row.snapshot_id,
    action: row.action,
    startedAt: Number(row.started_at),
    ...(row.finished_at !== null ? { finishedAt: Number(row.finished_at) } : {}),
    status: row.status as TriggerRecord['status'],
    ...(row.detail !== null ? { detail: row.detail } : {}),
    ...(row.run_id !== null ? { runId: row.run_id } : {}),
  };
}

function toSnapshot(row: Selectable<MonitorSnapshotsTable>): MonitorSnapshot {
  return {
    id: row.id,
    createdAt: Number(row.created_at),
    monitor: row.monitor,
    ...(row.model_name !== null ? { modelName: row.model_name } : {}),
    ...(row.model_version !== null ? { modelVersion: row.model_version } : {}),
    ...(row.window_start !== null ? { windowStart: Number(row.window_start) } : {}),
    ...(row.window_end !== null ? { windowEnd: Number(row.window_end) } : {}),
    rows: Number(row.rows),
    datasetDrift: Number(row.dataset_drift) === 1,
    driftedShare: Number(row.drifted_share),
    metrics: fromStoredJson<MetricMap>(row.metrics),
    checks: fromStoredJson<ConditionResult[]>(row.checks),
    passed: Number(row.passed) === 1,
    ...(row.report_path !== null ? { reportPath: row.report_path } : {}),
  };
}

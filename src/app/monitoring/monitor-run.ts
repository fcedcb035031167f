import { dirname, resolve } from 'node:path';
import { newRunId, nowMs } from '../../core/index.js';
import { LineageRelations } from '../../lineage/index.js';
import type { TrackingClient } from '../../tracking/index.js';
import { connect, openSnapshotStore } from '../connect.js';
import { findWorkspace } from '../workspace.js';
import {
  INFERENCE_LOG,
  monitoring,
  monitorReport,
  type MonitorReportResult,
} from './monitor-report.js';
import type {
  ActionOutcome,
  ConditionResult,
  MonitorAction,
  MonitorConfig,
  MonitorReport,
  MonitorSnapshot,
  SnapshotStore,
} from './monitoring-parts.js';
import { retrain } from './retrain-job.js';

/** The lineage relation from the monitored model version to a snapshot of its traffic. */
export const MONITORED_BY = 'monitored_by';
/** Where `monitor run` and `monitor check` write the report when monitor.yaml names no file. */
export const DEFAULT_REPORT = { html: 'reports/monitor.html', json: 'reports/monitor.json' };

export interface MonitorJobOptions {
  /** Default: MLOPS_TRACKING_URI, else the workspace of the config file. */
  readonly trackingUri?: string;
  readonly autoUpgrade?: boolean;
  /** Progress lines (retraining). */
  readonly progress?: (line: string) => void;
  /** Epoch ms the window's `since` counts back from; default now. */
  readonly now?: number;
}

export interface MonitorCheckResult {
  readonly config: MonitorConfig;
  readonly report: MonitorReport;
  readonly files: MonitorReportResult['files'];
  readonly checks: readonly ConditionResult[];
  /** Every condition passed (none failed, none errored). */
  readonly passed: boolean;
}

export interface MonitorRunResult extends MonitorCheckResult {
  readonly snapshot: MonitorSnapshot;
  readonly actions: readonly ActionOutcome[];
}

/**
 * `mlops monitor check`: the report over monitor.yaml's window of the inference log, with its
 * checks. Stores nothing and fires nothing; `passed` is what a CI gate exits on.
 */
export async function monitorCheck(
  configPath: string,
  options: MonitorJobOptions = {},
): Promise<MonitorCheckResult> {
  const config = await (await monitoring()).loadMonitorConfig(configPath);
  return withConfigClient(configPath, options, (client, dir) =>
    configuredReport(client, config, dir, options),
  );
}

/**
 * `mlops monitor run`: `monitor check`, then the snapshot stored in the workspace database
 * with a `model_version -> snapshot` (monitored_by) lineage edge, and, when a check failed, the
 * configured actions: the webhook, and the retraining (data import + repro + gate, under the
 * store's lock and cooldown) whose pipeline run gets a `snapshot -> run` (triggered) edge.
 */
export async function monitorRun(
  configPath: string,
  options: MonitorJobOptions = {},
): Promise<MonitorRunResult> {
  const config = await (await monitoring()).loadMonitorConfig(configPath);
  return withConfigClient(configPath, options, async (client, dir) => {
    const checked = await configuredReport(client, config, dir, options);
    const { report } = checked;
    const reportPath = checked.files.html ?? checked.files.json;
    const snapshot: MonitorSnapshot = {
      id: newRunId(),
      createdAt: nowMs(),
      monitor: monitorName(config),
      ...(report.model ? { modelName: report.model.name, modelVersion: report.model.version } : {}),
      ...(report.current.from === undefined ? {} : { windowStart: report.current.from }),
      ...(report.current.to === undefined ? {} : { windowEnd: report.current.to }),
      rows: report.current.rows,
      datasetDrift: report.dataDrift.datasetDrift,
      driftedShare: report.dataDrift.driftedShare,
      metrics: report.metrics,
      checks: report.checks,
      passed: checked.passed,
      ...(reportPath === undefined ? {} : { reportPath }),
    };
    const store = await openSnapshotStore(client);
    try {
      await store.addSnapshot(snapshot);
      const node = { type: 'snapshot', id: snapshot.id } as const;
      if (report.model) {
        await client.lineage.record([
          {
            src: { type: 'model_version', id: `${report.model.name}/${report.model.version}` },
            dst: node,
            relation: MONITORED_BY,
            attrs: { monitor: snapshot.monitor, passed: snapshot.passed, rows: snapshot.rows },
          },
        ]);
      }
      const failed = report.checks.filter((c) => c.status !== 'pass');
      const actions = await configuredActions(config, {
        client,
        store,
        dir,
        failed: failed.length > 0,
        ...(options.trackingUri === undefined ? {} : { trackingUri: options.trackingUri }),
        ...(options.progress ? { progress: options.progress } : {}),
      });
      const outcomes =
        actions.length === 0
          ? []
          : await (await monitoring()).runActions(actions, { snapshot, report, failed });
      const triggered = outcomes.flatMap((o) => (o.runId === undefined ? [] : [o]));
      if (triggered.length > 0) {
        await client.lineage.record(
          triggered.map((o) => ({
            src: node,
            dst: { type: 'run', id: o.runId as string },
            relation: LineageRelations.triggered,
            attrs: { action: o.action, monitor: snapshot.monitor },
          })),
        );
      }
      return { ...checked, snapshot, actions: outcomes };
    } finally {
      await store.close();
    }
  });
}

/** `mlops monitor history`: stored snapshots, newest first. */
export async function monitorHistory(
  client: TrackingClient,
  query: { readonly monitor?: string; readonly limit?: number } = {},
): Promise<readonly MonitorSnapshot[]> {
  const store = await openSnapshotStore(client);
  try {
    return await store.listSnapshots({
      ...(query.monitor === undefined ? {} : { monitor: query.monitor }),
      limit: query.limit ?? 20,
    });
  } finally {
    await store.close();
  }
}

/** The monitor's name: monitor.yaml's `monitor`, else the model's name. */
export function monitorName(config: MonitorConfig): string {
  return config.monitor ?? config.model.replace(/^models:\//, '').replace(/[@/].*$/, '');
}

async function withConfigClient<T>(
  configPath: string,
  options: MonitorJobOptions,
  fn: (client: TrackingClient, dir: string) => Promise<T>,
): Promise<T> {
  const dir = dirname(resolve(configPath));
  const client = await connect(options.trackingUri, {
    cwd: dir,
    autoUpgrade: options.autoUpgrade ?? false,
  });
  try {
    return await fn(client, dir);
  } finally {
    await client.close();
  }
}

async function configuredReport(
  client: TrackingClient,
  config: MonitorConfig,
  dir: string,
  options: MonitorJobOptions,
): Promise<MonitorCheckResult> {
  const window = config.window;
  const since =
    window && 'sinceMs' in window && window.sinceMs !== undefined
      ? (options.now ?? nowMs()) - window.sinceMs
      : undefined;
  const last = window && 'last' in window ? window.last : undefined;
  const { report, files } = await monitorReport(client, {
    ...(config.reference === undefined ? {} : { reference: config.reference }),
    current: INFERENCE_LOG,
    model: config.model,
    ...(last === undefined ? {} : { last }),
    ...(since === undefined ? {} : { since }),
    ...(config.drift ? { drift: config.drift } : {}),
    ...(config.performance?.windowRows === undefined
      ? {}
      : { performanceWindowRows: config.performance.windowRows }),
    checks: config.checks ?? [],
    html: config.report?.html ?? DEFAULT_REPORT.html,
    json: config.report?.json ?? DEFAULT_REPORT.json,
    title: `Monitor ${monitorName(config)}`,
    cwd: dir,
  });
  const checks = report.checks;
  return { config, report, files, checks, passed: checks.every((c) => c.status === 'pass') };
}

async function configuredActions(
  config: MonitorConfig,
  env: {
    client: TrackingClient;
    store: SnapshotStore;
    dir: string;
    failed: boolean;
    trackingUri?: string;
    progress?: (line: string) => void;
  },
): Promise<MonitorAction[]> {
  const { retrainAction, webhookAction } = await monitoring();
  const actions: MonitorAction[] = [];
  const webhook = config.actions?.webhook;
  if (webhook && (env.failed || webhook.on === 'always')) actions.push(webhookAction(webhook));
  const spec = config.actions?.retrain;
  if (spec && env.failed) {
    const root = findWorkspace(env.dir).root;
    actions.push(
      retrainAction({
        store: env.store,
        cooldownMs: spec.cooldownMs,
        retrain: () =>
          retrain({
            client: env.client,
            root,
            source: /^(https?|file):/i.test(spec.source)
              ? spec.source
              : resolve(env.dir, spec.source),
            into: spec.into,
            model: config.model,
            ...(spec.mergeKey === undefined ? {} : { mergeKey: spec.mergeKey }),
            ...(env.trackingUri === undefined ? {} : { trackingUri: env.trackingUri }),
            ...(env.progress ? { progress: env.progress } : {}),
          }),
      }),
    );
  }
  return actions;
}

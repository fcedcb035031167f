import { readFile } from 'node:fs/promises';
import * as yaml from 'yaml';
import type { z } from 'zod';
import {
  formatYamlPath,
  MlopsError,
  PositionedYaml,
  valueAtYamlPath,
  yamlError,
  type YamlPath,
} from '../../core/index.js';
import type { Condition } from '../checks/check-types.js';
import { didYouMean } from '../checks/did-you-mean.js';
import type { ColumnDriftSpec, DriftOptions } from '../drift/drift-types.js';
import { parseDuration } from '../../core/index.js';
import {
  DEFAULT_RETRAIN_COOLDOWN_MS,
  DEFAULT_WEBHOOK_TIMEOUT_MS,
  type MonitorConfig,
} from './monitor-config.js';
import { monitorFileSchema, type MonitorFile } from './monitor-config-schema.js';

/** The file name `mlops monitor` looks for by default. */
export const MONITOR_CONFIG_FILE = 'monitor.yaml';

/**
 * Validates `monitor.yaml` and returns it in camelCase, deeply frozen. Every problem is
 * `INVALID_PARAMETER_VALUE` whose message starts with `<file>, line <n>:` and names the key;
 * unknown keys suggest close known ones. Details hold `{file, line, key}`.
 */
export function parseMonitorConfig(
  text: string,
  file: string = MONITOR_CONFIG_FILE,
): MonitorConfig {
  const source = new PositionedYaml(yaml, file, text);
  const value: unknown = source.doc.toJS({ maxAliasCount: 100 });
  const parsed = monitorFileSchema.safeParse(value ?? {});
  if (!parsed.success) throw issueError(source, value, parsed.error.issues[0]);
  return deepFreeze(toConfig(parsed.data, file));
}

/** Reads and validates a monitor.yaml; a missing file says so plainly. */
export async function loadMonitorConfig(path: string): Promise<MonitorConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const missing = (err as { code?: string }).code === 'ENOENT';
    throw new MlopsError(
      missing ? 'RESOURCE_DOES_NOT_EXIST' : 'IO_ERROR',
      missing
        ? `No monitor config at ${path}. Write one (see docs/monitoring.md) or pass --config <file>.`
        : `Cannot read the monitor config ${path}: ${(err as Error).message}`,
      { cause: err },
    );
  }
  return parseMonitorConfig(text, path);
}

type Issue = z.core.$ZodIssue;

function issueError(source: PositionedYaml, value: unknown, issue: Issue | undefined): MlopsError {
  if (!issue) return yamlError(source.file, 1, 'invalid monitor config');
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  // Details name the key as messages do: {file, line, key}.
  const fail = (at: YamlPath, message: string) =>
    source.fail(at, message, at.length > 0 ? { key: formatYamlPath(at) } : {});
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const known = knownKeys(path);
    const where = path.length === 0 ? 'at the top level' : `in ${formatYamlPath(path)}`;
    return fail(
      [...path, key],
      `unknown key '${key}' ${where}${didYouMean(key, known)}; expected ${known.join(', ')}`,
    );
  }
  if (issue.code === 'invalid_type' && valueAtYamlPath(value, path) === undefined) {
    return fail(path, `missing required key '${formatYamlPath(path)}': ${issue.message}`);
  }
  const key = formatYamlPath(path);
  return fail(path, key === '' ? issue.message : `${key}: ${issue.message}`);
}

/** The keys a mapping at `path` may hold, read off the schema. */
function knownKeys(path: YamlPath): string[] {
  let schema: unknown = monitorFileSchema;
  for (const segment of path) {
    schema = unwrap(schema);
    const def = (schema as { _zod: { def: Record<string, unknown> } })._zod.def;
    if (def['type'] === 'object') schema = (def['shape'] as Record<string, unknown>)[segment];
    else if (def['type'] === 'array') schema = def['element'];
    else if (def['type'] === 'record') schema = def['valueType'];
    else return [];
  }
  const def = (unwrap(schema) as { _zod: { def: Record<string, unknown> } })._zod.def;
  return def['type'] === 'object' ? Object.keys(def['shape'] as object) : [];
}

/** Through optional, refinements and pipes to the schema that holds the shape. */
function unwrap(schema: unknown): unknown {
  let current = schema as { _zod: { def: Record<string, unknown> } };
  for (;;) {
    const def = current._zod.def;
    const inner = def['innerType'] ?? (def['type'] === 'pipe' ? def['in'] : undefined);
    if (inner === undefined) return current;
    current = inner as typeof current;
  }
}

function toConfig(f: MonitorFile, file: string): MonitorConfig {
  const ms = (text: string) => parseDuration(text) as number; // checked by the schema
  const webhook = f.actions?.webhook;
  const retrain = f.actions?.retrain;
  return {
    file,
    monitor: f.monitor ?? modelName(f.model),
    model: f.model,
    ...(f.reference !== undefined ? { reference: f.reference } : {}),
    window:
      f.window.last !== undefined ? { last: f.window.last } : { sinceMs: ms(f.window.since ?? '') },
    drift: f.drift ? toDriftOptions(f.drift) : {},
    ...(f.performance
      ? {
          performance:
            f.performance.window_rows !== undefined
              ? { windowRows: f.performance.window_rows }
              : {},
        }
      : {}),
    checks: (f.checks ?? []).map(toCondition),
    actions: {
      ...(webhook
        ? {
            webhook: {
              url: webhook.url,
              headers: webhook.headers ?? {},
              timeoutMs: webhook.timeout ? ms(webhook.timeout) : DEFAULT_WEBHOOK_TIMEOUT_MS,
              on: webhook.on ?? 'fail',
            },
          }
        : {}),
      ...(retrain
        ? {
            retrain: {
              cooldownMs: retrain.cooldown ? ms(retrain.cooldown) : DEFAULT_RETRAIN_COOLDOWN_MS,
              source: retrain.source,
              into: retrain.into,
              ...(retrain.merge_key !== undefined ? { mergeKey: retrain.merge_key } : {}),
            },
          }
        : {}),
    },
    ...(f.report
      ? {
          report: {
            ...(f.report.html !== undefined ? { html: f.report.html } : {}),
            ...(f.report.json !== undefined ? { json: f.report.json } : {}),
          },
        }
      : {}),
    ...(f.schedule !== undefined ? { schedule: f.schedule } : {}),
  };
}

/** `models:/stock-forecast@champion` -> `stock-forecast` (the schema checked the form). */
function modelName(uri: string): string {
  return uri.slice('models:/'.length).replace(/[@/][^@/]*$/, '');
}

function toDriftOptions(d: NonNullable<MonitorFile['drift']>): DriftOptions {
  const perColumn: Record<string, ColumnDriftSpec> = {};
  for (const [column, spec] of Object.entries(d.per_column ?? {})) {
    perColumn[column] = {
      ...(spec.test !== undefined ? { test: spec.test } : {}),
      ...(spec.threshold !== undefined ? { threshold: spec.threshold } : {}),
      ...(spec.kind !== undefined ? { kind: spec.kind } : {}),
    };
  }
  return {
    ...(d.columns !== undefined ? { columns: d.columns } : {}),
    ...(d.test !== undefined ? { test: d.test } : {}),
    ...(d.numerical_test !== undefined ? { numericalTest: d.numerical_test } : {}),
    ...(d.categorical_test !== undefined ? { categoricalTest: d.categorical_test } : {}),
    ...(d.threshold !== undefined ? { threshold: d.threshold } : {}),
    ...(d.numerical_threshold !== undefined ? { numericalThreshold: d.numerical_threshold } : {}),
    ...(d.categorical_threshold !== undefined
      ? { categoricalThreshold: d.categorical_threshold }
      : {}),
    ...(d.per_column !== undefined ? { perColumn } : {}),
    ...(d.drift_share !== undefined ? { driftShare: d.drift_share } : {}),
    ...(d.workers !== undefined ? { workers: d.workers } : {}),
  };
}

function toCondition(c: NonNullable<MonitorFile['checks']>[number]): Condition {
  const { metric, name, gt, gte, lt, lte, eq, between } = c;
  return {
    metric,
    ...(name !== undefined ? { name } : {}),
    ...(gt !== undefined ? { gt } : {}),
    ...(gte !== undefined ? { gte } : {}),
    ...(lt !== undefined ? { lt } : {}),
    ...(lte !== undefined ? { lte } : {}),
    ...(eq !== undefined ? { eq } : {}),
    ...(between !== undefined ? { between } : {}),
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

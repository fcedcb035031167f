import { invalidParam } from '../core/index.js';
import { Limits } from './limits.js';
import type { KeyValue, Metric } from './entities.js';
import type { LogBatchInput } from './tracking-store.js';

const KEY_PATTERN = /^[/\w.\- ]*$/;

/** MLflow's key rule: allowed characters, length, and a key that is one normalised path. */
export function validateKey(kind: string, key: unknown): asserts key is string {
  if (typeof key !== 'string' || key === '') {
    throw invalidParam(`Missing value for required ${kind} key.`);
  }
  if (key.length > Limits.keyLength) {
    throw invalidParam(
      `${cap(kind)} key '${key.slice(0, 40)}...' is ${key.length} characters; the limit is ${Limits.keyLength}.`,
      { key },
    );
  }
  if (!KEY_PATTERN.test(key)) {
    throw invalidParam(
      `Invalid ${kind} key '${key}': keys may contain only letters, digits, underscores (_), dashes (-), periods (.), spaces ( ) and slashes (/).`,
      { key },
    );
  }
  if (!isUniquePath(key)) {
    throw invalidParam(
      `Invalid ${kind} key '${key}': it must be a normalised relative path (no leading or trailing '/', no '//', no '.' or '..' segments).`,
      { key },
    );
  }
}

function isUniquePath(key: string): boolean {
  if (key.startsWith('/') || key.endsWith('/')) return false;
  return key.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}

export function validateValue(kind: string, key: string, value: unknown, limit: number): string {
  if (typeof value !== 'string') {
    throw invalidParam(
      `Invalid value for ${kind} '${key}': expected a string, got ${typeof value}.`,
      {
        key,
      },
    );
  }
  if (value.length > limit) {
    throw invalidParam(
      `${cap(kind)} '${key}' has a value of ${value.length} characters; the limit is ${limit}.`,
      { key },
    );
  }
  return value;
}

export function validateMetric(metric: Metric): void {
  validateKey('metric', metric.key);
  if (typeof metric.value !== 'number') {
    throw invalidParam(
      `Invalid value for metric '${metric.key}': expected a number (NaN and Infinity allowed), got ${typeof metric.value}.`,
      { key: metric.key },
    );
  }
  if (!Number.isSafeInteger(metric.timestamp) || metric.timestamp < 0) {
    throw invalidParam(
      `Invalid timestamp ${String(metric.timestamp)} for metric '${metric.key}': expected epoch milliseconds, an integer >= 0.`,
      { key: metric.key },
    );
  }
  if (!Number.isSafeInteger(metric.step)) {
    throw invalidParam(
      `Invalid step ${String(metric.step)} for metric '${metric.key}': expected an integer.`,
      { key: metric.key },
    );
  }
}

/** Checks a whole batch before anything is written (all or nothing). */
export function validateBatch(batch: LogBatchInput): void {
  const metrics = batch.metrics ?? [];
  const params = batch.params ?? [];
  const tags = batch.tags ?? [];
  if (metrics.length > Limits.batchMetrics) tooMany('metrics', metrics.length, Limits.batchMetrics);
  if (params.length > Limits.batchParams) tooMany('params', params.length, Limits.batchParams);
  if (tags.length > Limits.batchTags) tooMany('tags', tags.length, Limits.batchTags);
  const total = metrics.length + params.length + tags.length;
  if (total > Limits.batchTotal) tooMany('entities in total', total, Limits.batchTotal);
  metrics.forEach(validateMetric);
  const seen = new Set<string>();
  for (const p of params) {
    validateParam(p);
    if (seen.has(p.key)) {
      throw invalidParam(`Duplicate param key '${p.key}' in one batch; log each param once.`, {
        key: p.key,
      });
    }
    seen.add(p.key);
  }
  tags.forEach(validateRunTag);
}

export function validateParam(p: KeyValue): void {
  validateKey('param', p.key);
  validateValue('param', p.key, p.value, Limits.paramValueLength);
}

export function validateRunTag(t: KeyValue): void {
  validateKey('tag', t.key);
  validateValue('tag', t.key, t.value, Limits.runTagValueLength);
}

export function validateExperimentName(name: unknown): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalidParam('Invalid experiment name: it must be a non-empty string.');
  }
  if (name.length > Limits.experimentNameLength) {
    throw invalidParam(
      `Experiment name is ${name.length} characters; the limit is ${Limits.experimentNameLength}.`,
    );
  }
}

function tooMany(what: string, n: number, limit: number): never {
  throw invalidParam(
    `A batch may hold at most ${limit} ${what}; got ${n}. Split it into several batches.`,
  );
}

function cap(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

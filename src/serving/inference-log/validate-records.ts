import { invalidParam } from '../../core/index.js';
import type { FeedbackRecord, InferenceQuery, InferenceRecord } from './inference-log-store.js';

const ROUTES: ReadonlySet<string> = new Set(['predict', 'invocations']);
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** Ids are keys in SQL and in URLs of other tools: printable, bounded. */
const MAX_ID_LENGTH = 256;

/** Checks a whole batch before anything is written; the error names the record index and field. */
export function validatePredictions(records: readonly InferenceRecord[]): void {
  const seen = new Map<string, number>();
  records.forEach((r, i) => {
    const at = (field: string) => `Inference record ${i}: ${field}`;
    if (!isObject(r)) throw invalidParam(`Inference record ${i} is not an object.`);
    requireId(r.predictionId, at('predictionId'));
    requireTimestamp(r.timestamp, at('timestamp'));
    requireText(r.modelName, at('modelName'));
    requireText(r.modelVersion, at('modelVersion'));
    optionalDate(r.inputDate, at('inputDate'));
    optionalDate(r.targetDate, at('targetDate'));
    if (!Number.isSafeInteger(r.horizonStep) || r.horizonStep < 1) {
      throw invalidParam(
        `${at('horizonStep')} must be an integer >= 1, got ${show(r.horizonStep)}.`,
      );
    }
    if (!Array.isArray(r.inputs)) {
      throw invalidParam(`${at('inputs')} must be an array of numbers, got ${show(r.inputs)}.`);
    }
    r.inputs.forEach((v, j) => requireFinite(v, at(`inputs[${j}]`)));
    requireFinite(r.prediction, at('prediction'));
    requireFinite(r.latencyMs, at('latencyMs'));
    if (r.latencyMs < 0) throw invalidParam(`${at('latencyMs')} must be >= 0, got ${r.latencyMs}.`);
    if (!ROUTES.has(r.route)) {
      throw invalidParam(
        `${at('route')} must be 'predict' or 'invocations', got ${show(r.route)}.`,
      );
    }
    const first = seen.get(r.predictionId);
    if (first !== undefined) {
      throw invalidParam(
        `${at('predictionId')} '${r.predictionId}' repeats record ${first}'s; each prediction needs its own id.`,
      );
    }
    seen.set(r.predictionId, i);
  });
}

export function validateFeedback(records: readonly FeedbackRecord[]): void {
  const seen = new Map<string, number>();
  records.forEach((r, i) => {
    const at = (field: string) => `Feedback record ${i}: ${field}`;
    if (!isObject(r)) throw invalidParam(`Feedback record ${i} is not an object.`);
    requireId(r.feedbackId, at('feedbackId'));
    requireTimestamp(r.timestamp, at('timestamp'));
    if (r.predictionId !== undefined) requireId(r.predictionId, at('predictionId'));
    optionalDate(r.targetDate, at('targetDate'));
    if (r.predictionId === undefined && r.targetDate === undefined) {
      throw invalidParam(
        `Feedback record ${i} names neither predictionId nor targetDate; give the prediction it answers or the day (YYYY-MM-DD) whose actual it is.`,
      );
    }
    if (r.modelName !== undefined) requireText(r.modelName, at('modelName'));
    requireFinite(r.actual, at('actual'));
    const first = seen.get(r.feedbackId);
    if (first !== undefined) {
      throw invalidParam(`${at('feedbackId')} '${r.feedbackId}' repeats record ${first}'s.`);
    }
    seen.set(r.feedbackId, i);
  });
}

export function validateQuery(query: InferenceQuery): void {
  if (query.modelName !== undefined) requireText(query.modelName, 'Inference query: modelName');
  if (query.modelVersion !== undefined) {
    requireText(query.modelVersion, 'Inference query: modelVersion');
  }
  if (query.since !== undefined) requireTimestamp(query.since, 'Inference query: since');
  if (query.until !== undefined) requireTimestamp(query.until, 'Inference query: until');
  const limit = query.limit;
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit < 1)) {
    throw invalidParam(`Inference query: limit must be an integer >= 1, got ${show(limit)}.`);
  }
}

/** Whether `text` is a real calendar day written YYYY-MM-DD. */
export function isIsoDate(text: string): boolean {
  const m = DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function requireId(value: unknown, what: string): void {
  if (typeof value !== 'string' || value === '') {
    throw invalidParam(`${what} is missing; expected a non-empty string id, got ${show(value)}.`);
  }
  if (value.length > MAX_ID_LENGTH || /\p{Cc}/u.test(value)) {
    throw invalidParam(
      `${what} must be at most ${MAX_ID_LENGTH} printable characters, got ${show(value)}.`,
    );
  }
}

function requireText(value: unknown, what: string): void {
  if (typeof value !== 'string' || value.trim() === '') {
    throw invalidParam(`${what} is missing; expected a non-empty string, got ${show(value)}.`);
  }
}

function requireTimestamp(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw invalidParam(`${what} must be epoch milliseconds (an integer >= 0), got ${show(value)}.`);
  }
}

function requireFinite(value: unknown, what: string): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalidParam(`${what} must be a finite number, got ${show(value)}.`);
  }
}

function optionalDate(value: unknown, what: string): void {
  if (value === undefined) return;
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw invalidParam(`${what} must be a calendar date YYYY-MM-DD, got ${show(value)}.`);
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null;
}

function show(value: unknown): string {
  if (typeof value === 'number') return String(value); // NaN and Infinity, which JSON hides
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}

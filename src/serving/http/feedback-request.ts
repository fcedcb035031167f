import { fieldError, isoDate, isPlainObject, list, onlyKeys, price } from './field-checks.js';

/** One validated feedback entry (the writer adds ids and timestamps). */
export interface FeedbackEntry {
  readonly predictionId?: string;
  readonly targetDate?: string;
  readonly modelName?: string;
  readonly actual: number;
}

const KEYS = ['prediction_id', 'target_date', 'model_name', 'actual'];

/** `{prediction_id | target_date, actual, model_name?}` or a list of them. */
export function parseFeedbackRequest(body: unknown): FeedbackEntry[] {
  if (Array.isArray(body)) {
    return list(body, '', 'feedback entries').map((entry, i) => feedbackEntry(entry, `[${i}]`));
  }
  return [feedbackEntry(body, '')];
}

function feedbackEntry(value: unknown, at: string): FeedbackEntry {
  const field = (key: string) => (at === '' ? key : `${at}.${key}`);
  if (!isPlainObject(value)) {
    throw fieldError(at, 'an object {"prediction_id" or "target_date", "actual"}', value);
  }
  onlyKeys(value, KEYS, at);
  const id = value['prediction_id'];
  const date = value['target_date'];
  const model = value['model_name'];
  if (id === undefined && date === undefined) {
    throw fieldError(
      at,
      'an object naming "prediction_id" (from a /predict answer) or "target_date" (YYYY-MM-DD), and "actual"',
    );
  }
  // eslint-disable-next-line no-control-regex -- ids are printable: no control characters
  if (id !== undefined && (typeof id !== 'string' || !/^[^\u0000-\u001f]{1,256}$/.test(id))) {
    throw fieldError(field('prediction_id'), 'the prediction_id string of a /predict answer', id);
  }
  if (model !== undefined && (typeof model !== 'string' || model === '')) {
    throw fieldError(field('model_name'), 'a registered model name', model);
  }
  return {
    ...(id === undefined ? {} : { predictionId: id as string }),
    ...(date === undefined ? {} : { targetDate: isoDate(date, field('target_date')) }),
    ...(model === undefined ? {} : { modelName: model as string }),
    actual: price(value['actual'], field('actual')),
  };
}

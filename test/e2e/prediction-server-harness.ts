import { PersistenceForecaster, RidgeForecaster } from '../../src/forecast/index.js';
import type { LoadedModel } from '../../src/serving/index.js';

export const WINDOW = 5;

/** Version 1 answers the last close; version 2 answers the last close + 1. */
export async function twoVersions(): Promise<[LoadedModel, LoadedModel]> {
  const persistence = await new PersistenceForecaster({ window: WINDOW }).exportOnnx();
  const weights = Float64Array.from({ length: WINDOW }, (_, i) => (i === WINDOW - 1 ? 1 : 0));
  const lastPlusOne = await new RidgeForecaster(
    { window: WINDOW },
    { transform: { kind: 'close_minmax', min: 0, max: 1 }, weights, bias: 1 },
  ).exportOnnx();
  return [version('1', persistence), version('2', lastPlusOne)];
}

export function version(
  v: string,
  onnx: Uint8Array,
  overrides: Partial<LoadedModel> = {},
): LoadedModel {
  return {
    name: 'goog',
    version: v,
    packageHash: v.padStart(64, '0'),
    window: WINDOW,
    inputName: 'closes',
    outputName: 'next_close',
    onnx,
    ...overrides,
  };
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- JSON under test
  readonly text: string;
}

/** POSTs `body` (JSON-encoded unless a string) and reads the answer. */
export async function post(
  url: string,
  body: unknown,
  contentType = 'application/json',
): Promise<Answer> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': contentType },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return read(res);
}

export async function get(url: string): Promise<Answer> {
  return read(await fetch(url));
}

async function read(res: Response): Promise<Answer> {
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, headers: res.headers, body, text };
}

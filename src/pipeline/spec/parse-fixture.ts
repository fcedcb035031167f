import { expect } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { parsePipeline } from './parse-pipeline.js';
import type { StepLookup } from './build-stage.js';

/** Test helpers of the parsePipeline tests. A workspace in memory: files by path (directories are implied by the paths below them). */
export function parse(text: string, files: Record<string, string> = {}, steps?: StepLookup) {
  const has = (rel: string) =>
    Object.hasOwn(files, rel) || Object.keys(files).some((f) => f.startsWith(`${rel}/`));
  return parsePipeline({
    root: '/ws',
    text,
    readText: (rel) => Promise.resolve(files[rel]),
    exists: (rel) => Promise.resolve(has(rel)),
    isVersioned: (rel) => Promise.resolve(Object.hasOwn(files, `${rel}.mlops`)),
    ...(steps ? { steps } : {}),
  });
}

/** The error of a parse that must fail, with its line and message checked. */
export async function failure(promise: Promise<unknown>, line: number, ...fragments: string[]) {
  const err: unknown = await promise.then(
    () => new Error('expected the parse to fail'),
    (e: unknown) => e,
  );
  if (!MlopsError.is(err)) throw err;
  expect(err.code).toBe('INVALID_PARAMETER_VALUE');
  for (const fragment of fragments) expect(err.message).toContain(fragment);
  expect(err.message.startsWith(`mlops.yaml, line ${line}:`), err.message).toBe(true);
  expect(err.details).toMatchObject({ file: 'mlops.yaml', line });
  return err;
}

export const PARAMS = `
preset: full
models: [persistence, linear, lstm]
train:
  epochs: 5
  lr: 0.01
  layers: [64, 32]
args: {lr: 0.1, fast: true, slow: false, layers: [8, 4], opt: {name: adam}}
`;

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RowRange } from '../../forecast/index.js';
import type { PipelinePreset } from './preset-rows.js';

/** The file `forecast/train` writes beside the model, and `forecast/evaluate` checks. */
export const SUMMARY_FILE = 'summary.json';

/**
 * What a trained model directory says about its training: the data version and rows it saw,
 * the exact split, and its scores on the validation rows (never the test rows). Everything is
 * a pure function of the step's inputs, so the file hashes the same on every machine.
 */
export interface ModelSummary {
  readonly model: string;
  readonly preset: PipelinePreset;
  readonly data: {
    /** As the stage gave it (workspace-relative), never an absolute path. */
    readonly path: string;
    readonly sha256: string;
    readonly rows: number;
  };
  readonly params: Readonly<Record<string, string | number | boolean>>;
  /** Target rows of each part of the protocol split. The test rows were never fitted on. */
  readonly ranges: Readonly<Record<'train' | 'validation' | 'test', RowRange>>;
  /** Metrics on the validation rows (the last 10% of the training windows). */
  readonly validation: Readonly<Record<string, number>>;
  /** LSTM: epochs trained and the epoch whose weights were kept. */
  readonly epochs?: { readonly trained: number; readonly best: number };
}

/** The summary in a model directory, or undefined when there is none (a model from elsewhere). */
export async function readModelSummary(dir: string): Promise<ModelSummary | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, SUMMARY_FILE), 'utf8');
  } catch {
    return undefined;
  }
  try {
    const value = JSON.parse(text) as Partial<ModelSummary>;
    return typeof value.ranges?.test?.firstDate === 'string' ? (value as ModelSummary) : undefined;
  } catch {
    return undefined;
  }
}

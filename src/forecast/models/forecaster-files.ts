import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { MlopsError } from '../../core/index.js';
import type { ModelKind } from './forecaster.js';
import { isModelKind } from './forecaster-params.js';
import type { ParamValue } from './param-spec.js';
import type { WindowTransform } from './window-transform.js';

export const MANIFEST_FILE = 'forecaster.json';
const FORMAT = 'mlops-forecaster';

/** forecaster.json: what `loadForecaster` needs besides the model's own files. */
export interface ForecasterManifest {
  readonly format: typeof FORMAT;
  readonly version: 1;
  readonly kind: ModelKind;
  readonly windowSize: number;
  readonly params: Readonly<Record<string, ParamValue>>;
  readonly transform?: WindowTransform;
  /** Kind-specific fitted state (ridge weights, LSTM training summary). */
  readonly state?: Readonly<Record<string, unknown>>;
}

export type ManifestBody = Omit<ForecasterManifest, 'format' | 'version'>;

/** Writes a file whole or not at all (temp file + rename), so a crash leaves no half file. */
export async function writeFileAtomic(file: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, data);
  await rename(tmp, file);
}

/** Written last by every `save`, so its presence means the directory is complete. */
export async function writeManifest(dir: string, body: ManifestBody): Promise<void> {
  await mkdir(dir, { recursive: true });
  const manifest: ForecasterManifest = { format: FORMAT, version: 1, ...body };
  await writeFileAtomic(path.join(dir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
}

export async function readManifest(dir: string): Promise<ForecasterManifest> {
  const file = path.join(dir, MANIFEST_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (cause) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `No saved forecaster in '${dir}' (${MANIFEST_FILE} is missing); save one with forecaster.save(dir).`,
      { cause },
    );
  }
  let value: Partial<ForecasterManifest>;
  try {
    value = JSON.parse(text) as Partial<ForecasterManifest>;
  } catch (cause) {
    throw new MlopsError('INVALID_PARAMETER_VALUE', `'${file}' is not valid JSON.`, { cause });
  }
  if (
    value.format !== FORMAT ||
    value.version !== 1 ||
    typeof value.kind !== 'string' ||
    !isModelKind(value.kind) ||
    typeof value.windowSize !== 'number' ||
    typeof value.params !== 'object'
  ) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `'${file}' is not a forecaster manifest (expected format '${FORMAT}' version 1 with kind, windowSize and params).`,
    );
  }
  return value as ForecasterManifest;
}

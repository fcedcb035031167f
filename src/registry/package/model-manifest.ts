import { z } from 'zod';

/** The manifest's file name inside a package, as MLflow names its own. */
export const MLMODEL_FILE = 'MLmodel';
export const PACKAGE_FORMAT = 'mlops-model-package';
export const PACKAGE_FORMAT_VERSION = 1;
/** Our forecasters' kinds, plus any ONNX model with a declared signature. */
export const PACKAGE_MODEL_KINDS = ['persistence', 'linear', 'lstm', 'external'] as const;
export type PackageModelKind = (typeof PACKAGE_MODEL_KINDS)[number];
/** ONNX tensor element types a signature may name (ONNX's TensorProto.DataType spellings). */
export const TENSOR_DTYPES = [
  'float32',
  'float64',
  'float16',
  'int8',
  'int16',
  'int32',
  'int64',
  'uint8',
  'bool',
  'string',
] as const;
export type TensorDtype = (typeof TENSOR_DTYPES)[number];

const hex64 = z.string().regex(/^[0-9a-f]{64}$/);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const count = z.number().int().nonnegative();
/** A package-relative path: '/'-separated segments, none empty, '.' or '..'; no backslash. */
export function isPackagePath(path: string): boolean {
  if (path === '' || path.includes('\\') || /^[A-Za-z]:/.test(path)) return false;
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (/[\u0000-\u001f]/.test(path)) return false;
  return path.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}
const packagePath = z.string().refine(isPackagePath);

const tensorSpec = z.strictObject({
  name: z.string().min(1),
  dtype: z.enum(TENSOR_DTYPES),
  /** -1 = a dynamic dimension (the batch). */
  shape: z.array(z.number().int().min(-1)),
});
export type TensorSpec = z.output<typeof tensorSpec>;

const signature = z.strictObject({
  inputs: z.array(tensorSpec).min(1),
  outputs: z.array(tensorSpec).min(1),
  /** Closes per window: inputs[0].shape[1]. */
  window: z.number().int().min(1),
});
export type ModelSignature = z.output<typeof signature>;

const rowRange = z.strictObject({
  /** Half-open [start, end) target rows of the whole dataset (a target's window precedes it). */
  start: count,
  end: count,
  first_date: isoDate,
  last_date: isoDate,
});
export type PackageRowRange = z.output<typeof rowRange>;

const fileEntry = z.strictObject({ manifest_id: hex64, size: count });
export type PackageFileEntry = z.output<typeof fileEntry>;

const flavorFile = () => z.strictObject({ file: packagePath });

export const modelManifestSchema = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  format_version: z.literal(PACKAGE_FORMAT_VERSION),
  created: z.string().min(1),
  run_id: z.string().min(1).optional(),
  source: z.string().min(1),
  model_kind: z.enum(PACKAGE_MODEL_KINDS),
  flavors: z.strictObject({
    onnx: z
      .strictObject({ file: packagePath, opset: count.optional(), ir_version: count.optional() })
      .optional(),
    tfjs: flavorFile().optional(),
    mlops_forecaster: flavorFile().optional(),
  }),
  signature,
  input_example: z.strictObject({ prices: z.array(z.number()) }).optional(),
  params: z.record(z.string(), z.string()).optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  dataset: z
    .strictObject({
      sha256: hex64,
      source: z.string().min(1),
      rows: count,
      /** The byte store's manifest of the dataset version: a gc root, and how to read its rows. */
      manifest_id: hex64.optional(),
    })
    .optional(),
  git_commit: z.string().nullable().optional(),
  row_ranges: z.strictObject({ train: rowRange, validation: rowRange, test: rowRange }).optional(),
  reference: z
    .strictObject({
      file: packagePath,
      feature_columns: z.array(z.string().min(1)).min(1),
      rows: count,
    })
    .optional(),
  files: z.record(packagePath, fileEntry),
  package_hash: hex64,
});

/** The `MLmodel` manifest of a model package (snake_case keys, as MLflow's MLmodel). */
export type ModelPackageManifest = z.output<typeof modelManifestSchema>;

/** What a key must be, in the words an error shows (by the key's last path segment). */
export const EXPECTED: Readonly<Record<string, string>> = {
  format: `the string '${PACKAGE_FORMAT}'`,
  format_version: `the number ${PACKAGE_FORMAT_VERSION}`,
  created: 'an ISO timestamp',
  run_id: 'a run id',
  source: "the model's source URI, e.g. runs:/<run id>/model",
  model_kind: `one of ${PACKAGE_MODEL_KINDS.join(', ')}`,
  flavors: 'a mapping of flavors (onnx, tfjs, mlops_forecaster)',
  file: "a relative '/'-separated path inside the package (no '..')",
  opset: 'a non-negative integer',
  ir_version: 'a non-negative integer',
  signature: 'a mapping with inputs, outputs and window',
  inputs: 'a non-empty list of {name, dtype, shape}',
  outputs: 'a non-empty list of {name, dtype, shape}',
  name: 'a non-empty string',
  dtype: `one of ${TENSOR_DTYPES.join(', ')}`,
  shape: 'a list of integers (-1 for a dynamic dimension)',
  window: 'a positive integer (closes per window)',
  input_example: 'a mapping {prices: [numbers]}',
  prices: 'a list of numbers',
  params: 'a mapping of strings',
  metrics: 'a mapping of finite numbers',
  dataset: 'a mapping with sha256, source, rows (and manifest_id)',
  sha256: 'a sha256 as 64 lower-case hex characters',
  rows: 'a non-negative integer',
  manifest_id: 'a byte store manifest id as 64 lower-case hex characters',
  git_commit: 'a commit id or null',
  row_ranges: 'a mapping with train, validation and test ranges',
  start: 'a non-negative integer row index',
  end: 'a non-negative integer row index',
  first_date: 'a date as YYYY-MM-DD',
  last_date: 'a date as YYYY-MM-DD',
  reference: 'a mapping with file, feature_columns and rows',
  feature_columns: 'a non-empty list of column names',
  files: "a mapping of package paths to {manifest_id, size} (relative '/' paths, no '..')",
  size: 'a size in bytes as a non-negative integer',
  package_hash: 'a sha256 as 64 lower-case hex characters',
};

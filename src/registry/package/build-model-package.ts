import { invalidParam } from '../../core/index.js';
import { describeIssue, formatModelManifest } from './manifest-text.js';
import {
  isPackagePath,
  MLMODEL_FILE,
  modelManifestSchema,
  PACKAGE_FORMAT,
  PACKAGE_FORMAT_VERSION,
  type ModelPackageManifest,
} from './model-manifest.js';
import { computePackageHash } from './package-hash.js';

/** A file of the package: a stored file (chunk manifest) under a package-relative path. */
export interface PackageFileRecord {
  readonly path: string;
  readonly manifestId: string;
  readonly size: number;
}

/** Everything of the manifest except what is derived (format, files, package_hash). */
export type ModelPackageFields = Omit<
  ModelPackageManifest,
  'format' | 'format_version' | 'files' | 'package_hash' | 'created'
> & { readonly created?: string };

export interface BuiltModelPackage {
  readonly manifest: ModelPackageManifest;
  /** The MLmodel YAML; its stored manifest id is the version's packageHash. */
  readonly text: string;
}

/**
 * Builds the MLmodel of a package whose files are already stored: checks the paths, that every
 * flavor's and the reference's file is among `files`, computes `package_hash`, and validates the
 * whole against the schema, so an invalid manifest is never written (`INVALID_PARAMETER_VALUE`
 * naming the key).
 */
export function buildModelPackage(
  fields: ModelPackageFields,
  files: readonly PackageFileRecord[],
): BuiltModelPackage {
  const table: Record<string, { manifest_id: string; size: number }> = {};
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    if (!isPackagePath(f.path)) {
      throw invalidParam(
        `Model package file path '${f.path}' is not a relative '/'-separated path inside the package (no '..', no leading '/').`,
        { path: f.path },
      );
    }
    if (f.path === MLMODEL_FILE) {
      throw invalidParam(`A model package file may not be named ${MLMODEL_FILE}: the manifest is.`);
    }
    if (table[f.path]) throw invalidParam(`Model package file '${f.path}' is listed twice.`);
    table[f.path] = { manifest_id: f.manifestId, size: f.size };
  }
  const named: [string, string | undefined][] = [
    ['flavors.onnx.file', fields.flavors.onnx?.file],
    ['flavors.tfjs.file', fields.flavors.tfjs?.file],
    ['flavors.mlops_forecaster.file', fields.flavors.mlops_forecaster?.file],
    ['reference.file', fields.reference?.file],
  ];
  for (const [key, file] of named) {
    if (file !== undefined && !table[file]) {
      throw invalidParam(
        `Model package key ${key} names '${file}', which is not among its files (${Object.keys(table).join(', ') || 'none'}).`,
        { key, file },
      );
    }
  }
  if (!fields.flavors.onnx && !fields.flavors.tfjs && !fields.flavors.mlops_forecaster) {
    throw invalidParam(
      'A model package needs at least one flavor (onnx, tfjs or mlops_forecaster).',
    );
  }
  const body = {
    format: PACKAGE_FORMAT,
    format_version: PACKAGE_FORMAT_VERSION,
    ...fields,
    created: fields.created ?? new Date().toISOString(),
    files: table,
  } as const;
  const candidate = { ...body, package_hash: computePackageHash(body) };
  const parsed = modelManifestSchema.safeParse(candidate);
  if (!parsed.success) {
    throw invalidParam(`Invalid model package: ${describeIssue(parsed.error, candidate)}.`);
  }
  return { manifest: parsed.data, text: formatModelManifest(parsed.data) };
}

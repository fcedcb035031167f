import { MlopsError, invalidParam } from '../core/index.js';

/** MLflow's registry limits (mlflow/utils/validation.py, handlers.py). */
export const RegistryLimits = {
  modelNameLength: 256,
  tagKeyLength: 250,
  tagValueLength: 5000,
  aliasLength: 255,
  searchModelsDefault: 100,
  searchModelsMax: 1000,
  searchVersionsDefault: 200_000,
  searchVersionsMax: 200_000,
} as const;

const TAG_KEY_PATTERN = /^[/\w.\- ]*$/;
const ALIAS_PATTERN = /^[\w-]*$/;

export function validateModelName(name: unknown, field = 'name'): asserts name is string {
  if (typeof name !== 'string' || name.trim() === '') {
    throw invalidParam(`Invalid registered model ${field}: it must be a non-empty string.`, {
      field,
    });
  }
  if (name.length > RegistryLimits.modelNameLength) {
    throw invalidParam(
      `Registered model ${field} is ${name.length} characters; the limit is ${RegistryLimits.modelNameLength}.`,
      { field },
    );
  }
  if (name.includes('/')) {
    throw invalidParam(
      `Invalid registered model ${field} '${name}': it must not contain '/' (it would break models:/<name>/<version> URIs).`,
      { field },
    );
  }
}

export function validateTag(kind: string, key: unknown, value?: unknown): void {
  if (typeof key !== 'string' || key === '') {
    throw invalidParam(`Missing value for required ${kind} tag key.`, { field: 'key' });
  }
  if (key.length > RegistryLimits.tagKeyLength) {
    throw invalidParam(
      `${kind} tag key '${key.slice(0, 40)}...' is ${key.length} characters; the limit is ${RegistryLimits.tagKeyLength}.`,
      { field: 'key', key },
    );
  }
  const segmentsOk =
    !key.startsWith('/') &&
    !key.endsWith('/') &&
    key.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
  if (!TAG_KEY_PATTERN.test(key) || !segmentsOk) {
    throw invalidParam(
      `Invalid ${kind} tag key '${key}': keys may contain only letters, digits, '_', '-', '.', ' ' and '/', and must be a normalised relative path.`,
      { field: 'key', key },
    );
  }
  if (value === undefined) return;
  if (typeof value !== 'string') {
    throw invalidParam(`Invalid value for ${kind} tag '${key}': expected a string.`, {
      field: 'value',
      key,
    });
  }
  if (value.length > RegistryLimits.tagValueLength) {
    throw invalidParam(
      `${kind} tag '${key}' has a value of ${value.length} characters; the limit is ${RegistryLimits.tagValueLength}.`,
      { field: 'value', key },
    );
  }
}

/** MLflow's alias rules (`_validate_model_alias_name`). */
export function validateAlias(alias: unknown): asserts alias is string {
  if (typeof alias !== 'string' || alias === '') {
    throw invalidParam('Invalid alias: it must be a non-empty string.', { field: 'alias' });
  }
  if (alias.length > RegistryLimits.aliasLength) {
    throw invalidParam(
      `Alias is ${alias.length} characters; the limit is ${RegistryLimits.aliasLength}.`,
      { field: 'alias' },
    );
  }
  if (!ALIAS_PATTERN.test(alias)) {
    throw invalidParam(
      `Invalid alias '${alias}': aliases may contain only letters, digits, '_' and '-'.`,
      { field: 'alias' },
    );
  }
  if (alias.toLowerCase() === 'latest') {
    throw invalidParam(`Invalid alias '${alias}': 'latest' (any case) is reserved.`, {
      field: 'alias',
    });
  }
  if (/^v\d+$/i.test(alias)) {
    throw invalidParam(
      `Invalid alias '${alias}': 'v<number>' is reserved for version references.`,
      { field: 'alias' },
    );
  }
}

/** A version string ("1", "2", ...) as its number; non-numbers are INVALID_PARAMETER_VALUE. */
export function versionNumber(version: unknown): number {
  const text = typeof version === 'number' ? String(version) : version;
  if (typeof text !== 'string' || !/^\d{1,15}$/.test(text) || Number(text) < 1) {
    throw invalidParam(
      `Invalid model version '${String(version)}': expected a positive integer such as "1".`,
      { field: 'version' },
    );
  }
  return Number(text);
}

export function validateSource(source: unknown): asserts source is string {
  if (typeof source !== 'string' || source === '') {
    throw invalidParam('Invalid model version source: it must be a non-empty string.', {
      field: 'source',
    });
  }
  if (source.includes('\0')) {
    throw invalidParam('Invalid model version source: it must not contain a NUL byte.', {
      field: 'source',
    });
  }
}

export function validateDescription(description: unknown): void {
  if (description !== undefined && typeof description !== 'string') {
    throw invalidParam('Invalid description: expected a string.', { field: 'description' });
  }
}

export function checkMaxResults(value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    throw invalidParam(
      `Invalid max_results ${String(value)}: expected an integer from 1 to ${max}.`,
      { field: 'max_results' },
    );
  }
  return value;
}

export function modelNotFound(name: string): MlopsError {
  return new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `Registered model '${name}' not found. List models with \`mlops models list\`.`,
  );
}

export function versionNotFound(name: string, version: string | number): MlopsError {
  return new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `Model version '${name}' version ${String(version)} not found.`,
  );
}

export function aliasNotFound(name: string, alias: string): MlopsError {
  return new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `Registered model '${name}' has no alias '${alias}'.`,
  );
}

export function modelExists(name: string): MlopsError {
  return new MlopsError('RESOURCE_ALREADY_EXISTS', `Registered model '${name}' already exists.`);
}

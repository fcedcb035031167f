import { MlopsError } from '../core/index.js';
import type {
  ModelVersion,
  ModelVersionStatus,
  RegisteredModel,
  RegisteredModelAlias,
} from '../registry/index.js';
import { int64FromWire, tagsFromWire, type WireInt64, type WireKeyValue } from './wire.js';

/** MLflow's registry JSON (model_registry.proto) to the registry's entities. */

export interface WireModelVersionIn {
  readonly name?: string;
  readonly version?: string | number;
  readonly creation_timestamp?: WireInt64;
  readonly last_updated_timestamp?: WireInt64;
  readonly current_stage?: string;
  readonly description?: string;
  readonly source?: string;
  readonly run_id?: string;
  readonly status?: string | number;
  readonly status_message?: string;
  readonly tags?: readonly WireKeyValue[];
  readonly aliases?: readonly string[];
  readonly package_hash?: string;
}

export interface WireRegisteredModelIn {
  readonly name?: string;
  readonly creation_timestamp?: WireInt64;
  readonly last_updated_timestamp?: WireInt64;
  readonly description?: string;
  readonly latest_versions?: readonly WireModelVersionIn[];
  readonly tags?: readonly WireKeyValue[];
  readonly aliases?: readonly { readonly alias?: string; readonly version?: string | number }[];
}

const STATUSES: readonly ModelVersionStatus[] = [
  'PENDING_REGISTRATION',
  'FAILED_REGISTRATION',
  'READY',
];

export function modelVersionFromWire(wire: WireModelVersionIn | undefined): ModelVersion {
  const w = object(wire, 'model_version');
  const name = text(w.name, 'model_version.name');
  const version = text(
    typeof w.version === 'number' ? String(w.version) : w.version,
    'model_version.version',
  );
  const created = int64FromWire(w.creation_timestamp, 'model_version.creation_timestamp') ?? 0;
  const archived = w.current_stage === 'Archived';
  return {
    name,
    version,
    creationTimestamp: created,
    lastUpdatedTimestamp:
      int64FromWire(w.last_updated_timestamp, 'model_version.last_updated_timestamp') ?? created,
    ...(w.description !== undefined ? { description: w.description } : {}),
    source: w.source ?? '',
    ...(w.run_id ? { runId: w.run_id } : {}),
    status: statusFromWire(w.status),
    ...(w.status_message ? { statusMessage: w.status_message } : {}),
    tags: tagsFromWire(w.tags, 'model version tag'),
    aliases: [...(w.aliases ?? [])].sort(),
    ...(w.package_hash ? { packageHash: w.package_hash } : {}),
    archived,
    currentStage: archived ? 'Archived' : 'None',
  };
}

export function registeredModelFromWire(wire: WireRegisteredModelIn | undefined): RegisteredModel {
  const w = object(wire, 'registered_model');
  const created = int64FromWire(w.creation_timestamp, 'registered_model.creation_timestamp') ?? 0;
  const aliases: RegisteredModelAlias[] = (w.aliases ?? [])
    .map((a) => ({
      alias: text(a.alias, 'registered_model.aliases.alias'),
      version: text(
        typeof a.version === 'number' ? String(a.version) : a.version,
        'registered_model.aliases.version',
      ),
    }))
    .sort((a, b) => (a.alias < b.alias ? -1 : a.alias > b.alias ? 1 : 0));
  const latest = (w.latest_versions ?? []).map(modelVersionFromWire);
  return {
    name: text(w.name, 'registered_model.name'),
    ...(w.description !== undefined ? { description: w.description } : {}),
    creationTimestamp: created,
    lastUpdatedTimestamp:
      int64FromWire(w.last_updated_timestamp, 'registered_model.last_updated_timestamp') ?? created,
    tags: tagsFromWire(w.tags, 'registered model tag'),
    aliases,
    ...(latest.length > 0 ? { latestVersions: latest } : {}),
  };
}

function statusFromWire(value: unknown): ModelVersionStatus {
  // MLflow always writes it; left out, nothing is pending. Numbers are the proto's (from 1).
  if (value === undefined) return 'READY';
  if (typeof value === 'number' && STATUSES[value - 1]) return STATUSES[value - 1]!;
  if (typeof value === 'string' && (STATUSES as readonly string[]).includes(value)) {
    return value as ModelVersionStatus;
  }
  throw malformed('model_version.status', value);
}

function object<T extends object>(value: T | undefined, what: string): T {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw malformed(what, value);
  }
  return value;
}

function text(value: unknown, what: string): string {
  if (typeof value !== 'string' || value === '') throw malformed(what, value);
  return value;
}

function malformed(what: string, value: unknown): MlopsError {
  const shown = value === undefined ? 'nothing' : JSON.stringify(value)?.slice(0, 80);
  return new MlopsError(
    'INTERNAL_ERROR',
    `The tracking server sent a malformed ${what}: ${shown}. Is it an MLflow-compatible registry?`,
    { details: { field: what } },
  );
}

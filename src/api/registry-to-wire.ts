import type { ModelVersion, RegisteredModel } from '../registry/index.js';
import { recordToWire, type WireKeyValue } from './to-wire.js';

/** Registry entities -> MLflow's JSON (model_registry.proto): snake_case, unset fields left out. */

export interface WireModelVersion {
  name: string;
  version: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  current_stage: string;
  description?: string;
  source: string;
  run_id?: string;
  status: string;
  status_message?: string;
  tags?: WireKeyValue[];
  aliases?: string[];
  /** Ours (MLflow's clients ignore unknown fields): the model package's content hash. */
  package_hash?: string;
}

export interface WireRegisteredModel {
  name: string;
  creation_timestamp: number;
  last_updated_timestamp: number;
  description?: string;
  latest_versions?: WireModelVersion[];
  tags?: WireKeyValue[];
  aliases?: { alias: string; version: string }[];
}

export function modelVersionToWire(v: ModelVersion): WireModelVersion {
  const wire: WireModelVersion = {
    name: v.name,
    version: v.version,
    creation_timestamp: v.creationTimestamp,
    last_updated_timestamp: v.lastUpdatedTimestamp,
    current_stage: v.currentStage,
    source: v.source,
    status: v.status,
  };
  if (v.description !== undefined) wire.description = v.description;
  if (v.runId !== undefined) wire.run_id = v.runId;
  if (v.statusMessage !== undefined) wire.status_message = v.statusMessage;
  const tags = recordToWire(v.tags);
  if (tags) wire.tags = tags;
  if (v.aliases.length > 0) wire.aliases = [...v.aliases];
  if (v.packageHash !== undefined) wire.package_hash = v.packageHash;
  return wire;
}

export function registeredModelToWire(m: RegisteredModel): WireRegisteredModel {
  const wire: WireRegisteredModel = {
    name: m.name,
    creation_timestamp: m.creationTimestamp,
    last_updated_timestamp: m.lastUpdatedTimestamp,
  };
  if (m.description !== undefined) wire.description = m.description;
  if (m.latestVersions && m.latestVersions.length > 0) {
    wire.latest_versions = m.latestVersions.map(modelVersionToWire);
  }
  const tags = recordToWire(m.tags);
  if (tags) wire.tags = tags;
  if (m.aliases.length > 0) {
    wire.aliases = m.aliases.map((a) => ({ alias: a.alias, version: a.version }));
  }
  return wire;
}

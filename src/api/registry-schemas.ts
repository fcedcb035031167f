import { z } from 'zod';
import { idString, int64, keyValues, repeated } from './zod-fields.js';

/**
 * Request schemas of MLflow's registry RPCs (model_registry.proto), field for field, plus our
 * optional `package_hash` on model-version create. Unknown fields are stripped, as MLflow's
 * ignore_unknown_fields does; a version is a string ("1"), but a number is taken too.
 */

const name = { name: z.string() };
const version = { ...name, version: idString };

export const CreateRegisteredModel = z.object({
  ...name,
  tags: keyValues.optional(),
  description: z.string().optional(),
});
export const RegisteredModelOnly = z.object(name);
export const RenameRegisteredModel = z.object({ ...name, new_name: z.string() });
export const UpdateRegisteredModel = z.object({ ...name, description: z.string().optional() });
export const SearchRegisteredModels = z.object({
  filter: z.string().optional(),
  max_results: int64.optional(),
  order_by: repeated(z.string()).optional(),
  page_token: z.string().optional(),
});
export const GetLatestVersions = z.object({ ...name, stages: repeated(z.string()).optional() });
export const SetRegisteredModelTag = z.object({ ...name, key: z.string(), value: z.string() });
export const DeleteRegisteredModelTag = z.object({ ...name, key: z.string() });
export const SetAlias = z.object({ ...name, alias: z.string(), version: idString });
export const AliasOnly = z.object({ ...name, alias: z.string() });

export const CreateModelVersion = z.object({
  ...name,
  source: z.string(),
  run_id: z.string().optional(),
  tags: keyValues.optional(),
  run_link: z.string().optional(),
  description: z.string().optional(),
  /** MLflow 3.x: the logged model the version registers (its source is then `models:/<id>`). */
  model_id: z.string().optional(),
  /** Ours: the content hash of the model package. */
  package_hash: z.string().optional(),
});
export const ModelVersionOnly = z.object(version);
export const UpdateModelVersion = z.object({ ...version, description: z.string().optional() });
export const TransitionStage = z.object({
  ...version,
  stage: z.string(),
  archive_existing_versions: z.union([z.boolean(), z.enum(['true', 'false'])]).optional(),
});
export const SearchModelVersions = SearchRegisteredModels;
export const SetModelVersionTag = z.object({ ...version, key: z.string(), value: z.string() });
export const DeleteModelVersionTag = z.object({ ...version, key: z.string() });

/** mlflow/server/auth routes: a user's permission on one registered model. */
export const ModelPermission = z.object({
  ...name,
  username: z.string(),
  permission: z.string(),
});
export const ModelPermissionRef = z.object({ ...name, username: z.string() });

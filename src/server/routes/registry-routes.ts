import type { FastifyInstance } from 'fastify';
import type { RegistryStore } from '../../registry/index.js';
import type { SqlModelPermissions } from '../auth/index.js';
import { MLFLOW_PREFIXES } from '../create-server.js';
import { mountJsonRoutes } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';
import { registeredModelRoutes } from './mlflow-registered-models.js';
import { modelVersionRoutes, type ModelVersionRouteOptions } from './mlflow-model-versions.js';
import { modelPermissionRoutes } from './mlflow-registry-permissions.js';

export interface RegistryRoutesOptions extends ModelVersionRouteOptions {
  /** Per-model grants of `--auth`; without them the permission routes answer 404. */
  readonly permissions?: SqlModelPermissions;
}

/**
 * MLflow's model-registry REST API over `registry`, as a `buildServer` plugin: registered models,
 * model versions, aliases, tags and per-model permissions, under /api/2.0 and /ajax-api/2.0.
 *
 * @example
 * await buildServer(stores, { plugins: [registryRoutes(new SqlRegistryStore(database))] });
 */
export function registryRoutes(
  registry: RegistryStore,
  options: RegistryRoutesOptions = {},
): (app: FastifyInstance, ctx: ServerContext) => void {
  return (app, ctx) => {
    mountJsonRoutes(app, MLFLOW_PREFIXES, 'registered-models', [
      ...registeredModelRoutes(ctx, registry),
      ...modelPermissionRoutes(ctx, registry, options.permissions),
    ]);
    mountJsonRoutes(
      app,
      MLFLOW_PREFIXES,
      'model-versions',
      modelVersionRoutes(ctx, registry, options),
    );
  };
}

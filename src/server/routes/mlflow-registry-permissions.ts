import { MlflowRegistry as R } from '../../api/index.js';
import { MlopsError } from '../../core/index.js';
import type { RegistryStore } from '../../registry/index.js';
import { parsePermission, type ModelGrant, type SqlModelPermissions } from '../auth/index.js';
import { route, type JsonRoute } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';

/**
 * MLflow's basic-auth routes for registered-model permissions (mlflow/server/auth/routes.py):
 * create, get, update, delete a user's grant on one model. Only its managers and admins may.
 */
export function modelPermissionRoutes(
  ctx: ServerContext,
  registry: RegistryStore,
  permissions: SqlModelPermissions | undefined,
): JsonRoute[] {
  const { access } = ctx;
  /** MANAGE on an existing model, and the grants table (only with --auth). */
  const managed = async (request: Parameters<JsonRoute['handler']>[1], name: string) => {
    if (!permissions || !access.enabled) {
      throw new MlopsError(
        'ENDPOINT_NOT_FOUND',
        'Permissions exist only on a server started with --auth.',
      );
    }
    await access.requireModel(request, name, 'MANAGE');
    await registry.getRegisteredModel(name);
    return permissions;
  };
  const toWire = (g: ModelGrant) => ({
    registered_model_permission: {
      name: g.name,
      // MLflow's auth database has numeric user ids; the user name is ours.
      user_id: g.username,
      username: g.username,
      permission: g.permission,
    },
  });
  return [
    route({
      method: 'POST',
      path: '/mlflow/registered-models/permissions/create',
      summary: 'Grant a user a permission on a registered model (--auth)',
      schema: R.ModelPermission,
      async handler(input, request) {
        const store = await managed(request, input.name);
        return toWire(
          await store.grant(input.name, input.username, parsePermission(input.permission)),
        );
      },
    }),
    route({
      method: 'GET',
      path: '/mlflow/registered-models/permissions/get',
      summary: "A user's permission on a registered model (--auth)",
      schema: R.ModelPermissionRef,
      async handler(input, request) {
        const store = await managed(request, input.name);
        return toWire(await store.get(input.name, input.username));
      },
    }),
    route({
      method: 'PATCH',
      path: '/mlflow/registered-models/permissions/update',
      summary: "Change a user's permission on a registered model (--auth)",
      schema: R.ModelPermission,
      async handler(input, request) {
        const store = await managed(request, input.name);
        const permission = parsePermission(input.permission);
        await store.get(input.name, input.username);
        await store.grant(input.name, input.username, permission);
        return {};
      },
    }),
    route({
      method: 'DELETE',
      path: '/mlflow/registered-models/permissions/delete',
      summary: "Remove a user's permission on a registered model (--auth)",
      schema: R.ModelPermissionRef,
      async handler(input, request) {
        const store = await managed(request, input.name);
        await store.revoke(input.name, input.username);
        return {};
      },
    }),
  ];
}

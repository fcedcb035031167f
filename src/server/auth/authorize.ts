import { permissionAllows, type Permission } from './permissions.js';
import type { Principal } from './principal.js';

/**
 * What `principal` may do on one experiment: MANAGE for admins, else its grant there, else the
 * server's default (MLflow's `default_permission`, READ unless configured).
 */
export function effectivePermission(
  principal: Principal,
  experimentPermission: Permission | undefined,
  defaultPermission: Permission,
): Permission {
  if (principal.isAdmin) return 'MANAGE';
  return experimentPermission ?? defaultPermission;
}

/**
 * Which experiments a listing may show: every one except some (the default allows reading and
 * a few grants take it away), or only some (the default does not, and grants add a few).
 */
export type ExperimentScope =
  | { readonly kind: 'all-except'; readonly ids: ReadonlySet<string> }
  | { readonly kind: 'only'; readonly ids: ReadonlySet<string> };

/** The experiments `principal` may read, from its grants (`SqlAuthStore.grantsOf`). */
export function readableScope(
  principal: Principal,
  grants: ReadonlyMap<string, Permission>,
  defaultPermission: Permission,
): ExperimentScope {
  if (principal.isAdmin) return { kind: 'all-except', ids: new Set() };
  const byDefault = permissionAllows(defaultPermission, 'READ');
  const ids = new Set<string>();
  for (const [id, permission] of grants) {
    // Collect the exceptions to the default: denials when it reads, allowances when it does not.
    if (permissionAllows(permission, 'READ') !== byDefault) ids.add(id);
  }
  return byDefault ? { kind: 'all-except', ids } : { kind: 'only', ids };
}

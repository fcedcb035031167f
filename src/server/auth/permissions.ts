import { invalidParam } from '../../core/index.js';

/**
 * Per-experiment permission levels, weakest first, as in MLflow's basic-auth app. Each level
 * allows everything the ones before it do: READ to view, EDIT to log and change runs, MANAGE to
 * delete and to grant. NO_PERMISSIONS is a level too (not just "no grant") because an explicit
 * NO_PERMISSIONS grant hides one experiment from a user on a server whose default is READ.
 */
export const PERMISSIONS = ['NO_PERMISSIONS', 'READ', 'EDIT', 'MANAGE'] as const;

export type Permission = (typeof PERMISSIONS)[number];

/** `word` as a Permission (any case); an error naming the allowed values otherwise. */
export function parsePermission(word: string): Permission {
  const upper = word.trim().toUpperCase();
  const found = PERMISSIONS.find((p) => p === upper);
  if (!found) {
    throw invalidParam(
      `Unknown permission '${word}': use one of ${PERMISSIONS.join(', ')} (NO_PERMISSIONS means none).`,
    );
  }
  return found;
}

/** Whether holding `have` (undefined: nothing) is enough for an operation that needs `need`. */
export function permissionAllows(have: Permission | undefined, need: Permission): boolean {
  return have !== undefined && PERMISSIONS.indexOf(have) >= PERMISSIONS.indexOf(need);
}

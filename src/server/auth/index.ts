/** @module server/auth: users, passwords, API tokens and per-experiment permissions of `--auth`. */
export { authenticate, WWW_AUTHENTICATE, type CredentialVerifier } from './authenticate.js';
export { effectivePermission, readableScope, type ExperimentScope } from './authorize.js';
export { checkNewPassword, hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './password.js';
export { parsePermission, permissionAllows, PERMISSIONS, type Permission } from './permissions.js';
export type { Principal, User } from './principal.js';
export {
  SqlAuthStore,
  type CreateTokenOptions,
  type EnsureAdminResult,
  type SqlAuthStoreOptions,
} from './sql-auth-store.js';
export { SqlModelPermissions, type ModelGrant } from './sql-model-permissions.js';
export { newToken, tokenHash, TOKEN_PREFIX } from './tokens.js';
export {
  createTokenAt,
  createUserAt,
  grantAt,
  listUsersAt,
  type Granted,
  type IssuedToken,
} from './users-service.js';

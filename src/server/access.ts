import type { FastifyRequest } from 'fastify';
import { MlopsError } from '../core/index.js';
import type { TrackingStore } from '../tracking/index.js';
import {
  authenticate,
  permissionAllows,
  type Permission,
  type Principal,
  type SqlAuthStore,
  type SqlModelPermissions,
} from './auth/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
  }
}

/**
 * Who may do what. With auth off every check passes (the server is bound to loopback, or the
 * operator accepted the warning). With auth on, every request but /health, /metrics and the
 * OpenAPI document carries a user; admins may do anything; others hold READ < EDIT < MANAGE per
 * experiment and per registered model (explicit grants, else the server's default permission),
 * and creating an experiment or a registered model makes its creator its MANAGE holder.
 */
export interface Access {
  readonly enabled: boolean;
  authenticate(request: FastifyRequest): Promise<void>;
  requireExperiment(request: FastifyRequest, experimentId: string, need: Permission): Promise<void>;
  /** Checks the run's experiment; returns its id. */
  requireRun(request: FastifyRequest, runId: string, need: Permission): Promise<string>;
  /** Whether the user holds `need` on the experiment (no error). */
  allows(request: FastifyRequest, experimentId: string, need: Permission): Promise<boolean>;
  /** Whether the user may do anything (auth off, or an admin). */
  unrestricted(request: FastifyRequest): boolean;
  /** Filters experiment ids down to those the user may read. */
  readable(request: FastifyRequest, experimentIds: readonly string[]): Promise<string[]>;
  requireAdmin(request: FastifyRequest): void;
  /** Any authenticated user (writes to the content-addressed byte store). */
  requireUser(request: FastifyRequest): void;
  created(request: FastifyRequest, experimentId: string): Promise<void>;
  /** The user name to record on runs and models. */
  userName(request: FastifyRequest): string | undefined;
  /** Checks the user's permission on a registered model (READ to view, EDIT, MANAGE). */
  requireModel(request: FastifyRequest, name: string, need: Permission): Promise<void>;
  /** Filters registered-model names down to those the user may read. */
  readableModels(request: FastifyRequest, names: readonly string[]): Promise<string[]>;
  /** The creator of a registered model manages it. */
  modelCreated(request: FastifyRequest, name: string): Promise<void>;
}

export const OPEN_ACCESS: Access = {
  enabled: false,
  authenticate: async () => {},
  requireExperiment: async () => {},
  requireRun: async () => '',
  allows: async () => true,
  unrestricted: () => true,
  readable: async (_r, ids) => [...ids],
  requireAdmin: () => {},
  requireUser: () => {},
  created: async () => {},
  userName: () => undefined,
  requireModel: async () => {},
  readableModels: async (_r, names) => [...names],
  modelCreated: async () => {},
};

export function authAccess(
  auth: SqlAuthStore,
  store: TrackingStore,
  defaultPermission: Permission | undefined,
  models: SqlModelPermissions,
): Access {
  // Runs never move between experiments, so the owner lookup is cached for the hot logging path.
  const runExperiment = new Map<string, string>();
  const principalOf = (request: FastifyRequest): Principal => {
    if (!request.principal) {
      throw new MlopsError('UNAUTHENTICATED', 'This server requires authentication.');
    }
    return request.principal;
  };
  const allowed = async (p: Principal, experimentId: string, need: Permission) =>
    p.isAdmin ||
    permissionAllows(
      (await auth.permissionOf(p.username, experimentId)) ?? defaultPermission,
      need,
    );

  const requireExperiment = async (
    request: FastifyRequest,
    experimentId: string,
    need: Permission,
  ) => {
    const p = principalOf(request);
    if (!(await allowed(p, experimentId, need))) {
      throw new MlopsError(
        'PERMISSION_DENIED',
        `User '${p.username}' lacks ${need} permission on experiment ${experimentId}. Ask its manager or an admin: \`mlops users grant ${p.username} --experiment ${experimentId} --permission ${need}\`.`,
      );
    }
  };

  return {
    enabled: true,
    async authenticate(request) {
      request.principal = await authenticate(request.headers.authorization, auth);
    },
    requireExperiment,
    allows: (request, experimentId, need) => allowed(principalOf(request), experimentId, need),
    unrestricted: (request) => principalOf(request).isAdmin,
    async requireRun(request, runId, need) {
      let experimentId = runExperiment.get(runId);
      if (experimentId === undefined) {
        experimentId = (await store.getRun(runId)).info.experimentId;
        if (runExperiment.size > 100_000) runExperiment.clear();
        runExperiment.set(runId, experimentId);
      }
      await requireExperiment(request, experimentId, need);
      return experimentId;
    },
    async readable(request, experimentIds) {
      const p = principalOf(request);
      if (p.isAdmin) return [...experimentIds];
      const grants = await auth.grantsOf(p.username); // one query, not one per experiment
      return experimentIds.filter((id) =>
        permissionAllows(grants.get(id) ?? defaultPermission, 'READ'),
      );
    },
    requireAdmin(request) {
      const p = principalOf(request);
      if (!p.isAdmin) {
        throw new MlopsError(
          'PERMISSION_DENIED',
          `Only an admin may do this; '${p.username}' is not one.`,
        );
      }
    },
    requireUser(request) {
      principalOf(request);
    },
    async created(request, experimentId) {
      const p = principalOf(request);
      if (!p.isAdmin) await auth.grant(experimentId, p.username, 'MANAGE');
    },
    userName: (request) => request.principal?.username,
    async requireModel(request, name, need) {
      const p = principalOf(request);
      if (p.isAdmin) return;
      const have = (await models.permissionOf(p.username, name)) ?? defaultPermission;
      if (!permissionAllows(have, need)) {
        throw new MlopsError(
          'PERMISSION_DENIED',
          `User '${p.username}' lacks ${need} permission on registered model '${name}'. Ask its manager or an admin to grant it (POST /api/2.0/mlflow/registered-models/permissions/create).`,
        );
      }
    },
    async readableModels(request, names) {
      const p = principalOf(request);
      if (p.isAdmin) return [...names];
      const grants = await models.grantsOf(p.username);
      return names.filter((n) => permissionAllows(grants.get(n) ?? defaultPermission, 'READ'));
    },
    async modelCreated(request, name) {
      const p = principalOf(request);
      if (!p.isAdmin) await models.grant(name, p.username, 'MANAGE');
    },
  };
}

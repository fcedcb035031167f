import type { FastifyInstance } from 'fastify';
import { isIP } from 'node:net';
import { findWorkspace, openBlobStore } from '../app/index.js';
import { MlopsError } from '../core/index.js';
import { SqlLineageStore } from '../lineage/index.js';
import { SqlRegistryStore } from '../registry/index.js';
import { SqlInferenceLogStore } from '../serving/index.js';
import { openDatabase } from '../storage/index.js';
import { SqlLoggedModelStore, SqlRunIoStore, SqlTrackingStore } from '../tracking/index.js';
import { authAccess } from './access.js';
import { parsePermission, SqlAuthStore, SqlModelPermissions } from './auth/index.js';
import { buildServer, type BuildServerOptions } from './create-server.js';
import { inferenceLogRoutes } from './routes/inference-log-routes.js';
import { registryRoutes } from './routes/registry-routes.js';

export interface ServerOptions {
  /** Default 127.0.0.1. */
  readonly host?: string;
  /** Default 5000; 0 picks a free port. */
  readonly port?: number;
  /** sqlite:<path> or postgresql://...; default MLOPS_TRACKING_URI, else the workspace's database. */
  readonly backendStoreUri?: string;
  /** A directory or s3://bucket/prefix; default MLOPS_ARTIFACT_URI, else the workspace's blobs. */
  readonly artifactsDestination?: string;
  /** Users, tokens and per-experiment permissions. */
  readonly auth?: boolean;
  /** What users hold on experiments nobody granted them anything on (default READ, as MLflow). */
  readonly defaultPermission?: string;
  readonly allowedHosts?: readonly string[];
  readonly logRequests?: boolean;
  readonly plugins?: BuildServerOptions['plugins'];
  /** Workspace to find defaults from; default process.cwd(). */
  readonly cwd?: string;
  /** Where warnings go; default stderr. */
  readonly warn?: (line: string) => void;
}

export interface RunningServer {
  readonly url: string;
  readonly app: FastifyInstance;
  close(): Promise<void>;
}

/** Opens the stores, builds the server and listens. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const host = options.host ?? '127.0.0.1';
  const warn = options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const workspace = findWorkspace(options.cwd);
  const backend =
    options.backendStoreUri || process.env['MLOPS_TRACKING_URI'] || `sqlite:${workspace.database}`;
  if (/^https?:/i.test(backend)) {
    throw new MlopsError(
      'UNSUPPORTED_URI',
      `--backend-store-uri '${backend}': the server needs a database (sqlite:<path> or postgresql://...), not another server.`,
    );
  }
  const database = await openDatabase(backend, { autoUpgrade: true, poolSize: 16 });
  try {
    const store = new SqlTrackingStore(database);
    const loopback = isLoopback(host);
    let access;
    let permissions: SqlModelPermissions | undefined;
    if (options.auth) {
      const auth = new SqlAuthStore(database);
      await ensureAdmin(auth);
      const fallback = parsePermission(options.defaultPermission ?? 'READ');
      permissions = new SqlModelPermissions(database);
      access = authAccess(auth, store, fallback, permissions);
    } else if (!loopback) {
      warn(
        [
          '',
          '!!! WARNING: the tracking server listens on a non-loopback address WITHOUT --auth.',
          `!!! Anyone who can reach ${host} can read, change and delete every experiment and run.`,
          '!!! Restart with --auth (and MLOPS_ADMIN_PASSWORD set), or bind to 127.0.0.1.',
          '',
        ].join('\n'),
      );
    }
    const app = await buildServer(
      {
        store,
        blobs: openBlobStore(
          options.artifactsDestination || process.env['MLOPS_ARTIFACT_URI'],
          workspace.blobs,
        ),
        lineage: new SqlLineageStore(database),
        loggedModels: new SqlLoggedModelStore(database),
        runIo: new SqlRunIoStore(database),
      },
      {
        ...(access ? { access } : {}),
        loopback,
        allowedHosts: options.allowedHosts ?? [],
        logRequests: options.logRequests ?? false,
        // The registry and inference log share the database (their close() would close it:
        // never called here).
        plugins: [
          registryRoutes(new SqlRegistryStore(database), permissions ? { permissions } : {}),
          inferenceLogRoutes(new SqlInferenceLogStore(database)),
          ...(options.plugins ?? []),
        ],
      },
    );
    const address = await app.listen({ host, port: options.port ?? 5000 });
    return {
      url: address.replace('[::1]', 'localhost'),
      app,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (err) {
    await database.close().catch(() => {});
    throw err;
  }
}

function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1';
}

async function ensureAdmin(auth: SqlAuthStore): Promise<void> {
  const password = process.env['MLOPS_ADMIN_PASSWORD'];
  if (password) {
    await auth.ensureAdmin(password);
    return;
  }
  const users = await auth.listUsers();
  if (!users.some((u) => u.isAdmin)) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      '--auth needs an admin: set MLOPS_ADMIN_PASSWORD (the admin user "admin" is created with it), or create one with `mlops users create <name> --admin`. There is no built-in default password.',
    );
  }
}

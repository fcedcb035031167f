/** @module server: the tracking server: MLflow's REST API, mlops's own routes, auth. */
export {
  buildServer,
  MLFLOW_PREFIXES,
  type BuildServerOptions,
  type ServerStores,
} from './create-server.js';
export { startServer, type RunningServer, type ServerOptions } from './start-server.js';
export { mountJsonRoutes, route, type JsonRoute } from './mount-routes.js';
export { registryRoutes, type RegistryRoutesOptions } from './routes/registry-routes.js';
export { inferenceLogRoutes, INFERENCE_LOG_BODY_LIMIT } from './routes/inference-log-routes.js';
export type { ServerContext } from './server-context.js';
export { authAccess, OPEN_ACCESS, type Access } from './access.js';
export * from './auth/index.js';

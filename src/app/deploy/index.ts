/** @module app/deploy: a Dockerfile and Kubernetes manifests for `mlops serve <model-uri>`. */
export { dockerfile, DOCKERIGNORE, deployEnv, type DockerfileOptions } from './dockerfile.js';
export { k8sManifests, defaultName, type K8sManifests, type K8sOptions } from './k8s-manifests.js';
export type { K8sObject } from './k8s-types.js';
export { parseQuantity, type ResourceKind } from './quantity.js';
export { writeDeployFiles, type DeployFile } from './write-deploy-files.js';
export {
  deployDockerJob,
  deployK8sJob,
  type DeployDockerJob,
  type DeployDockerReport,
  type DeployK8sJob,
  type DeployK8sReport,
} from './deploy-jobs.js';
export {
  serveCommand,
  DEFAULT_PORT,
  HEALTH_PATH,
  READY_PATH,
  METRICS_PATH,
  PORT_NAME,
  TOKEN_SECRET_KEY,
} from './serve-command.js';

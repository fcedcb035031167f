/**
 * What a container runs and which routes it answers: one place, so the Dockerfile's CMD, its
 * HEALTHCHECK and the Kubernetes probes cannot drift apart from each other or from `mlops serve`.
 */

/** Where the image puts the mlops package (bin/, dist/, node_modules/). */
export const APP_DIR = '/app';
/** 200 while the process is up: liveness. */
export const HEALTH_PATH = '/health';
/** 503 until the model is loaded and warmed up: readiness. */
export const READY_PATH = '/ready';
/** Prometheus text format. */
export const METRICS_PATH = '/metrics';
export const DEFAULT_PORT = 8080;
/** The container port's name: probes and the Service's targetPort refer to it. */
export const PORT_NAME = 'http';
/** The key in a token Secret that becomes MLOPS_TRACKING_TOKEN. */
export const TOKEN_SECRET_KEY = 'token';
/** The uid:gid of the `node` user in the node images; numeric so that runAsNonRoot can check it. */
export const NODE_UID = 1000;

/** The container's command: `mlops serve` on every interface, relative to APP_DIR. */
export function serveCommand(modelUri: string, port: number): string[] {
  return ['node', 'bin/mlops.js', 'serve', modelUri, '--host', '0.0.0.0', '--port', String(port)];
}

import type { K8sObject, K8sSettings } from './k8s-types.js';
import {
  HEALTH_PATH,
  METRICS_PATH,
  NODE_UID,
  PORT_NAME,
  READY_PATH,
  serveCommand,
  TOKEN_SECRET_KEY,
} from './serve-command.js';

const PERIOD_SECONDS = 5;

/** The apps/v1 Deployment's spec. */
export function k8sDeployment(s: K8sSettings): Pick<K8sObject, 'spec'> {
  const probe = (path: string, extra: Record<string, number>) => ({
    httpGet: { path, port: PORT_NAME },
    timeoutSeconds: 3,
    ...extra,
  });
  const container = {
    name: 'server',
    image: s.image,
    // The image's CMD serves the model it was built for; args make the same image serve any.
    args: serveCommand(s.modelUri, s.port),
    ports: [{ name: PORT_NAME, containerPort: s.port, protocol: 'TCP' }],
    env: [
      ...Object.entries(s.env).map(([name, value]) => ({ name, value })),
      ...(s.tokenSecret === undefined
        ? []
        : [
            {
              name: 'MLOPS_TRACKING_TOKEN',
              valueFrom: { secretKeyRef: { name: s.tokenSecret, key: TOKEN_SECRET_KEY } },
            },
          ]),
    ],
    ...(s.envSecret === undefined ? {} : { envFrom: [{ secretRef: { name: s.envSecret } }] }),
    resources: s.resources,
    // Liveness and readiness start once /health answers, so a slow start is not a crash loop.
    startupProbe: probe(HEALTH_PATH, {
      periodSeconds: PERIOD_SECONDS,
      failureThreshold: Math.ceil(s.startupSeconds / PERIOD_SECONDS),
    }),
    // Out of the Service until the model is loaded and warmed up.
    readinessProbe: probe(READY_PATH, { periodSeconds: PERIOD_SECONDS, failureThreshold: 2 }),
    livenessProbe: probe(HEALTH_PATH, { periodSeconds: 10, failureThreshold: 3 }),
    // Endpoints drop a terminating pod asynchronously: keep answering a few seconds first.
    lifecycle: { preStop: { exec: { command: ['sleep', '5'] } } },
    securityContext: {
      runAsNonRoot: true,
      runAsUser: NODE_UID,
      runAsGroup: NODE_UID,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    },
  };
  return {
    spec: {
      // With an autoscaler, a replica count here would reset its scaling on every apply.
      ...(s.replicas === undefined ? {} : { replicas: s.replicas }),
      selector: { matchLabels: s.selector },
      // A new pod must be ready before an old one goes: rollouts drop no capacity.
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
      template: {
        metadata: {
          labels: s.labels,
          annotations: {
            'mlops/model-uri': s.modelUri,
            'prometheus.io/scrape': 'true',
            'prometheus.io/port': String(s.port),
            'prometheus.io/path': METRICS_PATH,
          },
        },
        spec: {
          terminationGracePeriodSeconds: 30,
          securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
          containers: [container],
        },
      },
    },
  };
}

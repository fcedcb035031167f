import { stringify } from 'yaml';
import { invalidParam } from '../../core/index.js';
import {
  checkImage,
  checkInteger,
  checkModelUri,
  checkNamespace,
  checkPort,
  checkSecretName,
  checkServiceName,
} from './deploy-checks.js';
import { deployEnv } from './dockerfile.js';
import { k8sDeployment } from './k8s-deployment.js';
import { checkRequestWithinLimit } from './quantity.js';
import type { K8sObject, K8sSettings } from './k8s-types.js';
import { DEFAULT_PORT, METRICS_PATH, PORT_NAME } from './serve-command.js';

export interface K8sOptions {
  /** `models:/name@alias` or `models:/name/<version>`. */
  readonly modelUri: string;
  /** The image `mlops deploy docker` built, e.g. registry.example.com/goog-serve:1.0. */
  readonly image: string;
  /** Deployment, Service and autoscaler name (default: from the model URI, goog-lstm-champion). */
  readonly name?: string;
  readonly namespace?: string;
  /** Container port (default 8080). */
  readonly port?: number;
  /** Service port (default 80). */
  readonly servicePort?: number;
  /** A fixed replica count and no autoscaler; without it the autoscaler owns the count. */
  readonly replicas?: number;
  readonly minReplicas?: number;
  readonly maxReplicas?: number;
  /** Average CPU use (percent of the request) the autoscaler aims at (default 70). */
  readonly targetCpuUtilization?: number;
  readonly cpuRequest?: string;
  readonly cpuLimit?: string;
  readonly memoryRequest?: string;
  readonly memoryLimit?: string;
  /** MLOPS_TRACKING_URI in the pod (no password in it: use envSecret). */
  readonly trackingUri?: string;
  /** MLOPS_ARTIFACT_URI in the pod. */
  readonly artifactUri?: string;
  readonly env?: Readonly<Record<string, string>>;
  /** A Secret whose `token` key becomes MLOPS_TRACKING_TOKEN. */
  readonly tokenSecret?: string;
  /** A Secret whose every key becomes an environment variable (S3 keys, a database URI). */
  readonly envSecret?: string;
  /** How long the process may take to answer /health before it is restarted (default 120). */
  readonly startupSeconds?: number;
  /** Named in the header comment. */
  readonly mlopsVersion?: string | undefined;
}

export interface K8sManifests {
  readonly name: string;
  readonly deployment: K8sObject;
  readonly service: K8sObject;
  /** Absent with a fixed replica count. */
  readonly autoscaler?: K8sObject;
  /** Every object, in apply order. */
  readonly objects: readonly K8sObject[];
  /** All objects as one multi-document YAML file. */
  readonly yaml: string;
  /** One YAML file per object (`<name>-deployment.yaml`, ...), for an output directory. */
  readonly files: readonly { readonly name: string; readonly content: string }[];
}

/**
 * Manifests for a prediction server of `modelUri`: an apps/v1 Deployment (probes on /ready and
 * /health, resources, metrics annotations), a v1 Service and an autoscaling/v2 autoscaler on CPU.
 * Every value is checked first; errors name the flag.
 */
export function k8sManifests(options: K8sOptions): K8sManifests {
  const s = settings(options);
  const servicePort = checkPort('--service-port', options.servicePort ?? 80);
  const meta = (kind: string) => ({
    name: s.name,
    ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
    labels: s.labels,
    ...(kind === 'Deployment' ? { annotations: { 'mlops/model-uri': s.modelUri } } : {}),
  });
  const { spec } = k8sDeployment(s);
  const deployment: K8sObject = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta('Deployment'),
    spec,
  };
  const service: K8sObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta('Service'),
    spec: {
      type: 'ClusterIP',
      selector: s.selector,
      ports: [{ name: PORT_NAME, port: servicePort, targetPort: PORT_NAME, protocol: 'TCP' }],
    },
  };
  const autoscaler = s.replicas === undefined ? autoscalerOf(s, options, meta) : undefined;
  const objects = [deployment, service, ...(autoscaler ? [autoscaler] : [])];
  const version = options.mlopsVersion === undefined ? '' : ` (mlops ${options.mlopsVersion})`;
  const header =
    `# Prediction server for ${s.modelUri}, written by \`mlops deploy k8s\`${version}.\n` +
    `# Apply: kubectl apply -f <this file or directory>; metrics at :${s.port}${METRICS_PATH}.\n`;
  const docs = objects.map((o) => stringify(o, { lineWidth: 0, aliasDuplicateObjects: false }));
  const fileOf = (o: K8sObject) =>
    `${s.name}-${o.kind === 'HorizontalPodAutoscaler' ? 'hpa' : o.kind.toLowerCase()}.yaml`;
  return {
    name: s.name,
    deployment,
    service,
    ...(autoscaler ? { autoscaler } : {}),
    objects,
    yaml: header + docs.join('---\n'),
    files: objects.map((o, i) => ({ name: fileOf(o), content: header + (docs[i] ?? '') })),
  };
}

function autoscalerOf(
  s: K8sSettings,
  options: K8sOptions,
  meta: (kind: string) => K8sObject['metadata'],
): K8sObject {
  const min = checkInteger('--min-replicas', options.minReplicas ?? 2, 1);
  const max = checkInteger('--max-replicas', options.maxReplicas ?? Math.max(5, min), 1);
  if (max < min) {
    throw invalidParam(`--max-replicas ${max} is below --min-replicas ${min}.`, {
      minReplicas: min,
      maxReplicas: max,
    });
  }
  const target = checkInteger('--target-cpu', options.targetCpuUtilization ?? 70, 1, 1000);
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta('HorizontalPodAutoscaler'),
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: s.name },
      minReplicas: min,
      maxReplicas: max,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: target } },
        },
      ],
    },
  };
}

function settings(options: K8sOptions): K8sSettings {
  const modelUri = checkModelUri(options.modelUri);
  const derived = options.name ?? defaultName(modelUri);
  if (derived === '') {
    throw invalidParam(
      `Cannot make a Kubernetes name out of '${modelUri}'; pass --name (a DNS-1035 label such as goog-lstm).`,
      { modelUri },
    );
  }
  const name = checkServiceName('--name', derived);
  if (options.replicas !== undefined) {
    checkInteger('--replicas', options.replicas, 1);
    for (const flag of ['minReplicas', 'maxReplicas', 'targetCpuUtilization'] as const) {
      if (options[flag] !== undefined) {
        throw invalidParam(
          `--replicas fixes the replica count and writes no autoscaler; drop it to use --min-replicas, --max-replicas and --target-cpu.`,
          { replicas: options.replicas, [flag]: options[flag] },
        );
      }
    }
  }
  const requests = { cpu: options.cpuRequest ?? '500m', memory: options.memoryRequest ?? '512Mi' };
  const limits = { cpu: options.cpuLimit ?? '1', memory: options.memoryLimit ?? '1Gi' };
  for (const kind of ['cpu', 'memory'] as const) {
    checkRequestWithinLimit(
      kind,
      { flag: `--${kind}-request`, text: requests[kind] },
      { flag: `--${kind}-limit`, text: limits[kind] },
    );
  }
  const selector = {
    'app.kubernetes.io/name': name,
    'app.kubernetes.io/component': 'model-server',
  };
  return {
    name,
    namespace:
      options.namespace === undefined
        ? undefined
        : checkNamespace('--namespace', options.namespace),
    modelUri,
    image: checkImage('--image', options.image),
    port: checkPort('--port', options.port ?? DEFAULT_PORT),
    replicas: options.replicas,
    resources: { requests, limits },
    env: deployEnv({ ...options, modelUri }),
    tokenSecret:
      options.tokenSecret === undefined
        ? undefined
        : checkSecretName('--token-secret', options.tokenSecret),
    envSecret:
      options.envSecret === undefined
        ? undefined
        : checkSecretName('--env-secret', options.envSecret),
    startupSeconds: checkInteger('--startup-seconds', options.startupSeconds ?? 120, 5, 3600),
    labels: {
      ...selector,
      'app.kubernetes.io/part-of': 'mlops',
      'app.kubernetes.io/managed-by': 'mlops',
    },
    selector,
  };
}

/** `models:/Goog_LSTM@champion` -> `goog-lstm-champion`: a DNS-1035 label, or '' when none fits. */
export function defaultName(modelUri: string): string {
  return modelUri
    .replace(/^models:\//, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

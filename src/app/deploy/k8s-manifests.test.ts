import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import {
  HorizontalPodAutoscaler,
  type IHorizontalPodAutoscaler,
} from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { type IService, Service } from 'kubernetes-models/v1/Service';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { MlopsError } from '../../core/index.js';
import { k8sManifests, type K8sManifests, type K8sOptions } from './k8s-manifests.js';
import { serveCommand } from './serve-command.js';

const BASE: K8sOptions = {
  modelUri: 'models:/goog-lstm@champion',
  image: 'registry.example.com/team/goog-serve:1.0',
};

/** Each object through the Kubernetes OpenAPI schema; returns the typed models. */
function validated(m: K8sManifests) {
  const deployment = new Deployment(m.deployment as unknown as IDeployment);
  const service = new Service(m.service as unknown as IService);
  deployment.validate();
  service.validate();
  const hpa = m.autoscaler
    ? new HorizontalPodAutoscaler(m.autoscaler as unknown as IHorizontalPodAutoscaler)
    : undefined;
  hpa?.validate();
  return { deployment, service, hpa };
}

const VARIANTS: Readonly<Record<string, K8sOptions>> = {
  defaults: BASE,
  'fixed replicas': { ...BASE, replicas: 3 },
  everything: {
    ...BASE,
    modelUri: 'models:/goog-lstm/7',
    name: 'goog',
    namespace: 'ml-serving',
    port: 9000,
    servicePort: 8081,
    minReplicas: 3,
    maxReplicas: 12,
    targetCpuUtilization: 60,
    cpuRequest: '250m',
    cpuLimit: '2',
    memoryRequest: '256Mi',
    memoryLimit: '2Gi',
    trackingUri: 'http://tracking.ml:5000',
    artifactUri: 's3://models/artifacts',
    env: { AWS_REGION: 'eu-west-1' },
    tokenSecret: 'mlops-token',
    envSecret: 's3-credentials',
    startupSeconds: 300,
    mlopsVersion: '0.1.0',
  },
};

describe('k8sManifests', () => {
  for (const [variant, options] of Object.entries(VARIANTS)) {
    it(`${variant}: every object passes the Kubernetes schema`, () => {
      const m = k8sManifests(options);
      const { hpa } = validated(m);
      expect(hpa === undefined).toBe(options.replicas !== undefined);
      expect(m.objects.map((o) => `${o.apiVersion} ${o.kind}`)).toEqual([
        'apps/v1 Deployment',
        'v1 Service',
        ...(hpa ? ['autoscaling/v2 HorizontalPodAutoscaler'] : []),
      ]);
    });

    it(`${variant}: selectors, ports, probes and the autoscaler agree`, () => {
      const m = k8sManifests(options);
      const { deployment, service, hpa } = validated(m);
      const spec = deployment.spec!;
      const pod = spec.template;
      const podLabels = pod.metadata!.labels!;
      const container = pod.spec!.containers[0]!;
      const port = options.port ?? 8080;

      for (const [k, v] of Object.entries(spec.selector.matchLabels!)) expect(podLabels[k]).toBe(v);
      for (const [k, v] of Object.entries(service.spec!.selector!)) expect(podLabels[k]).toBe(v);

      const containerPort = (ref: string | number | undefined) =>
        typeof ref === 'number' ? ref : container.ports!.find((p) => p.name === ref)?.containerPort;
      expect(containerPort(service.spec!.ports![0]!.targetPort)).toBe(port);
      expect(containerPort(container.readinessProbe!.httpGet!.port)).toBe(port);
      expect(containerPort(container.livenessProbe!.httpGet!.port)).toBe(port);
      expect(containerPort(container.startupProbe!.httpGet!.port)).toBe(port);
      expect(container.readinessProbe!.httpGet!.path).toBe('/ready');
      expect(container.livenessProbe!.httpGet!.path).toBe('/health');
      expect(container.args).toEqual(serveCommand(options.modelUri, port));
      expect(pod.metadata!.annotations!['prometheus.io/port']).toBe(String(port));
      expect(pod.metadata!.annotations!['prometheus.io/path']).toBe('/metrics');

      const resources = container.resources!;
      expect(resources.requests!['cpu']).toBe(options.cpuRequest ?? '500m');
      expect(resources.requests!['memory']).toBe(options.memoryRequest ?? '512Mi');
      expect(resources.limits!['memory']).toBe(options.memoryLimit ?? '1Gi');

      for (const o of m.objects) {
        expect(o.metadata.name).toBe(m.name);
        expect(o.metadata.namespace).toBe(options.namespace);
      }
      if (hpa) {
        expect(spec.replicas).toBeUndefined(); // the autoscaler owns the count
        expect(hpa.spec!.scaleTargetRef).toEqual({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          name: deployment.metadata!.name,
        });
        expect(hpa.spec!.minReplicas).toBe(options.minReplicas ?? 2);
        expect(hpa.spec!.maxReplicas).toBe(options.maxReplicas ?? 5);
      } else {
        expect(spec.replicas).toBe(options.replicas);
      }
    });

    it(`${variant}: the YAML (one file, or one per object) parses back to the objects`, () => {
      const m = k8sManifests(options);
      const docs = parseAllDocuments(m.yaml);
      expect(Array.isArray(docs)).toBe(true);
      expect((docs as { toJSON(): unknown }[]).map((d) => d.toJSON())).toEqual(
        JSON.parse(JSON.stringify(m.objects)),
      );
      expect(m.yaml).not.toMatch(/[&*]a\d/); // no YAML anchors: plain for kubectl and reviewers
      expect(m.files.map((f) => f.name)).toEqual(
        ['deployment', 'service', ...(m.autoscaler ? ['hpa'] : [])].map(
          (k) => `${m.name}-${k}.yaml`,
        ),
      );
      const fromFiles = m.files.map((f) => parseAllDocuments(f.content) as { toJSON(): unknown }[]);
      expect(fromFiles.map((d) => d.map((x) => x.toJSON()))).toEqual(
        m.objects.map((o) => [JSON.parse(JSON.stringify(o))]),
      );
    });
  }

  it('takes the token from a Secret and never writes it in clear', () => {
    const m = k8sManifests(VARIANTS['everything']!);
    const container = new Deployment(m.deployment as unknown as IDeployment).spec!.template.spec!
      .containers[0]!;
    const env = Object.fromEntries(container.env!.map((e) => [e.name, e]));
    expect(env['MLOPS_TRACKING_TOKEN']).toEqual({
      name: 'MLOPS_TRACKING_TOKEN',
      valueFrom: { secretKeyRef: { name: 'mlops-token', key: 'token' } },
    });
    expect(env['MLOPS_TRACKING_URI']?.value).toBe('http://tracking.ml:5000');
    expect(env['MLOPS_ARTIFACT_URI']?.value).toBe('s3://models/artifacts');
    expect(env['AWS_REGION']?.value).toBe('eu-west-1');
    expect(container.envFrom).toEqual([{ secretRef: { name: 's3-credentials' } }]);
    // runAsNonRoot needs a numeric user to check against
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
  });

  it('derives the name from the model URI', () => {
    expect(k8sManifests({ ...BASE, modelUri: 'models:/Goog_LSTM@champion' }).name).toBe(
      'goog-lstm-champion',
    );
    expect(k8sManifests({ ...BASE, modelUri: 'models:/42-goog/3' }).name).toBe('goog-3');
  });

  it('the schema check is live: a broken object is refused', () => {
    const m = k8sManifests(BASE);
    const broken = JSON.parse(JSON.stringify(m.deployment)) as IDeployment;
    (
      broken.spec!.template.spec!.containers[0]!.ports![0] as { containerPort: unknown }
    ).containerPort = 'http';
    expect(() => new Deployment(broken).validate()).toThrow(/containerPort must be integer/);
  });
});

describe('k8sManifests refuses bad values, naming the flag', () => {
  const cases: [string, Partial<K8sOptions>, RegExp][] = [
    [
      'model URI',
      { modelUri: 'runs:/abc/model' },
      /'runs:\/abc\/model' names a run's artifacts: register it first/,
    ],
    ['model URI alias', { modelUri: 'models:/goog@' }, /Invalid model URI 'models:\/goog@'/],
    ['name with upper case', { name: 'Goog' }, /--name must be a DNS-1035 label.*'Goog'/],
    ['name starting with a digit', { name: '1goog' }, /--name must be a DNS-1035 label/],
    ['name too long', { name: 'g'.repeat(64) }, /--name .*at most 63/],
    ['underived name', { modelUri: 'models:/123/4' }, /pass --name/],
    ['namespace', { namespace: 'ML_Serving' }, /--namespace must be a DNS-1123 label/],
    ['image', { image: 'Registry/Goog Serve' }, /--image must be an image reference/],
    ['empty image', { image: '' }, /--image must be an image reference/],
    ['port', { port: 70_000 }, /--port must be a port number from 1 to 65535; got 70000/],
    ['service port', { servicePort: 0 }, /--service-port must be a port number/],
    ['replicas', { replicas: 0 }, /--replicas must be a whole number >= 1; got 0/],
    [
      'replicas with autoscaling',
      { replicas: 2, maxReplicas: 4 },
      /--replicas fixes the replica count/,
    ],
    ['min replicas', { minReplicas: 1.5 }, /--min-replicas must be a whole number/],
    [
      'max below min',
      { minReplicas: 4, maxReplicas: 3 },
      /--max-replicas 3 is below --min-replicas 4/,
    ],
    [
      'target cpu',
      { targetCpuUtilization: 0 },
      /--target-cpu must be a whole number from 1 to 1000/,
    ],
    ['cpu quantity', { cpuRequest: 'half' }, /--cpu-request must be a Kubernetes quantity: cores/],
    [
      'memory quantity',
      { memoryLimit: '1 GB' },
      /--memory-limit must be a Kubernetes quantity: bytes/,
    ],
    ['memory milli', { memoryRequest: '512m' }, /--memory-request '512m'.*did you mean '512Mi'/],
    ['zero cpu', { cpuLimit: '0' }, /--cpu-limit must be more than zero/],
    [
      'request above limit',
      { cpuRequest: '2', cpuLimit: '1500m' },
      /--cpu-request 2 is above --cpu-limit 1500m/,
    ],
    [
      'memory above limit',
      { memoryRequest: '2Gi', memoryLimit: '1G' },
      /--memory-request 2Gi is above --memory-limit 1G/,
    ],
    ['token secret', { tokenSecret: 'Token!' }, /--token-secret must name a Secret/],
    ['env secret', { envSecret: '-x' }, /--env-secret must name a Secret/],
    ['env name', { env: { '1X': 'y' } }, /--env 1X=\.\.\.: the name must be letters/],
    [
      'token in env',
      { env: { MLOPS_TRACKING_TOKEN: 't' } },
      /--env MLOPS_TRACKING_TOKEN: secrets are not written/,
    ],
    [
      'password in URI',
      { trackingUri: 'postgresql://u:secret@db/mlops' },
      /--env MLOPS_TRACKING_URI: the URI holds a password/,
    ],
    [
      'model URI in env',
      { env: { MLOPS_MODEL_URI: 'models:/x/1' } },
      /--env MLOPS_MODEL_URI: the model is the <model-uri> argument/,
    ],
    ['newline in env', { env: { A: 'x\ny' } }, /--env A: the value must be one line/],
    [
      'startup seconds',
      { startupSeconds: 1 },
      /--startup-seconds must be a whole number from 5 to 3600/,
    ],
  ];
  for (const [what, patch, message] of cases) {
    it(what, () => {
      let thrown: unknown;
      try {
        k8sManifests({ ...BASE, ...patch });
      } catch (err) {
        thrown = err;
      }
      expect(MlopsError.is(thrown), String(thrown)).toBe(true);
      expect((thrown as MlopsError).code).toBe('INVALID_PARAMETER_VALUE');
      expect((thrown as MlopsError).message).toMatch(message);
    });
  }

  it('accepts the quantity forms Kubernetes does', () => {
    for (const [cpu, memory] of [
      ['100m', '128974848'],
      ['0.5', '129e6'],
      ['1', '129M'],
      ['2', '123Mi'],
      ['.5', '1Gi'],
    ] as const) {
      const m = k8sManifests({
        ...BASE,
        cpuRequest: cpu,
        cpuLimit: '2',
        memoryRequest: memory,
        memoryLimit: '2Gi',
      });
      validated(m);
    }
  });
});

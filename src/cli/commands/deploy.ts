import { Command, InvalidArgumentError } from 'commander';
import { printJson } from '../output.js';

interface DockerFlags {
  out: string;
  port: number;
  env?: string[];
  force?: boolean;
  json?: boolean;
}

interface K8sFlags {
  image: string;
  name?: string;
  namespace?: string;
  port: number;
  servicePort: number;
  replicas?: number;
  minReplicas?: number;
  maxReplicas?: number;
  targetCpu?: number;
  startupSeconds?: number;
  cpuRequest?: string;
  cpuLimit?: string;
  memoryRequest?: string;
  memoryLimit?: string;
  env?: string[];
  tokenSecret?: string;
  envSecret?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

function wholeNumber(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) {
      throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}.`);
    }
    return n;
  };
}

/** Repeatable `--env KEY=VALUE`. */
function envPair(value: string, previous: string[] = []): string[] {
  if (value.indexOf('=') <= 0) throw new InvalidArgumentError('expected KEY=VALUE.');
  return [...previous, value];
}

function envRecord(pairs: readonly string[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (pairs ?? []).map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]),
  );
}

/** `undefined` values left out, for options typed with exactOptionalPropertyTypes. */
function defined<T extends Record<string, unknown>>(
  o: T,
): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as {
    [K in keyof T]?: Exclude<T[K], undefined>;
  };
}

const ENV_HELP =
  'environment for the server, repeatable: MLOPS_TRACKING_URI=http://tracking:5000, MLOPS_ARTIFACT_URI=s3://bucket/prefix (no secrets: they come at run time)';

function dockerCommand(): Command {
  return new Command('docker')
    .description('Write a Dockerfile and .dockerignore for a prediction server of <model-uri>')
    .argument(
      '<model-uri>',
      'models:/<name>@<alias>, models:/<name>/<version> or models:/<name>/latest',
    )
    .option('--out <dir>', 'directory to write Dockerfile and .dockerignore into', '.')
    .option(
      '--port <port>',
      'port the server listens on in the container',
      wholeNumber(1, 65_535),
      8080,
    )
    .option('--env <KEY=VALUE>', ENV_HELP, envPair)
    .option('--force', 'replace existing files')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `
The image holds mlops, not the model: \`mlops serve\` loads the model at start from
MLOPS_TRACKING_URI, so a new champion needs no rebuild. Build context: this mlops package (printed).

Examples:
  mlops deploy docker models:/goog-lstm@champion --out deploy
  mlops deploy docker models:/goog-lstm/3 --env MLOPS_TRACKING_URI=http://tracking:5000`,
    )
    .action(async (modelUri: string, opts: DockerFlags) => {
      const { deployDockerJob } = await import('../../app/index.js');
      const report = await deployDockerJob({
        modelUri,
        out: opts.out,
        port: opts.port,
        env: envRecord(opts.env),
        force: opts.force ?? false,
      });
      if (opts.json) return printJson(report);
      const out = process.stdout;
      for (const file of report.files) out.write(`Wrote ${file}\n`);
      for (const warning of report.warnings) out.write(`note: ${warning}\n`);
      out.write(`\nNext:\n  ${report.buildCommand}\n`);
      out.write(
        `  docker run -p ${opts.port}:${opts.port} -e MLOPS_TRACKING_URI=... -e MLOPS_TRACKING_TOKEN=... ${report.tag}\n`,
      );
      out.write(`  mlops deploy k8s ${modelUri} --image <registry>/${report.tag}:<tag>\n`);
    });
}

function k8sCommand(): Command {
  const count = wholeNumber(1, 10_000);
  return new Command('k8s')
    .description(
      'Write Kubernetes manifests for a prediction server of <model-uri>: Deployment (probes on /ready and /health), Service, HorizontalPodAutoscaler',
    )
    .argument(
      '<model-uri>',
      'models:/<name>@<alias>, models:/<name>/<version> or models:/<name>/latest',
    )
    .requiredOption(
      '--image <image>',
      'the image `mlops deploy docker` built, pushed to a registry',
    )
    .option('--name <name>', 'Deployment, Service and autoscaler name (default: from <model-uri>)')
    .option(
      '--namespace <ns>',
      "namespace of every object (default: the current kubectl context's)",
    )
    .option('--port <port>', 'container port', wholeNumber(1, 65_535), 8080)
    .option('--service-port <port>', 'Service port', wholeNumber(1, 65_535), 80)
    .option('--replicas <n>', 'a fixed replica count and no autoscaler', count)
    .option('--min-replicas <n>', 'autoscaler minimum (default 2)', count)
    .option(
      '--max-replicas <n>',
      'autoscaler maximum (default 5, or --min-replicas when higher)',
      count,
    )
    .option(
      '--target-cpu <percent>',
      'autoscaler target: average CPU, % of the request (default 70)',
      wholeNumber(1, 1000),
    )
    .option(
      '--startup-seconds <s>',
      'how long a starting pod may take to answer /health before it is restarted (default 120)',
      wholeNumber(5, 3600),
    )
    .option('--cpu-request <q>', 'CPU request (default 500m)')
    .option('--cpu-limit <q>', 'CPU limit (default 1)')
    .option('--memory-request <q>', 'memory request (default 512Mi)')
    .option('--memory-limit <q>', 'memory limit (default 1Gi)')
    .option('--env <KEY=VALUE>', ENV_HELP, envPair)
    .option('--token-secret <name>', "Secret whose 'token' key becomes MLOPS_TRACKING_TOKEN")
    .option(
      '--env-secret <name>',
      'Secret whose keys all become environment variables (S3 keys, a database URI with its password)',
    )
    .option(
      '--out <file|dir>',
      'a .yaml file for all objects, or a directory for one file each (default: print)',
    )
    .option('--force', 'replace existing files')
    .option('--json', 'print the objects as JSON')
    .addHelpText(
      'after',
      `
Examples:
  mlops deploy k8s models:/goog-lstm@champion --image registry.example.com/goog-serve:1.0 \\
    --env MLOPS_TRACKING_URI=http://tracking.mlops:5000 --token-secret mlops-token --out k8s/
  mlops deploy k8s models:/goog-lstm@champion --image goog-serve:1.0 --replicas 1 | kubectl apply -f -`,
    )
    .action(async (modelUri: string, opts: K8sFlags) => {
      const { deployK8sJob } = await import('../../app/index.js');
      const report = await deployK8sJob({
        modelUri,
        image: opts.image,
        port: opts.port,
        servicePort: opts.servicePort,
        env: envRecord(opts.env),
        force: opts.force ?? false,
        ...defined({
          name: opts.name,
          namespace: opts.namespace,
          replicas: opts.replicas,
          minReplicas: opts.minReplicas,
          maxReplicas: opts.maxReplicas,
          targetCpuUtilization: opts.targetCpu,
          startupSeconds: opts.startupSeconds,
          cpuRequest: opts.cpuRequest,
          cpuLimit: opts.cpuLimit,
          memoryRequest: opts.memoryRequest,
          memoryLimit: opts.memoryLimit,
          tokenSecret: opts.tokenSecret,
          envSecret: opts.envSecret,
          out: opts.out,
        }),
      });
      if (opts.json) return printJson({ files: report.files, objects: report.manifests.objects });
      if (report.files.length === 0) return void process.stdout.write(report.manifests.yaml);
      for (const file of report.files) process.stdout.write(`Wrote ${file}\n`);
      process.stdout.write(`\nNext:\n  kubectl apply -f ${opts.out ?? ''}\n`);
      process.stdout.write(
        `  kubectl rollout status deployment/${report.manifests.name}${opts.namespace ? ` -n ${opts.namespace}` : ''}\n`,
      );
    });
}

export function deployCommand(): Command {
  return new Command('deploy')
    .description(
      'Write deployment files for a prediction server: a Dockerfile, Kubernetes manifests',
    )
    .addCommand(dockerCommand())
    .addCommand(k8sCommand());
}

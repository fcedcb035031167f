import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative, resolve } from 'node:path';
import { packageRoot } from '../../core/index.js';
import { DOCKERIGNORE, dockerfile, type DockerfileOptions } from './dockerfile.js';
import { defaultName, k8sManifests, type K8sManifests, type K8sOptions } from './k8s-manifests.js';
import { writeDeployFiles } from './write-deploy-files.js';

export interface DeployDockerJob extends Omit<DockerfileOptions, 'mlopsVersion'> {
  /** Directory for Dockerfile and .dockerignore (default: the working directory). */
  readonly out?: string;
  readonly force?: boolean;
}

export interface DeployDockerReport {
  /** Absolute paths written: Dockerfile, .dockerignore. */
  readonly files: readonly string[];
  /** The build context the Dockerfile expects: this mlops install's package root. */
  readonly context: string;
  readonly tag: string;
  /** `docker build ...` for this Dockerfile and context, paths relative to the working directory. */
  readonly buildCommand: string;
  /** Things to fix before `docker build` works (e.g. dist/ not built). */
  readonly warnings: readonly string[];
}

/** `mlops deploy docker`: writes a Dockerfile and .dockerignore for this install's package. */
export async function deployDockerJob(job: DeployDockerJob): Promise<DeployDockerReport> {
  const context = packageRoot();
  const text = dockerfile({ ...job, mlopsVersion: mlopsVersion(context) });
  const dir = resolve(job.out ?? '.');
  const files = await writeDeployFiles(
    [
      { path: join(dir, 'Dockerfile'), content: text },
      { path: join(dir, '.dockerignore'), content: DOCKERIGNORE },
    ],
    { force: job.force ?? false },
  );
  const tag = defaultName(job.modelUri) || 'mlops-serve';
  // Relative when below the working directory, else absolute: never a run of '../'.
  const rel = (p: string) => {
    const r = relative(process.cwd(), p);
    return r === '' ? '.' : r.startsWith('..') ? p : r;
  };
  const buildCommand =
    dir === context
      ? `docker build -t ${tag} ${rel(context)}`
      : `docker build -f ${rel(join(dir, 'Dockerfile'))} -t ${tag} ${rel(context)}`;
  const warnings: string[] = [];
  if (!existsSync(join(context, 'dist', 'cli', 'main.js'))) {
    warnings.push(
      `${context} has no built dist/: run \`npm run build\` there before docker build.`,
    );
  }
  if (dir !== context) {
    warnings.push(
      `.dockerignore takes effect at the root of the build context (${context}); there it keeps node_modules/ and the rest out of the upload.`,
    );
  }
  return { files, context, tag, buildCommand, warnings };
}

export interface DeployK8sJob extends Omit<K8sOptions, 'mlopsVersion'> {
  /**
   * A `.yaml`/`.yml` file for all objects in one, or a directory for one file per object;
   * without it nothing is written (the CLI prints the YAML).
   */
  readonly out?: string;
  readonly force?: boolean;
}

export interface DeployK8sReport {
  readonly manifests: K8sManifests;
  /** Absolute paths written (none without `out`). */
  readonly files: readonly string[];
}

/** `mlops deploy k8s`: Deployment, Service and autoscaler for a model, as YAML. */
export async function deployK8sJob(job: DeployK8sJob): Promise<DeployK8sReport> {
  const manifests = k8sManifests({ ...job, mlopsVersion: mlopsVersion(packageRoot()) });
  if (job.out === undefined) return { manifests, files: [] };
  const out = resolve(job.out);
  const isDir = existsSync(out)
    ? statSync(out).isDirectory()
    : !['.yaml', '.yml'].includes(extname(out).toLowerCase());
  const files = isDir
    ? manifests.files.map((f) => ({ path: join(out, f.name), content: f.content }))
    : [{ path: out, content: manifests.yaml }];
  return { manifests, files: await writeDeployFiles(files, { force: job.force ?? false }) };
}

function mlopsVersion(root: string): string | undefined {
  try {
    const version = (
      JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
        version?: unknown;
      }
    ).version;
    return typeof version === 'string' ? version : undefined;
  } catch {
    return undefined;
  }
}

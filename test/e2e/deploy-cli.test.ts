import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import {
  HorizontalPodAutoscaler,
  type IHorizontalPodAutoscaler,
} from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { type IService, Service } from 'kubernetes-models/v1/Service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { mlops, REPO_ROOT, tempWorkspace } from './cli-harness.js';

const URI = 'models:/goog@champion';
const IMAGE = 'registry.example.com/team/goog-serve:1.0';

let ws: string;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ dir: ws, cleanup } = await tempWorkspace());
});
afterAll(() => cleanup());

/** The instruction lines of a Dockerfile (continuations joined, comments dropped). */
function instructions(text: string): string[] {
  return text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
}

function cmdOf(dockerfile: string): string[] {
  const cmd = instructions(dockerfile).filter((l) => l.startsWith('CMD '));
  expect(cmd).toHaveLength(1);
  return JSON.parse(cmd[0]!.slice(4)) as string[];
}

function validate(doc: { kind: string }): void {
  if (doc.kind === 'Deployment') new Deployment(doc as IDeployment).validate();
  else if (doc.kind === 'Service') new Service(doc as IService).validate();
  else if (doc.kind === 'HorizontalPodAutoscaler') {
    new HorizontalPodAutoscaler(doc as IHorizontalPodAutoscaler).validate();
  } else throw new Error(`unexpected kind ${doc.kind}`);
}

function docsOf(yaml: string): { kind: string; [key: string]: unknown }[] {
  return parseAllDocuments(yaml as string).map((d) => d.toJSON() as { kind: string });
}

describe('mlops deploy docker', () => {
  let out: string;
  let dockerfile: string;
  const port = 9090;
  beforeAll(async () => {
    out = join(ws, 'docker');
    const r = await mlops(ws, 'deploy', 'docker', URI, '--out', out, '--port', String(port));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`Wrote ${join(out, 'Dockerfile')}`);
    expect(r.stdout).toContain(`Wrote ${join(out, '.dockerignore')}`);
    expect(r.stdout).toMatch(
      new RegExp(`docker build -f \\S*Dockerfile -t goog-champion ${REPO_ROOT}`),
    );
    dockerfile = await readFile(join(out, 'Dockerfile'), 'utf8');
  });

  it('writes a Dockerfile whose COPY sources exist in the package it builds from', async () => {
    expect(await readdir(out)).toEqual(expect.arrayContaining(['Dockerfile', '.dockerignore']));
    const copies = instructions(dockerfile).filter((l) => /^COPY (?!--from)/.test(l));
    for (const line of copies) {
      for (const source of line.split(/\s+/).slice(1, -1)) {
        if (source.endsWith('*')) continue; // optional (package-lock.json*)
        expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
      }
    }
    expect(instructions(dockerfile)).toContain(`EXPOSE ${port}`);
  });

  it('refuses to overwrite without --force', async () => {
    const again = await mlops(ws, 'deploy', 'docker', URI, '--out', out);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain(`${join(out, 'Dockerfile')} already exists; pass --force`);
    const forced = await mlops(
      ws,
      'deploy',
      'docker',
      URI,
      '--out',
      out,
      '--port',
      String(port),
      '--force',
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(await readFile(join(out, 'Dockerfile'), 'utf8')).toBe(dockerfile);
  });

  it('gives clear errors for bad input', async () => {
    const run = await mlops(ws, 'deploy', 'docker', 'runs:/abc/model', '--out', join(ws, 'x'));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("'runs:/abc/model' names a run's artifacts");
    const badPort = await mlops(ws, 'deploy', 'docker', URI, '--port', '0');
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(
      /--port.*'0' is invalid\. expected a whole number from 1 to 65535/,
    );
    const secret = await mlops(ws, 'deploy', 'docker', URI, '--env', 'MLOPS_TRACKING_TOKEN=t');
    expect(secret.code).toBe(2);
    expect(secret.stderr).toContain('--env MLOPS_TRACKING_TOKEN: secrets are not written');
    expect(existsSync(join(ws, 'x'))).toBe(false);
  });
});

describe('mlops deploy k8s', () => {
  it('prints Deployment, Service and autoscaler that pass the Kubernetes schema', async () => {
    const r = await mlops(
      ws,
      'deploy',
      'k8s',
      URI,
      '--image',
      IMAGE,
      '--namespace',
      'ml',
      '--token-secret',
      'mlops-token',
      '--env',
      'MLOPS_TRACKING_URI=http://tracking.ml:5000',
    );
    expect(r.code, r.stderr).toBe(0);
    const docs = docsOf(r.stdout);
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service', 'HorizontalPodAutoscaler']);
    for (const doc of docs) validate(doc);
    const deployment = new Deployment(docs[0] as unknown as IDeployment);
    const container = deployment.spec!.template.spec!.containers[0]!;
    expect(container.image).toBe(IMAGE);
    expect(container.readinessProbe?.httpGet?.path).toBe('/ready');
    expect(container.livenessProbe?.httpGet?.path).toBe('/health');
    expect(container.env).toContainEqual({
      name: 'MLOPS_TRACKING_TOKEN',
      valueFrom: { secretKeyRef: { name: 'mlops-token', key: 'token' } },
    });
    // The same command as the Dockerfile's CMD for the same model and port.
    const docker = await mlops(ws, 'deploy', 'docker', URI, '--out', join(ws, 'docker-8080'));
    expect(docker.code, docker.stderr).toBe(0);
    expect(container.args).toEqual(
      cmdOf(await readFile(join(ws, 'docker-8080', 'Dockerfile'), 'utf8')),
    );
  });

  it('writes one file per object into a directory, or all into one .yaml file', async () => {
    const dir = join(ws, 'k8s');
    const r = await mlops(ws, 'deploy', 'k8s', URI, '--image', IMAGE, '--out', dir);
    expect(r.code, r.stderr).toBe(0);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([
      'goog-champion-deployment.yaml',
      'goog-champion-hpa.yaml',
      'goog-champion-service.yaml',
    ]);
    for (const f of files)
      for (const doc of docsOf(await readFile(join(dir, f), 'utf8'))) validate(doc);
    expect(r.stdout).toContain(`kubectl apply -f ${dir}`);

    const file = join(ws, 'serve.yaml');
    const one = await mlops(
      ws,
      'deploy',
      'k8s',
      URI,
      '--image',
      IMAGE,
      '--replicas',
      '2',
      '--out',
      file,
    );
    expect(one.code, one.stderr).toBe(0);
    const docs = docsOf(await readFile(file, 'utf8'));
    expect(docs.map((d) => d.kind)).toEqual(['Deployment', 'Service']);
    for (const doc of docs) validate(doc);

    const again = await mlops(ws, 'deploy', 'k8s', URI, '--image', IMAGE, '--out', dir);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('already exists; pass --force');
    const forced = await mlops(ws, 'deploy', 'k8s', URI, '--image', IMAGE, '--out', dir, '--force');
    expect(forced.code, forced.stderr).toBe(0);
  });

  it('names the flag in every refusal and writes nothing', async () => {
    const out = join(ws, 'refused');
    const cases: [string[], RegExp][] = [
      [[], /required option '--image <image>' not specified/],
      [['--image', IMAGE, '--name', 'Goog_Serve'], /--name must be a DNS-1035 label/],
      [['--image', IMAGE, '--cpu-request', '2'], /--cpu-request 2 is above --cpu-limit 1/],
      [['--image', IMAGE, '--memory-limit', '1GB'], /--memory-limit must be a Kubernetes quantity/],
      [['--image', IMAGE, '--replicas', 'two'], /--replicas.*'two' is invalid/],
      [
        ['--image', IMAGE, '--min-replicas', '4', '--max-replicas', '2'],
        /--max-replicas 2 is below --min-replicas 4/,
      ],
      [['--image', 'Bad Image'], /--image must be an image reference/],
      [['--image', IMAGE, '--env', 'NOEQUALS'], /--env.*expected KEY=VALUE/],
    ];
    for (const [args, message] of cases) {
      const r = await mlops(ws, 'deploy', 'k8s', URI, ...args, '--out', out);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    expect(existsSync(out)).toBe(false);
  });
});

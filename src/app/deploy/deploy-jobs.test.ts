import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { MlopsError, packageRoot } from '../../core/index.js';
import { deployDockerJob, deployK8sJob } from './deploy-jobs.js';
import { writeDeployFiles } from './write-deploy-files.js';

const URI = 'models:/goog-lstm@champion';
const IMAGE = 'registry.example.com/goog-serve:1.0';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mlops-deploy-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function rejection(promise: Promise<unknown>): Promise<MlopsError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(MlopsError.is(err), String(err)).toBe(true);
  return err as MlopsError;
}

describe('writeDeployFiles', () => {
  it('writes every file, creating directories, and leaves no temp files', async () => {
    const written = await writeDeployFiles([
      { path: join(dir, 'a', 'one.yaml'), content: '1' },
      { path: join(dir, 'two.yaml'), content: '2' },
    ]);
    expect(written).toEqual([join(dir, 'a', 'one.yaml'), join(dir, 'two.yaml')]);
    expect(await readFile(join(dir, 'a', 'one.yaml'), 'utf8')).toBe('1');
    expect((await readdir(dir)).sort()).toEqual(['a', 'two.yaml']);
    expect(await readdir(join(dir, 'a'))).toEqual(['one.yaml']);
  });

  it('refuses to overwrite and then writes nothing at all', async () => {
    await writeFile(join(dir, 'two.yaml'), 'mine');
    const err = await rejection(
      writeDeployFiles([
        { path: join(dir, 'one.yaml'), content: '1' },
        { path: join(dir, 'two.yaml'), content: '2' },
      ]),
    );
    expect(err.code).toBe('RESOURCE_ALREADY_EXISTS');
    expect(err.message).toContain(`${join(dir, 'two.yaml')} already exists; pass --force`);
    expect(await readFile(join(dir, 'two.yaml'), 'utf8')).toBe('mine');
    expect(await readdir(dir)).toEqual(['two.yaml']);
  });

  it('replaces existing files with force', async () => {
    await writeFile(join(dir, 'one.yaml'), 'old');
    await writeDeployFiles([{ path: join(dir, 'one.yaml'), content: 'new' }], { force: true });
    expect(await readFile(join(dir, 'one.yaml'), 'utf8')).toBe('new');
    expect(await readdir(dir)).toEqual(['one.yaml']);
  });

  it('reports an unwritable target as an I/O error naming it', async () => {
    await writeFile(join(dir, 'file'), 'x');
    const err = await rejection(
      writeDeployFiles([{ path: join(dir, 'file', 'under-a-file.yaml'), content: '1' }]),
    );
    expect(err.code).toBe('IO_ERROR');
    expect(err.message).toContain(join(dir, 'file'));
  });
});

describe('deployDockerJob', () => {
  it('writes Dockerfile and .dockerignore and names the package root as the build context', async () => {
    const report = await deployDockerJob({ modelUri: URI, out: join(dir, 'docker') });
    expect(report.files).toEqual([
      join(dir, 'docker', 'Dockerfile'),
      join(dir, 'docker', '.dockerignore'),
    ]);
    expect(report.context).toBe(packageRoot());
    expect(report.tag).toBe('goog-lstm-champion');
    expect(report.buildCommand).toMatch(
      /^docker build -f \S+Dockerfile -t goog-lstm-champion \S+$/,
    );
    expect(
      report.buildCommand.endsWith(` ${packageRoot()}`) || report.buildCommand.endsWith(' .'),
    ).toBe(true);
    const text = await readFile(report.files[0]!, 'utf8');
    expect(text).toMatch(
      /^# Prediction server for models:\/goog-lstm@champion, written by `mlops deploy docker` \(mlops \d+\.\d+\.\d+\)/,
    );
    const again = await rejection(deployDockerJob({ modelUri: URI, out: join(dir, 'docker') }));
    expect(again.code).toBe('RESOURCE_ALREADY_EXISTS');
    await deployDockerJob({ modelUri: URI, out: join(dir, 'docker'), port: 9000, force: true });
    expect(await readFile(report.files[0]!, 'utf8')).toContain('EXPOSE 9000');
  });

  it('writes nothing for a bad model URI', async () => {
    const err = await rejection(deployDockerJob({ modelUri: 'runs:/abc/model', out: dir }));
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('deployK8sJob', () => {
  it('returns the YAML without writing when there is no out', async () => {
    const report = await deployK8sJob({ modelUri: URI, image: IMAGE });
    expect(report.files).toEqual([]);
    expect(parseAllDocuments(report.manifests.yaml)).toHaveLength(3);
  });

  it('writes one multi-document file for a .yaml out', async () => {
    const out = join(dir, 'k8s', 'serve.yaml');
    const report = await deployK8sJob({ modelUri: URI, image: IMAGE, out });
    expect(report.files).toEqual([out]);
    expect(await readFile(out, 'utf8')).toBe(report.manifests.yaml);
  });

  it('writes one file per object into a directory out (existing or not)', async () => {
    const report = await deployK8sJob({ modelUri: URI, image: IMAGE, out: join(dir, 'k8s') });
    expect((await readdir(join(dir, 'k8s'))).sort()).toEqual([
      'goog-lstm-champion-deployment.yaml',
      'goog-lstm-champion-hpa.yaml',
      'goog-lstm-champion-service.yaml',
    ]);
    await mkdir(join(dir, 'existing.yaml'));
    const inDir = await deployK8sJob({
      modelUri: URI,
      image: IMAGE,
      replicas: 2,
      out: join(dir, 'existing.yaml'),
    });
    expect(inDir.files.map((f) => f.slice(dir.length + 1))).toEqual([
      'existing.yaml/goog-lstm-champion-deployment.yaml',
      'existing.yaml/goog-lstm-champion-service.yaml',
    ]);
    expect(report.files).toHaveLength(3);
  });

  it('refuses bad flags before writing anything', async () => {
    const err = await rejection(
      deployK8sJob({ modelUri: URI, image: IMAGE, cpuRequest: '2', out: join(dir, 'k8s') }),
    );
    expect(err.message).toMatch(/--cpu-request 2 is above --cpu-limit 1/);
    expect(existsSync(join(dir, 'k8s'))).toBe(false);
  });
});

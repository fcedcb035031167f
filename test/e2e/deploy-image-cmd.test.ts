import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, forecastTrain, openRegistry, registerModel } from '../../src/app/index.js';
import { mlops, REPO_ROOT, tempWorkspace } from './cli-harness.js';

/**
 * No Docker engine runs here, so the image's start command is checked by running it: the
 * Dockerfile's CMD, from the package root (the image's WORKDIR holds the same files), against a
 * store with a registered model.
 */

const URI = 'models:/goog@champion';

let ws: string;
let cleanup: () => Promise<void>;
let dockerfile: string;
let port: number;
beforeAll(async () => {
  ({ dir: ws, cleanup } = await tempWorkspace());
  port = await freePort();
  const r = await mlops(ws, 'deploy', 'docker', URI, '--port', String(port));
  expect(r.code, r.stderr).toBe(0);
  dockerfile = await readFile(join(ws, 'Dockerfile'), 'utf8');
});
afterAll(() => cleanup());

/** The Dockerfile's CMD (exec form) as an argv. */
function cmdOf(text: string): string[] {
  const cmd = text.split('\n').filter((l) => l.startsWith('CMD '));
  expect(cmd).toHaveLength(1);
  return JSON.parse(cmd[0]!.slice(4)) as string[];
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

describe("the Dockerfile's CMD", () => {
  it('is `mlops serve` with flags that command knows', async () => {
    const cmd = cmdOf(dockerfile);
    expect(cmd.slice(0, 4)).toEqual(['node', 'bin/mlops.js', 'serve', URI]);
    // The image's WORKDIR holds the package as REPO_ROOT does: run the same script from there.
    const help = await runCmd(['node', 'bin/mlops.js', 'serve', '--help'], {});
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/Usage: mlops serve \[options\] <model-uri>/);
    for (const flag of cmd.filter((a) => a.startsWith('--'))) {
      expect(help.stdout).toContain(`${flag} <`);
    }
  });

  it('run from the package root, serves a registered model: /health, /ready, /predict', async () => {
    const store = await registeredModel(join(ws, 'store'));
    const child = spawn(process.execPath, cmdOf(dockerfile).slice(1), {
      cwd: REPO_ROOT,
      env: { ...process.env, ...store },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collect(child);
    try {
      const base = `http://127.0.0.1:${port}`;
      let exited: number | null | undefined;
      child.once('exit', (code) => (exited = code));
      await until(async () => {
        if (exited !== undefined) throw new Error(`exited with ${exited}:\n${output()}`);
        return (await fetch(`${base}/ready`).catch(() => undefined))?.status === 200;
      }, output);
      expect((await fetch(`${base}/health`)).status).toBe(200);
      const res = await fetch(`${base}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ prices: Array.from({ length: 30 }, (_, i) => 100 + i) }),
      });
      const body = (await res.json()) as { predictions: { value: number }[]; model: unknown };
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(body.model).toMatchObject({ name: 'goog', version: '1' });
      expect(body.predictions[0]?.value).toBeCloseTo(129, 3); // persistence: the last close
      expect((await fetch(`${base}/metrics`)).status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('close', r));
    }
  }, 120_000);
});

/** A workspace store with `goog` version 1 (persistence, window 10) as @champion. */
async function registeredModel(dir: string): Promise<Record<string, string>> {
  await mkdir(join(dir, '.mlops'), { recursive: true });
  const data = join(dir, 'prices.csv');
  await writeFile(data, priceCsv(200));
  const client = await connect(undefined, { cwd: dir });
  try {
    const registry = await openRegistry(client);
    const trained = await forecastTrain(client, {
      data,
      model: 'persistence',
      params: { window: '10' },
    });
    await registerModel(
      { client, registry, cwd: dir },
      { source: `runs:/${trained.runId}/model`, name: 'goog' },
    );
    await registry.setAlias('goog', 'champion', '1');
  } finally {
    await client.close();
  }
  return {
    MLOPS_TRACKING_URI: `sqlite:${join(dir, '.mlops', 'mlops.db')}`,
    MLOPS_ARTIFACT_URI: join(dir, '.mlops', 'blobs'),
  };
}

/** A contract-clean daily series of `n` weekday rows from 2020-01-02. */
function priceCsv(n: number): string {
  const out = ['Date,Open,High,Low,Close,Adj Close,Volume'];
  const day = new Date(Date.UTC(2020, 0, 2));
  for (let i = 0; i < n; i++) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    const close = 100 + 10 * Math.sin(i / 7) + i * 0.05;
    const row = [close - 0.5, close + 1, close - 1, close, close, 1_000_000 + i];
    out.push([day.toISOString().slice(0, 10), ...row.map((v) => v.toFixed(4))].join(','));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return `${out.join('\n')}\n`;
}

/** Runs a container-style argv (`node ...`) from the package root to completion. */
function runCmd(argv: string[], env: Record<string, string>) {
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, argv.slice(1), {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const output = collect(child);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, ...output.parts() }));
  });
}

function collect(child: ChildProcess) {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return Object.assign(() => `stdout: ${stdout}\nstderr: ${stderr}`, {
    parts: () => ({ stdout, stderr }),
  });
}

async function until(check: () => Promise<boolean>, what: () => string): Promise<void> {
  const deadline = Date.now() + 45_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`server never became ready:\n${what()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

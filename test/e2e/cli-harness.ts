import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const CLI = join(REPO_ROOT, 'bin', 'mlops.js');
/** The built SDK, as a URL child scripts can import. */
export const DIST_INDEX = pathToFileURL(join(REPO_ROOT, 'dist', 'index.js')).href;

export interface Result {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a node process to completion and collects its output; an `undefined` in `env` unsets. */
export function runNode(
  args: readonly string[],
  cwd: string,
  env: Record<string, string | undefined> = {},
): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, {
      cwd,
      env: { ...process.env, MLOPS_TRACKING_URI: '', MLOPS_ARTIFACT_URI: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

/** Runs the built `mlops` CLI in `cwd`. */
export function mlops(cwd: string, ...args: string[]): Promise<Result> {
  return runNode([CLI, ...args], cwd);
}

/** A temporary workspace directory, removed by the returned cleanup. */
export async function tempWorkspace(): Promise<{ dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mlops-e2e-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

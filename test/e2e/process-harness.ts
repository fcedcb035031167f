// Helpers for e2e tests that run long-lived CLI processes side by side (`mlops worker`, a
// coordinating `mlops repro`): spawn with output collected as it arrives, wait for a condition,
// find Redis (or skip) and drop a queue's Redis keys (re-exported from src/testing).
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readlink } from 'node:fs/promises';
import { sep } from 'node:path';
import { CLI } from './cli-harness.js';

export {
  dropRedisKeys,
  redisUnavailable,
  REDIS_TEST_URL as REDIS_URL,
} from '../../src/testing/index.js';

/** A running `mlops` process and everything it printed so far. */
export interface CliProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  stdout: string;
  stderr: string;
  /** Set once it exited. */
  exit?: { code: number | null; signal: NodeJS.Signals | null };
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Starts the built CLI with `args` in `cwd`; `env` goes over this process's environment. */
export function startCli(
  args: readonly string[],
  cwd: string,
  env: Record<string, string>,
): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid === undefined) throw new Error(`could not start mlops ${args.join(' ')}`);
  const proc: CliProcess = {
    child,
    pid: child.pid,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) =>
      child.on('exit', (code, signal) => {
        proc.exit = { code, signal };
        resolve({ code, signal });
      }),
    ),
  };
  child.stdout?.on('data', (d: Buffer) => (proc.stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (proc.stderr += d.toString()));
  return proc;
}

/** Resolves once `check()` holds (polling every 50 ms); fails after `timeoutMs` with `what()`. */
export async function until(
  check: () => boolean,
  what: () => string,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * SIGKILLs every process whose working directory is under `dir` (Linux `/proc`; elsewhere a
 * no-op): what a SIGKILLed worker leaves running, its stage commands in their own process groups.
 * Returns the pids it killed.
 */
export async function killProcessesUnder(dir: string): Promise<number[]> {
  let pids: string[];
  try {
    pids = (await readdir('/proc')).filter((name) => /^\d+$/.test(name));
  } catch {
    return [];
  }
  const killed: number[] = [];
  for (const pid of pids) {
    const cwd = await readlink(`/proc/${pid}/cwd`).catch(() => undefined);
    if (cwd === undefined || (cwd !== dir && !cwd.startsWith(dir + sep))) continue;
    try {
      process.kill(Number(pid), 'SIGKILL');
      killed.push(Number(pid));
    } catch {
      // gone already
    }
  }
  return killed;
}

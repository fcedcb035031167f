// Helpers for e2e tests that run long-lived CLI processes side by side (`mlops worker`, a
// coordinating `mlops repro`): spawn with output collected as it arrives, wait for a condition,
// find Redis (or skip), drop a queue's Redis keys.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdir, readlink } from 'node:fs/promises';
import { sep } from 'node:path';
import { Redis } from 'ioredis';
import { CLI } from './cli-harness.js';

/** The Redis the queue tests use (`MLOPS_TEST_REDIS_URL`). */
export const REDIS_URL = process.env['MLOPS_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/**
 * Resolves to undefined when Redis answers at `REDIS_URL`, else to the reason it does not (for
 * `describe.skipIf`); with MLOPS_REQUIRE_REDIS=1 an unreachable Redis is an error instead.
 */
export async function redisUnavailable(): Promise<string | undefined> {
  const client = new Redis(REDIS_URL, {
    lazyConnect: true,
    connectTimeout: 3_000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  let first: Error | undefined;
  client.on('error', (err: Error) => (first ??= err));
  try {
    await client.connect();
    await client.ping();
    return undefined;
  } catch (err) {
    const reason = `Redis at ${REDIS_URL} is unreachable (${(first ?? (err as Error)).message}); set MLOPS_TEST_REDIS_URL`;
    if (process.env['MLOPS_REQUIRE_REDIS'] === '1') throw new Error(reason);
    console.warn(`skipping Redis tests: ${reason}`);
    return reason;
  } finally {
    if (client.status !== 'end') client.disconnect();
  }
}

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

/** Deletes the Redis keys matching `pattern` (a queue's: `mlops:<queue>:*`). */
export async function dropRedisKeys(pattern: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    await redis.quit();
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

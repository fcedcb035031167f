// Helpers for server-remote-*.test.ts: the built `mlops server` as a child process on a free port
// (stopped with SIGTERM, as an operator would), the CLI run against it as a client, and a small
// daily-price CSV for `mlops forecast train` (the CLI command that creates runs and logs artifacts).
import { spawn } from 'node:child_process';
import { CLI, runNode, type Result } from './cli-harness.js';
import { startCli, until, type CliProcess } from './process-harness.js';

export interface ServerProcess {
  /** `http://127.0.0.1:<port>`, as the server printed it. */
  readonly url: string;
  readonly proc: CliProcess;
  /** SIGTERM, then SIGKILL after 10 s; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts `mlops server --port 0 ...args` in `cwd` and resolves once it prints its URL. `env` goes
 * over this process's environment with MLOPS_TRACKING_URI and MLOPS_ARTIFACT_URI cleared, so the
 * server only uses what `args` name.
 */
export async function startMlopsServer(
  args: readonly string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<ServerProcess> {
  const proc = startCli(['server', '--port', '0', ...args], cwd, {
    MLOPS_TRACKING_URI: '',
    MLOPS_ARTIFACT_URI: '',
    ...env,
  });
  const listening = () => /Listening on (http:\/\/\S+)/.exec(proc.stdout)?.[1];
  try {
    await until(
      () => listening() !== undefined || proc.exit !== undefined,
      () => `mlops server to listen (stdout: ${proc.stdout}, stderr: ${proc.stderr})`,
      60_000,
    );
  } catch (err) {
    proc.child.kill('SIGKILL');
    throw err;
  }
  const url = listening();
  if (url === undefined) {
    throw new Error(`mlops server exited with ${JSON.stringify(proc.exit)}: ${proc.stderr}`);
  }
  return {
    url,
    proc,
    async stop() {
      if (proc.exit !== undefined) return;
      proc.child.kill('SIGTERM');
      const timer = setTimeout(() => proc.child.kill('SIGKILL'), 10_000);
      await proc.exited;
      clearTimeout(timer);
    },
  };
}

/** Runs the built CLI in `cwd` with `env` (over cli-harness's cleared tracking variables). */
export function mlopsWith(
  cwd: string,
  env: Record<string, string | undefined>,
  ...args: string[]
): Promise<Result> {
  return runNode([CLI, ...args], cwd, env);
}

/** Runs the built CLI with `input` on stdin (`mlops users create --password-stdin`). */
export function mlopsWithStdin(
  cwd: string,
  input: string,
  env: Record<string, string | undefined>,
  ...args: string[]
): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      env: { ...process.env, MLOPS_TRACKING_URI: '', MLOPS_ARTIFACT_URI: '', ...env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

/** A valid daily price CSV of `n` weekday rows from 2020-01-02 (enough for a linear model). */
export function pricesCsv(n = 400): string {
  const out = ['Date,Open,High,Low,Close,Adj Close,Volume'];
  const day = new Date(Date.UTC(2020, 0, 2));
  for (let i = 0; i < n; i++) {
    while (day.getUTCDay() === 0 || day.getUTCDay() === 6) day.setUTCDate(day.getUTCDate() + 1);
    const close = 100 + 10 * Math.sin(i / 7) + i * 0.05;
    const row = [close - 0.5, close + 1, close - 1, close, close, 1_000_000 + i];
    out.push([day.toISOString().slice(0, 10), ...row.map((v) => v.toFixed(4))].join(','));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return out.join('\n') + '\n';
}

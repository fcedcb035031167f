// A server under benchmark in a process of its own: autocannon or the paced generator in the
// same process would share its event loop, and on a 2-core machine the load generator's own JSON
// and socket work would be billed to the server.
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

export interface Child {
  readonly url: string;
  stop(): Promise<void>;
}

export interface ChildOptions {
  /** The repository root (cwd of the child). */
  readonly root: string;
  /** Writes a V8 CPU profile of the child into a directory of its own under this one. */
  readonly cpuProfDir?: string | undefined;
  readonly env?: NodeJS.ProcessEnv;
}

let children = 0;

/** Starts `script` (through tsx) with `argv` and waits for its `Listening on <url>` line. */
export async function startChild(
  script: string,
  argv: readonly string[],
  options: ChildOptions,
): Promise<Child> {
  // A directory per child: tsx's loader thread writes a profile of its own next to the main one.
  const prof = options.cpuProfDir
    ? [
        '--cpu-prof',
        `--cpu-prof-dir=${join(resolve(options.cpuProfDir), `${argv[0]}-${children++}`)}`,
      ]
    : [];
  const child: ChildProcess = spawn(
    process.execPath,
    [...prof, '--import', 'tsx', script, ...argv],
    {
      cwd: options.root,
      env: options.env ?? { ...process.env, MLOPS_TRACKING_URI: '', MLOPS_ARTIFACT_URI: '' },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolveUrl, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /^Listening on (\S+)/.exec(line);
      if (m?.[1]) resolveUrl(m[1].replace(/\/$/, ''));
    });
    void exited.then((code) =>
      reject(new Error(`server child ${argv.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * The child's side: prints `Listening on <url>` and closes on SIGTERM/SIGINT or when stdin ends
 * (the parent died), so that `--cpu-prof` gets to write its profile.
 */
export function serveUntilStopped(url: string, close: () => Promise<void>): void {
  let closing = false;
  const shutdown = (): void => {
    if (closing) return;
    closing = true;
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`close failed: ${String(err)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.resume();
  process.stdout.write(`Listening on ${url}\n`);
}

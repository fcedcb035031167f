import { spawn } from 'node:child_process';
import type { StageIo } from './executor.js';

export interface CommandsResult {
  readonly exitCode: number;
  readonly signal?: string;
  readonly durationMs: number;
  readonly log: string;
}

/**
 * Runs shell commands one after another through `/bin/sh -c` in `cwd` (the first failure stops
 * the rest, as DVC's list `cmd`), streaming their lines to `io.onLine` and capturing them all.
 * Each command gets its own process group, so an abort kills whatever it started too.
 */
export async function runCommands(
  commands: readonly string[],
  cwd: string,
  env: Readonly<Record<string, string>>,
  io: StageIo,
): Promise<CommandsResult> {
  const started = performance.now();
  const log: string[] = [];
  const emit = (line: string, stream: 'stdout' | 'stderr') => {
    log.push(line + '\n');
    io.onLine(line, stream);
  };
  for (const command of commands) {
    const result = await runOne(command, cwd, env, io, emit);
    if (result.exitCode !== 0 || result.signal !== undefined) {
      return { ...result, durationMs: performance.now() - started, log: log.join('') };
    }
  }
  return { exitCode: 0, durationMs: performance.now() - started, log: log.join('') };
}

function runOne(
  command: string,
  cwd: string,
  env: Readonly<Record<string, string>>,
  io: StageIo,
  emit: (line: string, stream: 'stdout' | 'stderr') => void,
): Promise<{ exitCode: number; signal?: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const kill = () => {
      if (child.pid !== undefined) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
      }
    };
    if (child.pid !== undefined) io.onSpawn?.(child.pid);
    io.signal?.addEventListener('abort', kill, { once: true });
    const pending = { stdout: '', stderr: '' };
    const feed = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = pending[stream] + chunk.toString('utf8');
      const lines = text.split('\n');
      pending[stream] = lines.pop() ?? '';
      for (const line of lines) emit(line, stream);
    };
    child.stdout.on('data', feed('stdout'));
    child.stderr.on('data', feed('stderr'));
    child.on('error', (err) => {
      emit(`cannot start /bin/sh: ${err.message}`, 'stderr');
      io.signal?.removeEventListener('abort', kill);
      resolve({ exitCode: 127 });
    });
    child.on('close', (code, signal) => {
      io.signal?.removeEventListener('abort', kill);
      for (const stream of ['stdout', 'stderr'] as const) {
        if (pending[stream] !== '') emit(pending[stream], stream);
      }
      if (signal !== null) resolve({ exitCode: 128, signal });
      else resolve({ exitCode: code ?? 1 });
    });
  });
}

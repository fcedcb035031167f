import type { ActiveRun } from './active-run.js';

const open = new Set<ActiveRun>();
const signals = [
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const;
const onSignal = new Map<NodeJS.Signals, () => void>(
  signals.map(([signal, code]) => [
    signal,
    () => void endAll('KILLED').finally(() => process.exit(code)),
  ]),
);
const onBeforeExit = () => void endAll('FINISHED');

/**
 * While runs are open, flush them when the process is about to end: on `beforeExit` they end
 * FINISHED (as MLflow's atexit hook does); on SIGINT/SIGTERM they end KILLED and the process exits
 * with 130/143. The listeners exist only while a run is open, so a process without open runs
 * keeps Node's (or its own) signal handling.
 */
export function watchRun(run: ActiveRun): void {
  if (open.size === 0) {
    process.on('beforeExit', onBeforeExit);
    for (const [signal, handler] of onSignal) process.on(signal, handler);
  }
  open.add(run);
}

export function unwatchRun(run: ActiveRun): void {
  if (!open.delete(run) || open.size > 0) return;
  process.off('beforeExit', onBeforeExit);
  for (const [signal, handler] of onSignal) process.off(signal, handler);
}

async function endAll(status: 'FINISHED' | 'KILLED'): Promise<void> {
  await Promise.allSettled([...open].map((r) => r.end(status)));
}

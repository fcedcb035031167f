import type { ActiveRun } from './active-run.js';

type Source = () => readonly ActiveRun[];
const sources = new Set<Source>();
let installed = false;

/**
 * Flushes open runs when the process is about to end: on `beforeExit` runs are ended FINISHED
 * (as MLflow's atexit hook does), on SIGINT/SIGTERM they are ended KILLED and the process exits
 * with 130/143. Returns a function that unregisters `source`.
 */
export function closeOnExit(source: Source): () => void {
  sources.add(source);
  if (!installed) {
    installed = true;
    process.on('beforeExit', () => void endAll('FINISHED'));
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      process.once(signal, () => {
        void endAll('KILLED').finally(() => process.exit(code));
      });
    }
  }
  return () => sources.delete(source);
}

async function endAll(status: 'FINISHED' | 'KILLED'): Promise<void> {
  const runs = [...sources].flatMap((s) => s());
  await Promise.allSettled(runs.filter((r) => !r.isEnded).map((r) => r.end(status)));
}

import { availableParallelism, loadavg } from 'node:os';
import { Worker } from 'node:worker_threads';
import { MlopsError } from '../../core/index.js';
import { radixSortFloat64 } from '../stats/radix-sort.js';

/**
 * The worker's whole program: sort the Float64Array whose buffer was transferred in, transfer
 * it back. CommonJS run with `eval`, as the SQLite inference-log writer does, so the same code
 * runs from src/ under vitest/tsx, from dist/ and from the esbuild CLI bundle (no worker file to
 * locate); the sort is the very function this thread uses, as its (self-contained) source text.
 * Transferring (not sharing) the buffers leaves no reference behind in the worker, whose small
 * heap would otherwise rarely collect and keep every sorted column alive.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const sort = (${radixSortFloat64.toString()});
let scratch = new Uint32Array(0);
parentPort.on('message', (m) => {
  if (scratch.length < m.buffer.byteLength / 4) scratch = new Uint32Array(m.buffer.byteLength / 4);
  sort(new Float64Array(m.buffer), scratch);
  parentPort.postMessage(m, [m.buffer]);
});
`;

/** Below this many values in all, starting a thread costs more than it saves. */
const MIN_VALUES_FOR_WORKERS = 400_000;

/**
 * Worker threads to use when the caller did not say: none for small inputs; otherwise the cores
 * left idle (cores minus the 1-minute load average, this thread counted), at most 3. Measured on
 * a 2-core machine shared by others, a second thread saved nothing while the cores were busy
 * and only added memory, so a busy machine gets none. Results never depend on the count.
 */
export function defaultWorkers(totalValues: number): number {
  if (totalValues < MIN_VALUES_FOR_WORKERS) return 0;
  const cores = availableParallelism();
  // One idle core is this thread's; round so that a nearly idle core (load 0.1) counts.
  const spare = Math.round(cores - loadavg()[0]! - 1);
  return Math.max(0, Math.min(3, cores - 1, spare));
}

/**
 * Sorts arrays ascending on this thread and on `workers` threads, started on the first call
 * that can use them and kept until `close()`. Each thread takes the next unsorted array when it
 * is free. Arrays sent to a thread come back as new objects over the same memory (the originals
 * are detached), so use the arrays `sortAll` returns.
 */
export class SortPool {
  readonly #workers: number;
  readonly #source: string;
  #threads: Sorter[] = [];
  #scratch = new Uint32Array(0);

  /** @param source the threads' program (tests pass one that fails) */
  constructor(workers: number, source = WORKER_SOURCE) {
    this.#workers = workers;
    this.#source = source;
  }

  /**
   * The arrays sorted, in the same order. When a thread fails (it crashed, ran out of memory or
   * could not start), every thread is stopped and an INTERNAL_ERROR MlopsError names `columns`
   * (what the arrays hold) and the cause.
   */
  async sortAll(
    arrays: readonly Float64Array[],
    columns: readonly string[],
  ): Promise<Float64Array[]> {
    const out = [...arrays];
    const movable = (a: Float64Array) =>
      a.length > 1 && a.byteOffset === 0 && a.byteLength === a.buffer.byteLength;
    const queue = out
      .map((a, i) => ({ a, i }))
      .filter(({ a }) => a.length > 1)
      // Largest first, so the last array to finish is a short one.
      .sort((x, y) => y.a.length - x.a.length);
    const wanted = Math.min(this.#workers, queue.filter(({ a }) => movable(a)).length - 1);
    const local = async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        this.#sortHere(job.a);
        // Let finished threads pick up their next array before this thread sorts another.
        if (this.#threads.length > 0) await new Promise((r) => setImmediate(r));
      }
    };
    // Whether the failure is a thread's (the error then says so) or this thread's own.
    let threadFailed = false;
    const there = async (thread: Sorter) => {
      try {
        for (let job = takeMovable(); job; job = takeMovable())
          out[job.i] = await thread.sort(job.a);
      } catch (error) {
        threadFailed = true;
        throw error;
      }
    };
    const takeMovable = () => {
      const at = queue.findIndex(({ a }) => movable(a));
      return at < 0 ? undefined : queue.splice(at, 1)[0];
    };
    try {
      threadFailed = true; // a thread that cannot start
      while (this.#threads.length < wanted) this.#threads.push(startSorter(this.#source));
      threadFailed = false;
      await Promise.all([...this.#threads.slice(0, Math.max(0, wanted)).map(there), local()]);
    } catch (error) {
      queue.length = 0; // the loops still running take no further array
      await this.close();
      throw threadFailed ? sortThreadFailed(columns, error) : error;
    }
    return out;
  }

  async close(): Promise<void> {
    const threads = this.#threads;
    this.#threads = [];
    await Promise.all(threads.map((t) => t.close()));
  }

  #sortHere(a: Float64Array): void {
    // One scratch buffer for every sort on this thread, instead of 8 bytes of garbage per value.
    if (this.#scratch.length < a.length * 2) this.#scratch = new Uint32Array(a.length * 2);
    radixSortFloat64(a, this.#scratch);
  }
}

function sortThreadFailed(columns: readonly string[], cause: unknown): MlopsError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new MlopsError(
    'INTERNAL_ERROR',
    `drift: a worker thread sorting column${columns.length === 1 ? '' : 's'} ` +
      `${columns.map((c) => `'${c}'`).join(', ')} failed: ${reason}. Every worker thread was ` +
      `stopped; pass workers: 0 to compute in this thread instead.`,
    { cause, details: { columns } },
  );
}

/** Runs `fn` with a pool of `workers` threads, closed afterwards whatever happens. */
export async function withSortPool<T>(
  workers: number,
  fn: (pool: SortPool) => Promise<T>,
  source?: string,
) {
  const pool = new SortPool(workers, source);
  try {
    return await fn(pool);
  } finally {
    await pool.close();
  }
}

interface Sorter {
  sort(array: Float64Array): Promise<Float64Array>;
  close(): Promise<void>;
}

/** Threads started and not yet exited (tests check that none is left behind). */
let liveThreads = 0;
export function liveSortThreads(): number {
  return liveThreads;
}

function startSorter(source: string): Sorter {
  const worker = new Worker(source, { eval: true });
  liveThreads++;
  let next = 0;
  type Waiter = { resolve: (a: Float64Array) => void; reject: (e: Error) => void };
  const waiting = new Map<number, Waiter>();
  // Set once the thread failed or exited: later sorts reject at once instead of waiting forever.
  let failure: Error | undefined;
  const failAll = (error: Error) => {
    failure ??= error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (m: { id: number; buffer: ArrayBuffer }) => {
    waiting.get(m.id)?.resolve(new Float64Array(m.buffer));
    waiting.delete(m.id);
  });
  worker.on('error', failAll);
  worker.on('exit', (code) => {
    liveThreads--;
    failAll(new Error(`the sort thread exited with code ${code}`));
  });
  return {
    sort(array) {
      const id = next++;
      return new Promise<Float64Array>((resolve, reject) => {
        if (failure) {
          reject(failure);
          return;
        }
        waiting.set(id, { resolve, reject });
        const buffer = array.buffer as ArrayBuffer;
        worker.postMessage({ id, buffer }, [buffer]);
      });
    },
    async close() {
      await worker.terminate();
    },
  };
}

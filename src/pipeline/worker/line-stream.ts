import type { StageIo } from '../executors/executor.js';
import type { ProgressBatch, StageJobResult } from './stage-job.js';

/**
 * The coordinator's end of `ProgressSender`: delivers a job's output lines to `io.onLine` once
 * each, in order: from progress batches while the stage runs, then whatever the batches missed
 * from the result's log. A job retried after its worker died starts over; a line says so.
 */
export class LineStream {
  readonly #io: StageIo;
  #attempt: string | undefined;
  #worker: string | undefined;
  /** Lines of the current attempt delivered so far. */
  #delivered = 0;
  /** False after a gap (a missed batch): the rest comes from the result. */
  #live = true;

  constructor(io: StageIo) {
    this.#io = io;
  }

  batch(batch: ProgressBatch): void {
    if (typeof batch !== 'object' || batch === null || !Array.isArray(batch.lines)) return;
    this.#switchTo(batch.attempt, batch.worker);
    if (!this.#live) return;
    if (batch.from > this.#delivered) {
      this.#live = false;
      return;
    }
    batch.lines.forEach(([stream, text], i) => {
      if (batch.from + i < this.#delivered) return;
      this.#io.onLine(text, stream === 'e' ? 'stderr' : 'stdout');
      this.#delivered = batch.from + i + 1;
    });
  }

  finish(result: StageJobResult): void {
    this.#switchTo(result.attempt, result.worker);
    const lines = result.log === '' ? [] : result.log.replace(/\n$/, '').split('\n');
    lines.forEach((text, i) => {
      if (result.dropped + i < this.#delivered) return;
      this.#io.onLine(text, result.streams[i] === 'e' ? 'stderr' : 'stdout');
    });
  }

  #switchTo(attempt: string, worker: string): void {
    if (attempt === this.#attempt) return;
    if (this.#attempt !== undefined) {
      this.#io.onLine(
        `mlops: the stage starts over on worker ${worker} (its attempt on ${this.#worker ?? '?'} did not finish)`,
        'stderr',
      );
    }
    this.#attempt = attempt;
    this.#worker = worker;
    this.#delivered = 0;
    this.#live = true;
  }
}

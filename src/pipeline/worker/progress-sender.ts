import type { JobLine, ProgressBatch } from './stage-job.js';

/** Send pending lines at least this often while a stage prints. */
const INTERVAL_MS = 200;
/** ... and at once when this many characters are pending. */
const MAX_BATCH_CHARS = 64 * 1024;

/**
 * Streams a job's output lines to the coordinator as progress batches (BullMQ publishes each
 * progress update as a queue event). Batches go out one after another, in order; a batch that
 * fails to send is dropped: the full log travels with the result anyway.
 */
export class ProgressSender {
  readonly #send: (batch: ProgressBatch) => Promise<void>;
  readonly #attempt: string;
  readonly #worker: string;
  #pending: JobLine[] = [];
  #pendingChars = 0;
  #sent = 0;
  #timer: NodeJS.Timeout | undefined;
  #chain: Promise<void> = Promise.resolve();

  constructor(send: (batch: ProgressBatch) => Promise<void>, attempt: string, worker: string) {
    this.#send = send;
    this.#attempt = attempt;
    this.#worker = worker;
  }

  readonly push = (line: JobLine): void => {
    this.#pending.push(line);
    this.#pendingChars += line[1].length + 1;
    if (this.#pendingChars >= MAX_BATCH_CHARS) this.#sendPending();
    else this.#timer ??= setTimeout(() => this.#sendPending(), INTERVAL_MS);
  };

  /** Sends what is pending and waits until every batch went out. */
  async flush(): Promise<void> {
    this.#sendPending();
    await this.#chain;
  }

  #sendPending(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#pending.length === 0) return;
    const batch: ProgressBatch = {
      attempt: this.#attempt,
      worker: this.#worker,
      from: this.#sent,
      lines: this.#pending,
    };
    this.#sent += this.#pending.length;
    this.#pending = [];
    this.#pendingChars = 0;
    this.#chain = this.#chain.then(() => this.#send(batch)).catch(() => undefined);
  }
}

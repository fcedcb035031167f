import type { LoadedModel, ModelRef } from './loaded-model.js';
import { sameRef, type ModelSlot, type SwapResult } from './model-slot.js';

export interface AliasFollowerOptions {
  /** Which version the followed URI names now (e.g. `models:/goog@champion` through the registry). */
  readonly resolve: () => Promise<ModelRef>;
  /** Loads and verifies that version's package. */
  readonly load: (ref: ModelRef) => Promise<LoadedModel>;
  /** Default 5000 ms. */
  readonly pollIntervalMs?: number;
  /** A version that failed to load is tried again after this long (default 60 000 ms). */
  readonly retryFailedMs?: number;
  /** Called when resolving fails (store unreachable); the current version keeps serving. */
  readonly onError?: (error: unknown) => void;
}

/** What one check did. */
export type FollowOutcome =
  | { readonly kind: 'unchanged'; readonly model: ModelRef }
  | { readonly kind: 'swapped'; readonly model: ModelRef }
  | { readonly kind: 'failed'; readonly model: ModelRef; readonly error: unknown }
  | { readonly kind: 'skipped'; readonly model: ModelRef }
  | { readonly kind: 'unresolved'; readonly error: unknown };

/**
 * Keeps a slot on the version an alias points at: polls `resolve` every `pollIntervalMs` and,
 * when the answer differs from what is served, loads and swaps to it. `check()` does the same at
 * once (for notifications). A version that failed to load is not retried on every poll (which
 * would reload a corrupt package every 5 s) but after `retryFailedMs`, or at once on `check({ retry: true })`.
 */
export class AliasFollower {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<FollowOutcome> | undefined;
  #again = false;
  #failed: { ref: ModelRef; at: number } | undefined;
  #stopped = false;
  readonly #pollIntervalMs: number;
  readonly #retryFailedMs: number;

  constructor(
    private readonly slot: ModelSlot,
    private readonly options: AliasFollowerOptions,
  ) {
    this.#pollIntervalMs = options.pollIntervalMs ?? 5000;
    this.#retryFailedMs = options.retryFailedMs ?? 60_000;
  }

  /** Loads the current target (resolving once), then polls. */
  async start(): Promise<FollowOutcome> {
    const first = await this.check();
    this.#schedule();
    return first;
  }

  /** Stops polling; a check in progress finishes. */
  async stop(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#stopped = true;
    await this.#running?.catch(() => {});
  }

  /**
   * Resolves now and swaps if the target moved. Concurrent calls share one check; a call made
   * while a check runs triggers one more afterwards, so a notification is never lost.
   */
  check(options: { retry?: boolean } = {}): Promise<FollowOutcome> {
    if (options.retry) this.#failed = undefined;
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    const run = this.#check().finally(() => {
      this.#running = undefined;
      if (this.#again && !this.#stopped) {
        this.#again = false;
        void this.check();
      }
    });
    this.#running = run;
    return run;
  }

  async #check(): Promise<FollowOutcome> {
    let target: ModelRef;
    try {
      target = await this.options.resolve();
    } catch (error) {
      this.options.onError?.(error);
      return { kind: 'unresolved', error };
    }
    const current = this.slot.current;
    if (current && sameRef(current, target)) return { kind: 'unchanged', model: target };
    const failed = this.#failed;
    if (failed && sameRef(failed.ref, target) && Date.now() - failed.at < this.#retryFailedMs) {
      return { kind: 'skipped', model: target };
    }
    const result: SwapResult = await this.slot.swapFrom(target, () => this.options.load(target));
    if (result.ok) {
      this.#failed = undefined;
      return { kind: result.unchanged ? 'unchanged' : 'swapped', model: target };
    }
    this.#failed = { ref: target, at: Date.now() };
    return { kind: 'failed', model: target, error: result.error };
  }

  #schedule(): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      void this.check().finally(() => this.#schedule());
    }, this.#pollIntervalMs);
    // Polling alone must not keep a process alive.
    this.#timer.unref();
  }
}

import { MlopsError } from '../core/index.js';
import type { LoadedModel, ModelRef } from './loaded-model.js';
import type { ModelRunner } from './model-runner.js';
import { openRunner } from './open-runner.js';

/** The version a slot serves: its registry identity and a warmed-up runner. */
export interface ServedModel extends ModelRef {
  readonly window: number;
  /** The graph's input name (a named tensor in /invocations may use it). */
  readonly inputName: string;
  readonly runner: ModelRunner;
  /** Epoch ms it started serving. */
  readonly since: number;
}

/** A hold on the served version: it is not disposed before every lease is released. */
export interface ModelLease {
  readonly model: ServedModel;
  /** Idempotent. */
  release(): void;
}

export type SwapResult =
  | { readonly ok: true; readonly model: ModelRef; readonly unchanged: boolean }
  | { readonly ok: false; readonly model: ModelRef; readonly error: unknown };

export type SlotEvent =
  | {
      readonly type: 'swapped';
      readonly from?: ModelRef;
      readonly to: ModelRef;
      readonly ms: number;
    }
  | { readonly type: 'swap_failed'; readonly target: ModelRef; readonly error: unknown }
  | { readonly type: 'dispose_failed'; readonly model: ModelRef; readonly error: unknown };

export interface ModelSlotOptions {
  /** Builds the runner of a loaded model (default `openRunner`: ONNX, else the fallback). */
  readonly openRunner?: (model: LoadedModel) => Promise<ModelRunner>;
}

interface Entry {
  readonly model: ServedModel;
  /** Requests holding this version. */
  leases: number;
  /** Replaced (or the slot closed): disposed when `leases` reaches 0. */
  retired: boolean;
  disposing?: boolean;
  onDisposed?: () => void;
}

/**
 * Holds the version being served and swaps it without dropping a request. `swap` loads and warms
 * up the next runner while the current one keeps answering, then replaces it in one synchronous
 * step; requests hold a lease on the version they started with, and a replaced runner is disposed
 * only when its last lease is released. A failed load leaves the current version serving. Swaps
 * run one after another, in the order asked.
 */
export class ModelSlot {
  #entry: Entry | undefined;
  #closed = false;
  #queue: Promise<unknown> = Promise.resolve();
  readonly #listeners = new Set<(event: SlotEvent) => void>();
  readonly #retiring = new Set<Promise<void>>();
  readonly #open: (model: LoadedModel) => Promise<ModelRunner>;

  constructor(options: ModelSlotOptions = {}) {
    this.#open = options.openRunner ?? ((model) => openRunner(model));
  }

  /** The version new requests get, if any. */
  get current(): ServedModel | undefined {
    return this.#closed ? undefined : this.#entry?.model;
  }

  /** True once a version is loaded and warmed up (and until close). */
  get ready(): boolean {
    return this.current !== undefined;
  }

  /** Listens to swaps and failures (for logs and metrics); returns the unsubscribe function. */
  subscribe(listener: (event: SlotEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** A lease on the current version; TEMPORARILY_UNAVAILABLE when none is loaded yet. */
  acquire(): ModelLease {
    const entry = this.#entry;
    if (!entry || this.#closed) {
      throw new MlopsError(
        'TEMPORARILY_UNAVAILABLE',
        this.#closed
          ? 'The prediction server is shutting down.'
          : 'No model is loaded yet; retry when /ready answers 200.',
      );
    }
    entry.leases += 1;
    let released = false;
    return {
      model: entry.model,
      release: () => {
        if (released) return;
        released = true;
        entry.leases -= 1;
        if (entry.retired && entry.leases === 0) this.#dispose(entry);
      },
    };
  }

  /** Runs `fn` on the current version, holding a lease until it settles. */
  async use<T>(fn: (model: ServedModel) => Promise<T>): Promise<T> {
    const lease = this.acquire();
    try {
      return await fn(lease.model);
    } finally {
      lease.release();
    }
  }

  /** Swaps to a model that is already loaded. */
  swap(next: LoadedModel): Promise<SwapResult> {
    return this.swapFrom(next, async () => next);
  }

  /**
   * Loads `ref` with `load`, opens and warms up its runner, then serves it. Resolves (never
   * rejects) with what happened; failures are also sent to subscribers as `swap_failed`.
   */
  swapFrom(ref: ModelRef, load: () => Promise<LoadedModel>): Promise<SwapResult> {
    const target = { name: ref.name, version: ref.version, packageHash: ref.packageHash };
    const run = this.#queue.then(() => this.#swap(target, load));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #swap(target: ModelRef, load: () => Promise<LoadedModel>): Promise<SwapResult> {
    const current = this.#entry?.model;
    if (current && sameRef(current, target)) return { ok: true, model: target, unchanged: true };
    if (this.#closed) {
      return this.#failed(target, new MlopsError('INVALID_STATE', 'The model slot is closed.'));
    }
    const started = performance.now();
    let runner: ModelRunner | undefined;
    let loaded: LoadedModel | undefined;
    try {
      loaded = await load();
      if (!sameRef(loaded, target)) {
        throw new MlopsError(
          'INVALID_STATE',
          `Asked to load ${describeRef(target)} but got ${describeRef(loaded)}.`,
        );
      }
      runner = await this.#open(loaded);
      if (runner.window !== loaded.window) {
        throw new MlopsError(
          'MODEL_SIGNATURE_MISMATCH',
          `${describeRef(target)}: the runner takes windows of ${runner.window}, the package declares ${loaded.window}.`,
        );
      }
      await runner.warmUp();
      if (this.#closed) throw new MlopsError('INVALID_STATE', 'The model slot was closed.');
    } catch (error) {
      // The runner owns the loaded model's resources once it exists.
      await (runner ? runner.dispose() : loaded?.dispose?.())?.catch(() => {});
      return this.#failed(target, error);
    }
    const model: ServedModel = {
      ...target,
      packageHash: loaded.packageHash,
      window: runner.window,
      inputName: loaded.inputName,
      runner,
      since: Date.now(),
    };
    const previous = this.#entry;
    this.#entry = { model, leases: 0, retired: false };
    if (previous) this.#retire(previous);
    this.#emit({
      type: 'swapped',
      ...(previous ? { from: refOf(previous.model) } : {}),
      to: target,
      ms: performance.now() - started,
    });
    return { ok: true, model: target, unchanged: false };
  }

  /** Stops serving: waits for queued swaps, then disposes every runner once its leases end. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#queue;
    const entry = this.#entry;
    if (entry) this.#retire(entry);
    await Promise.all([...this.#retiring]);
  }

  #retire(entry: Entry): void {
    entry.retired = true;
    const disposed = new Promise<void>((resolve) => (entry.onDisposed = resolve));
    this.#retiring.add(disposed);
    void disposed.then(() => this.#retiring.delete(disposed));
    if (entry.leases === 0) this.#dispose(entry);
  }

  #dispose(entry: Entry): void {
    if (entry.disposing) return;
    entry.disposing = true;
    void entry.model.runner
      .dispose()
      .catch((error: unknown) => {
        this.#emit({ type: 'dispose_failed', model: refOf(entry.model), error });
      })
      .finally(() => entry.onDisposed?.());
  }

  #failed(target: ModelRef, error: unknown): SwapResult {
    this.#emit({ type: 'swap_failed', target, error });
    return { ok: false, model: target, error };
  }

  #emit(event: SlotEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener must not break serving.
      }
    }
  }
}

/**
 * Whether two refs name the same version. A ref without a package hash (a registry row that
 * records none) matches on name and version alone.
 */
export function sameRef(a: ModelRef, b: ModelRef): boolean {
  return (
    a.name === b.name &&
    a.version === b.version &&
    (a.packageHash === '' || b.packageHash === '' || a.packageHash === b.packageHash)
  );
}

function refOf(model: ModelRef): ModelRef {
  return { name: model.name, version: model.version, packageHash: model.packageHash };
}

export function describeRef(ref: ModelRef): string {
  return `model '${ref.name}' version ${ref.version}`;
}

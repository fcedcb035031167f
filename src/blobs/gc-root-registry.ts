import { invalidParam } from '../core/index.js';

/** Yields manifest ids or raw blob hashes that must survive gc. */
export type GcRootProvider = () =>
  AsyncIterable<string> | Iterable<string> | Promise<Iterable<string> | AsyncIterable<string>>;

export interface GcRootEntry {
  readonly name: string;
  readonly provider: GcRootProvider;
}

/**
 * The one hook through which each capability (tracking artifacts, data versions, pipeline outs,
 * model packages) tells gc what it still references. `app/` registers them all; blobs knows none.
 */
export class GcRootRegistry {
  readonly #entries = new Map<string, GcRootProvider>();

  /** Adds a provider under a unique name (the name appears in gc reports). */
  register(name: string, provider: GcRootProvider): void {
    if (name.trim() === '') throw invalidParam('A gc root provider needs a non-empty name.');
    if (this.#entries.has(name)) {
      throw invalidParam(`A gc root provider named '${name}' is registered already.`);
    }
    this.#entries.set(name, provider);
  }

  /** The providers in registration order. */
  entries(): readonly GcRootEntry[] {
    return [...this.#entries].map(([name, provider]) => ({ name, provider }));
  }
}

import { createHash } from 'node:crypto';
import type { Principal } from './principal.js';

/**
 * Remembers successful password checks for a short time. HTTP Basic sends the password with every
 * request and scrypt costs ~50 ms of CPU and 32 MiB each, so without this a busy client would
 * spend most of the server on hashing. Keys are sha256(username NUL password): the plaintext is
 * never kept. Only successes are cached, so wrong guesses still pay the full price.
 */
export class CredentialCache {
  readonly #entries = new Map<string, { principal: Principal; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number,
    private readonly maxEntries = 10_000,
  ) {}

  get(username: string, password: string): Principal | undefined {
    const key = cacheKey(username, password);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.principal;
  }

  set(username: string, password: string, principal: Principal): void {
    if (this.ttlMs <= 0) return;
    if (this.#entries.size >= this.maxEntries) {
      // Maps iterate in insertion order: the first key is the oldest entry.
      const oldest = this.#entries.keys().next();
      if (!oldest.done) this.#entries.delete(oldest.value);
    }
    this.#entries.set(cacheKey(username, password), {
      principal,
      expiresAt: this.now() + this.ttlMs,
    });
  }

  /** Drops every entry of `username` (its password changed or it was deleted). */
  forget(username: string): void {
    for (const [key, entry] of this.#entries) {
      if (entry.principal.username === username) this.#entries.delete(key);
    }
  }
}

function cacheKey(username: string, password: string): string {
  return createHash('sha256').update(`${username}\0${password}`, 'utf8').digest('hex');
}

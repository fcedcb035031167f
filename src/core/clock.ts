/** Epoch milliseconds; one place so tests and benchmarks agree on the unit. */
export function nowMs(): number {
  return Date.now();
}

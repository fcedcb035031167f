/**
 * JSON for stored metrics and check results. JSON has no NaN or infinities (JSON.stringify
 * writes them as null), so non-finite numbers are written as tagged strings and read back.
 */
const NON_FINITE: Readonly<Record<string, number>> = {
  __NaN__: Number.NaN,
  __Infinity__: Number.POSITIVE_INFINITY,
  '__-Infinity__': Number.NEGATIVE_INFINITY,
};

export function toStoredJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'number' && !Number.isFinite(v) ? `__${String(v)}__` : v,
  );
}

export function fromStoredJson<T>(text: string): T {
  return JSON.parse(text, (_key, v: unknown) =>
    typeof v === 'string' && Object.hasOwn(NON_FINITE, v) ? NON_FINITE[v] : v,
  ) as T;
}

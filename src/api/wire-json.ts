/**
 * JSON.stringify that writes non-finite numbers as protobuf's JSON mapping does ("NaN",
 * "Infinity", "-Infinity") instead of null, so a NaN metric survives the round trip.
 */
export function stringifyWire(value: unknown): string {
  return JSON.stringify(value, nonFiniteReplacer);
}

function nonFiniteReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) {
    return Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity';
  }
  return v;
}

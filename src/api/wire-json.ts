/**
 * The JSON text of a response. Entities are mapped to the wire first (`*ToWire`), which already
 * writes non-finite doubles as protobuf's strings, so plain JSON.stringify (V8's fast path, about
 * 3x faster than with a replacer on a 1000-run search page) is all that is left to do.
 */
export function stringifyWire(value: unknown): string {
  return JSON.stringify(value);
}

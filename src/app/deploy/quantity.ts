import { invalidParam } from '../../core/index.js';

/** Kubernetes quantity suffixes and what they multiply by. */
const SUFFIXES: Readonly<Record<string, number>> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

const QUANTITY = /^(\d+(?:\.\d*)?|\.\d+)(?:([eE][+-]?\d+)|([a-zA-Z]*))$/;

export type ResourceKind = 'cpu' | 'memory';

const EXAMPLES: Readonly<Record<ResourceKind, string>> = {
  cpu: "cores or millicores, e.g. '500m', '1', '1.5'",
  memory: "bytes with a suffix, e.g. '512Mi', '2Gi', '1G'",
};

/**
 * Parses a Kubernetes resource quantity ('250m', '1.5', '512Mi', '1e3') to its value (cores or
 * bytes), refusing what the API server would refuse and, for memory, the 'm' (milli) suffix that
 * is valid but almost always a typo for 'Mi'.
 */
export function parseQuantity(flag: string, kind: ResourceKind, text: string): number {
  const m = QUANTITY.exec(text);
  const suffix = m?.[3] ?? '';
  const factor = m?.[2] !== undefined ? 10 ** Number(m[2].slice(1)) : SUFFIXES[suffix];
  if (!m || factor === undefined) {
    throw invalidParam(`${flag} must be a Kubernetes quantity: ${EXAMPLES[kind]}; got '${text}'.`, {
      [flag]: text,
    });
  }
  if (kind === 'memory' && suffix === 'm') {
    throw invalidParam(
      `${flag} '${text}' means ${text.slice(0, -1)} thousandths of a byte; did you mean '${text.slice(0, -1)}Mi'?`,
      { [flag]: text },
    );
  }
  const value = Number(m[1]) * factor;
  if (!(value > 0)) {
    throw invalidParam(`${flag} must be more than zero; got '${text}'.`, { [flag]: text });
  }
  return value;
}

/** A request above its limit is refused by the API server; say so before `kubectl apply`. */
export function checkRequestWithinLimit(
  kind: ResourceKind,
  request: { flag: string; text: string },
  limit: { flag: string; text: string },
): void {
  const r = parseQuantity(request.flag, kind, request.text);
  const l = parseQuantity(limit.flag, kind, limit.text);
  if (r > l) {
    throw invalidParam(
      `${request.flag} ${request.text} is above ${limit.flag} ${limit.text}; a ${kind} request must not exceed its limit.`,
      { [request.flag]: request.text, [limit.flag]: limit.text },
    );
  }
}

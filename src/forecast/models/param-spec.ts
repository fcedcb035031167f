import { invalidParam } from '../../core/index.js';

export type ParamValue = string | number | boolean;
/** Params as given: from the CLI (`--param k=v`, strings) or from code (numbers). */
export type RawParams = Readonly<Record<string, ParamValue>>;

export interface NumberSpec {
  readonly type: 'int' | 'float';
  readonly min: number;
  readonly max: number;
  /** The upper bound itself is not allowed (e.g. dropout < 1). */
  readonly maxExclusive?: boolean;
  /** The lower bound itself is not allowed (e.g. learningRate > 0). */
  readonly minExclusive?: boolean;
  readonly default: number;
}

export interface EnumSpec<V extends string = string> {
  readonly type: 'enum';
  readonly values: readonly V[];
  readonly default: V;
}

export type ParamSpec = NumberSpec | EnumSpec;
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;
export type ParsedParams<S extends ParamSpecs> = {
  readonly [K in keyof S]: S[K] extends EnumSpec<infer V> ? V : number;
};

/** `learning_rate` -> `learningRate`, so both spellings work on the command line. */
function camelCase(key: string): string {
  return key.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
}

function rangeText(spec: NumberSpec): string {
  const lo = spec.minExclusive ? '(' : '[';
  const hi = spec.maxExclusive ? ')' : ']';
  return `${spec.type === 'int' ? 'an integer' : 'a number'} in ${lo}${spec.min}, ${spec.max}${hi}`;
}

function parseNumber(model: string, key: string, spec: NumberSpec, raw: ParamValue): number {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  const ok =
    !(typeof raw === 'string' && raw.trim() === '') &&
    Number.isFinite(value) &&
    (spec.type === 'float' || Number.isInteger(value)) &&
    (spec.minExclusive ? value > spec.min : value >= spec.min) &&
    (spec.maxExclusive ? value < spec.max : value <= spec.max);
  if (!ok) {
    throw invalidParam(
      `Param '${key}' of model '${model}' must be ${rangeText(spec)}; got '${String(raw)}'.`,
      { param: key, model, value: raw },
    );
  }
  return value;
}

function parseEnum(model: string, key: string, spec: EnumSpec, raw: ParamValue): string {
  const value = String(raw).trim();
  if (!spec.values.includes(value)) {
    throw invalidParam(
      `Param '${key}' of model '${model}' must be one of ${spec.values.join(', ')}; got '${String(raw)}'.`,
      { param: key, model, value: raw },
    );
  }
  return value;
}

/**
 * Validates `raw` against `specs` (unknown keys are errors, missing keys take the default) and
 * returns a frozen object with every param. Each error names the param and the allowed range.
 */
export function parseParams<S extends ParamSpecs>(
  model: string,
  specs: S,
  ...layers: readonly RawParams[]
): ParsedParams<S> {
  const out: Record<string, ParamValue> = {};
  for (const [key, spec] of Object.entries(specs)) out[key] = spec.default;
  for (const raw of layers) {
    for (const [given, value] of Object.entries(raw)) {
      const key = camelCase(given);
      const spec = specs[key];
      if (spec === undefined) {
        throw invalidParam(
          `Unknown param '${given}' for model '${model}'; known params: ${Object.keys(specs).join(', ')}.`,
          { param: given, model },
        );
      }
      out[key] =
        spec.type === 'enum'
          ? parseEnum(model, key, spec, value)
          : parseNumber(model, key, spec, value);
    }
  }
  return Object.freeze(out) as ParsedParams<S>;
}

import { z } from 'zod';

/**
 * Field types with MLflow's wire rules: int64 arrives as a JSON number or a string of digits,
 * doubles may be the strings "NaN", "Infinity", "-Infinity" (protobuf's JSON mapping), and GET
 * query strings carry everything as strings, with one value for a repeated field not wrapped.
 */

const INT64 = /^-?\d{1,19}$/;

/** An int64 as a number or a numeric string; out-of-range (beyond 2^53) is refused, not rounded. */
export const int64 = z
  .union([z.number().int(), z.string().regex(INT64, 'an integer')])
  .transform((v, ctx) => {
    const n = typeof v === 'number' ? v : Number(v);
    if (!Number.isSafeInteger(n)) {
      ctx.addIssue({ code: 'custom', message: 'an integer within ±2^53' });
      return z.NEVER;
    }
    return n;
  });

const SPECIAL_DOUBLES: Readonly<Record<string, number>> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** A double as a JSON number, a numeric string, or "NaN" / "Infinity" / "-Infinity". */
export const double = z
  .union([
    z.number(),
    z.string().regex(/^(NaN|-?Infinity|-?\d+(\.\d+)?([eE][-+]?\d+)?)$/, 'a number'),
  ])
  .transform((v) => (typeof v === 'number' ? v : (SPECIAL_DOUBLES[v] ?? Number(v))));

/** A string field; MLflow's older clients sent ids as integers, so numbers become strings. */
export const idString = z.union([z.string(), z.number().int()]).transform(String);

/** A boolean that also reads "true"/"false" from query strings. */
export const bool = z
  .union([z.boolean(), z.enum(['true', 'false', 'True', 'False'])])
  .transform((v) => v === true || v === 'true' || v === 'True');

/** A repeated field: a single query-string value is wrapped into a list. */
export function repeated<T extends z.ZodType>(item: T) {
  return z.preprocess((v) => (v === undefined || Array.isArray(v) ? v : [v]), z.array(item));
}

export const keyValue = z.object({ key: z.string(), value: z.string().optional().default('') });
export const keyValues = repeated(keyValue);

export const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
/** ViewType by name or by its proto number (1, 2, 3). */
export const viewType = z
  .union([z.enum(VIEW_TYPES), z.number().int().min(1).max(3), z.enum(['1', '2', '3'])])
  .transform((v) =>
    typeof v === 'string' && !/^\d$/.test(v)
      ? (v as (typeof VIEW_TYPES)[number])
      : VIEW_TYPES[Number(v) - 1]!,
  );

export const RUN_STATUS_NAMES = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
/** RunStatus by name or by its proto number (1..5). */
export const runStatus = z
  .union([z.enum(RUN_STATUS_NAMES), z.number().int().min(1).max(5)])
  .transform((v) => (typeof v === 'number' ? RUN_STATUS_NAMES[v - 1]! : v));

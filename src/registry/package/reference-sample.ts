import { z } from 'zod';
import { describeIssue } from './manifest-text.js';

/** The reference file monitoring compares live traffic with (issue 8). */
export const REFERENCE_FILE = 'reference.json';

const referenceSchema = z.strictObject({
  features: z.strictObject({
    columns: z.array(z.string().min(1)).min(1),
    rows: z.array(z.array(z.number())),
  }),
  holdout: z.strictObject({
    dates: z.array(z.string()),
    actual: z.array(z.number()),
    predicted: z.array(z.number()),
  }),
});

/**
 * reference.json: the monitored feature rows over the training range (one row per window, in
 * `columns` order) and the model's predictions on the test rows beside the actual closes.
 */
export type ReferenceSample = z.output<typeof referenceSchema>;

/** The sample as stored: compact JSON with a trailing newline. */
export function formatReferenceSample(sample: ReferenceSample): string {
  return `${JSON.stringify(sample)}\n`;
}

/** Parses reference.json; `undefined` plus a reason when it is not a reference sample. */
export function parseReferenceSample(
  text: string,
): { sample: ReferenceSample } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { problem: `not valid JSON (${(err as Error).message})` };
  }
  const parsed = referenceSchema.safeParse(value);
  if (parsed.success) {
    const { columns, rows } = parsed.data.features;
    const bad = rows.findIndex((r) => r.length !== columns.length);
    if (bad >= 0) {
      return {
        problem: `features.rows[${bad}] has ${rows[bad]?.length} values, expected ${columns.length}`,
      };
    }
    return { sample: parsed.data };
  }
  return { problem: describeIssue(parsed.error, value) };
}

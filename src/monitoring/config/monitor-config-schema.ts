import { CronPattern } from 'croner';
import { z } from 'zod';
import { didYouMean } from '../checks/did-you-mean.js';
import { DRIFT_TESTS } from '../stats/index.js';
import { DURATION_FORMS, parseDuration } from '../../core/index.js';

/** The schema of `monitor.yaml` as written (snake_case keys); `parseMonitorConfig` maps it. */

const duration = z
  .string({ error: `expected ${DURATION_FORMS}` })
  .refine((text) => parseDuration(text) !== undefined, {
    error: (issue) => `expected ${DURATION_FORMS}, got ${JSON.stringify(issue.input)}`,
  });

const text = (what: string) =>
  z
    .string({ error: `expected ${what} (a string)` })
    .min(1, `expected ${what}, got an empty string`);
const number = (what: string) => z.number({ error: `expected ${what}` });
const wholeNumber = (what: string) =>
  z
    .number({ error: `expected ${what} (a whole number)` })
    .int(`expected ${what} (a whole number)`)
    .positive(`expected ${what} (a whole number > 0)`);
const threshold = number('a threshold (a number)').min(0, 'expected a threshold >= 0');
const columnKind = z.enum(['numerical', 'categorical'], {
  error: 'expected numerical or categorical',
});

/**
 * A registered drift test's name (any kind, or one that runs on categorical columns), checked
 * here so a typo is reported with its file and line rather than later by the drift engine.
 */
const driftTestName = (kind?: 'categorical') => {
  const known = [
    ...new Set(DRIFT_TESTS.filter((t) => !kind || t.kind === kind).map((t) => t.name)),
  ].sort();
  return text('a drift test name').refine((name) => known.includes(name), {
    error: (issue) => {
      const name = String(issue.input);
      return `'${name}' is not a ${kind ? `${kind} ` : ''}drift test${didYouMean(name, known)}; expected one of ${known.join(', ')}`;
    },
  });
};

const OPERATORS = ['gt', 'gte', 'lt', 'lte', 'eq', 'between'] as const;

const check = z
  .strictObject(
    {
      metric: text('a metric name such as data_drift.drifted_share'),
      name: text('a name').optional(),
      gt: number('a number').optional(),
      gte: number('a number').optional(),
      lt: number('a number').optional(),
      lte: number('a number').optional(),
      eq: z
        .union([z.number(), z.boolean()], { error: 'expected a number or true/false' })
        .optional(),
      between: z
        .tuple([z.number(), z.number()], { error: 'expected [low, high] (two numbers)' })
        .refine(([low, high]) => low <= high, 'expected [low, high] with low <= high')
        .optional(),
    },
    { error: 'expected a check: {metric: <name>, lt: <number>, ...}' },
  )
  .refine((c) => OPERATORS.some((op) => c[op] !== undefined), {
    error: `a check needs a condition: one of ${OPERATORS.join(', ')}`,
  });

const perColumn = z.strictObject(
  {
    test: driftTestName().optional(),
    threshold: threshold.optional(),
    kind: columnKind.optional(),
  },
  { error: 'expected {test, threshold, kind} for the column' },
);

export const monitorFileSchema = z.strictObject(
  {
    monitor: text('the monitor name').optional(),
    model: text('the served model').regex(/^models:\/[^/@]+(@[^/@]+|\/([1-9]\d*|latest))$/, {
      error: 'expected models:/<name>@<alias> or models:/<name>/<version>',
    }),
    reference: text('a data file or models:/ URI').optional(),
    window: z
      .strictObject(
        {
          last: wholeNumber('a number of rows').optional(),
          since: duration.optional(),
        },
        { error: 'expected {last: <rows>} or {since: <duration>}' },
      )
      .refine((w) => (w.last === undefined) !== (w.since === undefined), {
        error: 'expected one of last (rows) or since (a duration such as 7d)',
      }),
    drift: z
      .strictObject(
        {
          test: driftTestName().optional(),
          numerical_test: driftTestName().optional(),
          categorical_test: driftTestName('categorical').optional(),
          threshold: threshold.optional(),
          numerical_threshold: threshold.optional(),
          categorical_threshold: threshold.optional(),
          drift_share: number('a share (a number)')
            .gt(0, 'expected a share in (0, 1]')
            .max(1, 'expected a share in (0, 1]')
            .optional(),
          columns: z
            .array(text('a column name'), { error: 'expected a list of column names' })
            .optional(),
          per_column: z
            .record(z.string(), perColumn, {
              error: 'expected a mapping of column -> {test, threshold, kind}',
            })
            .optional(),
          workers: z
            .number({ error: 'expected a number of worker threads' })
            .int()
            .min(0)
            .optional(),
        },
        { error: 'expected a mapping of drift options' },
      )
      .optional(),
    performance: z
      .strictObject(
        { window_rows: wholeNumber('rows per window').optional() },
        { error: 'expected {window_rows: <rows>}' },
      )
      .optional(),
    checks: z.array(check, { error: 'expected a list of checks' }).optional(),
    actions: z
      .strictObject(
        {
          webhook: z
            .strictObject(
              {
                url: z.url({ protocol: /^https?$/, error: 'expected an http(s) URL' }),
                headers: z
                  .record(z.string(), z.string({ error: 'expected a header value (a string)' }), {
                    error: 'expected a mapping of header -> value',
                  })
                  .optional(),
                timeout: duration.optional(),
                on: z.enum(['fail', 'always'], { error: 'expected fail or always' }).optional(),
              },
              { error: 'expected {url, headers, timeout, on}' },
            )
            .optional(),
          retrain: z
            .strictObject(
              {
                cooldown: duration.optional(),
                source: text('a file path or URL the new rows come from'),
                into: text('the workspace file they go into, such as data/prices.csv'),
                merge_key: text('a column name').optional(),
              },
              { error: 'expected {cooldown, source, into, merge_key}' },
            )
            .optional(),
        },
        { error: 'expected a mapping of actions (webhook, retrain)' },
      )
      .optional(),
    report: z
      .strictObject(
        { html: text('a file path').optional(), json: text('a file path').optional() },
        { error: 'expected {html, json}' },
      )
      .optional(),
    schedule: z
      .string({ error: 'expected a cron pattern such as "*/15 * * * *"' })
      .superRefine((pattern, ctx) => {
        try {
          new CronPattern(pattern);
        } catch (err) {
          ctx.addIssue({
            code: 'custom',
            message: `not a valid cron pattern (${(err as Error).message.replace(/^CronPattern: /, '')})`,
          });
        }
      })
      .optional(),
  },
  { error: 'expected a mapping (monitor:, model:, window:, checks:, ...) at the top level' },
);

export type MonitorFile = z.infer<typeof monitorFileSchema>;

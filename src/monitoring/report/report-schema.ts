import { z } from 'zod';
import type { MonitorReport } from './report-types.js';

// Strict objects throughout: a misspelt or stale field in a stored report is an error, not a
// silently dropped value. Optional fields use `exactOptional` so the inferred type matches the
// contract types under `exactOptionalPropertyTypes` (present with a value, or absent).

const count = z.number().int().nonnegative();
const share = z.number().min(0).max(1);
const columnKind = z.enum(['numerical', 'categorical']);

const REPORT_SOURCE = z
  .strictObject({
    uri: z.string(),
    rows: count,
    from: z.number().exactOptional(),
    to: z.number().exactOptional(),
    description: z.string().exactOptional(),
  })
  .meta({ description: 'Where one side came from; `from`/`to` are epoch ms of its time span.' });

const SIDE_SUMMARY = z.strictObject({
  rows: count,
  missing: count,
  mean: z.number().exactOptional(),
  std: z.number().exactOptional(),
  min: z.number().exactOptional(),
  max: z.number().exactOptional(),
  distinct: count,
});

const HISTOGRAM = z
  .strictObject({
    type: z.literal('histogram'),
    edges: z.array(z.number()).min(2),
    reference: z.array(share),
    current: z.array(share),
  })
  .refine((h) => h.reference.length === h.edges.length - 1, {
    message: 'expected one reference share per bin (edges.length - 1)',
    path: ['reference'],
  })
  .refine((h) => h.current.length === h.edges.length - 1, {
    message: 'expected one current share per bin (edges.length - 1)',
    path: ['current'],
  });

const CATEGORIES = z
  .strictObject({
    type: z.literal('categories'),
    categories: z.array(z.string()),
    reference: z.array(share),
    current: z.array(share),
  })
  .refine((c) => c.reference.length === c.categories.length, {
    message: 'expected one reference share per category',
    path: ['reference'],
  })
  .refine((c) => c.current.length === c.categories.length, {
    message: 'expected one current share per category',
    path: ['current'],
  });

const DISTRIBUTION = z
  .discriminatedUnion('type', [HISTOGRAM, CATEGORIES], {
    error: "expected 'histogram' or 'categories'",
  })
  .meta({ description: 'Shares of each side per bin or category (each side sums to 1).' });

export const COLUMN_DRIFT_SCHEMA = z
  .strictObject({
    column: z.string(),
    kind: columnKind,
    test: z.string(),
    scoreKind: z.enum(['p_value', 'distance']),
    selectedBy: z.enum(['default', 'column', 'kind', 'global']),
    status: z.enum(['ok', 'error']),
    score: z.number().nullable(),
    threshold: z.number(),
    drifted: z.boolean(),
    problem: z.string().exactOptional(),
    reference: SIDE_SUMMARY,
    current: SIDE_SUMMARY,
    distribution: DISTRIBUTION.exactOptional(),
  })
  .meta({
    description:
      "One column's drift test. `score` is null and `problem` says why when `status` is 'error'.",
  });

const DATA_DRIFT = z.strictObject({
  columns: z.array(COLUMN_DRIFT_SCHEMA),
  testedColumns: count,
  driftedColumns: count,
  driftedShare: share,
  driftShare: share,
  datasetDrift: z.boolean(),
  problems: z.array(z.string()),
});

const COLUMN_QUALITY = z.strictObject({
  column: z.string(),
  kind: columnKind,
  missing: count,
  missingShare: share,
  referenceMissingShare: share,
  outOfRange: count.exactOptional(),
  outOfRangeShare: share.exactOptional(),
  referenceRange: z.tuple([z.number(), z.number()]).exactOptional(),
  min: z.number().exactOptional(),
  max: z.number().exactOptional(),
  mean: z.number().exactOptional(),
  newCategories: z.array(z.string()).exactOptional(),
  newCategoryCount: count.exactOptional(),
  outOfList: count.exactOptional(),
  outOfListShare: share.exactOptional(),
  constant: z.boolean(),
  almostConstant: z.boolean().exactOptional(),
});

const SCHEMA_VIOLATION = z.strictObject({
  column: z.string(),
  problem: z.enum(['missing_in_current', 'unexpected_in_current', 'type_mismatch']),
  expected: z.string().exactOptional(),
  actual: z.string().exactOptional(),
  message: z.string(),
});

const CONTRACT_VIOLATION = z.strictObject({
  rule: z.string(),
  severity: z.enum(['error', 'warning']),
  message: z.string(),
  where: z.string().exactOptional(),
});

const DATA_QUALITY = z.strictObject({
  referenceRows: count,
  currentRows: count,
  columns: z.array(COLUMN_QUALITY),
  schema: z.array(SCHEMA_VIOLATION),
  contract: z.array(CONTRACT_VIOLATION),
  missingShare: share,
  problems: z.array(z.string()).exactOptional(),
});

const SCORES_SHAPE = {
  count,
  mae: z.number(),
  rmse: z.number(),
  mape: z.number().nullable(),
  skill: z.number().nullable(),
  baselineRmse: z.number().nullable(),
  meanError: z.number(),
};

const PERFORMANCE = z.strictObject({
  overall: z.strictObject(SCORES_SHAPE),
  windows: z.array(
    z.strictObject({
      ...SCORES_SHAPE,
      start: z.number(),
      end: z.number(),
      startLabel: z.string().exactOptional(),
      endLabel: z.string().exactOptional(),
    }),
  ),
  registered: z
    .strictObject({
      mae: z.number().exactOptional(),
      rmse: z.number().exactOptional(),
      mape: z.number().nullable().exactOptional(),
      skill: z.number().nullable().exactOptional(),
    })
    .exactOptional(),
  change: z
    .strictObject({
      mae: z.number().exactOptional(),
      rmse: z.number().exactOptional(),
      mape: z.number().exactOptional(),
      skill: z.number().exactOptional(),
    })
    .exactOptional(),
  unscored: count,
  problems: z.array(z.string()).exactOptional(),
});

const METRIC_VALUE = z.union([z.number(), z.boolean(), z.null()], {
  error: 'expected a number, a boolean or null (JSON has no NaN or Infinity)',
});

const CONDITION_RESULT = z.strictObject({
  name: z.string(),
  metric: z.string(),
  condition: z.string(),
  actual: METRIC_VALUE,
  status: z.enum(['pass', 'fail', 'error']),
  message: z.string(),
});

/** The JSON form of a `MonitorReport` (docs/monitoring.md, "Report"). */
export const MONITOR_REPORT_SCHEMA = z
  .strictObject({
    schemaVersion: z.literal(1),
    generatedAt: z.iso.datetime({ offset: true }),
    title: z.string(),
    model: z.strictObject({ name: z.string(), version: z.string() }).exactOptional(),
    reference: REPORT_SOURCE,
    current: REPORT_SOURCE,
    dataDrift: DATA_DRIFT,
    predictionDrift: COLUMN_DRIFT_SCHEMA.exactOptional(),
    dataQuality: DATA_QUALITY.exactOptional(),
    performance: PERFORMANCE.exactOptional(),
    notes: z.array(z.string()),
    metrics: z
      .record(z.string(), METRIC_VALUE)
      .meta({ description: 'Flat metrics the checks read (docs/monitoring.md, "Metrics").' }),
    checks: z.array(CONDITION_RESULT),
  })
  .meta({
    title: 'mlops monitor report',
    description:
      'Data drift, prediction drift, data quality and live performance of a model, with the checks run on them. schemaVersion changes only with a breaking change.',
  });

// The schema and the contract type must describe the same objects: this fails to compile when
// either changes without the other, an added optional field included (readonly aside, which
// JSON cannot carry). Mutual assignability would miss optional fields, hence identity.
type Mutable<T> = T extends object ? { -readonly [K in keyof T]: Mutable<T[K]> } : T;
type Identical<A, B> =
  (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type AssertTrue<T extends true> = T;
type _SchemaMatchesType = AssertTrue<
  Identical<Mutable<MonitorReport>, Mutable<z.infer<typeof MONITOR_REPORT_SCHEMA>>>
>;

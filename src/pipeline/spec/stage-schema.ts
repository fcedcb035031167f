import { z } from 'zod';

/** Every field a stage may have, in the order messages list them. */
export const STAGE_FIELDS = [
  'cmd',
  'uses',
  'with',
  'wdir',
  'deps',
  'params',
  'outs',
  'metrics',
  'plots',
  'always_changed',
  'frozen',
  'desc',
  'foreach',
  'matrix',
  'do',
  'vars',
] as const;

/** The flags of an `outs`/`metrics` entry and, with the plot options, of a `plots` entry. */
export const OUT_FLAGS = ['cache', 'persist', 'desc'] as const;
export const PLOT_FLAGS = [
  ...OUT_FLAGS,
  'x',
  'y',
  'title',
  'x_label',
  'y_label',
  'template',
] as const;

// Built once: zod compiles object schemas on first use, so module-level schemas stay cheap.
const path = z.string().min(1);
const columns = z.union([z.string(), z.array(z.string())]);
const outFlags = z
  .strictObject({ cache: z.boolean(), persist: z.boolean(), desc: z.string() })
  .partial();
const plotFlags = z
  .strictObject({
    cache: z.boolean(),
    persist: z.boolean(),
    desc: z.string(),
    x: z.string(),
    y: columns,
    title: z.string(),
    x_label: z.string(),
    y_label: z.string(),
    template: z.string(),
  })
  .partial();
const single = (entry: Record<string, unknown>) => Object.keys(entry).length === 1;
const outEntry = <T extends z.ZodType>(flags: T) =>
  z.union([
    path,
    z
      .record(z.string().min(1), flags.nullable())
      .refine(single, 'one path per entry (write each as its own - item)'),
  ]);
const paramEntry = z.union([
  path,
  z
    .record(z.string().min(1), z.array(path).nullable())
    .refine(
      (e) => Object.keys(e).length >= 1,
      'a params file entry needs a file: {params.yaml: [keys]}',
    ),
]);
/** `vars` of the pipeline or of a stage: params files (`file.yaml`, `file.yaml:k1,k2`) or mappings. */
export const varsSchema = z.array(z.union([path, z.record(z.string(), z.unknown())])).nullable();

/** A stage after templating (foreach/matrix already expanded). */
export const stageBodySchema = z.strictObject({
  cmd: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  uses: z.string().min(1).optional(),
  with: z.record(z.string(), z.unknown()).nullable().optional(),
  wdir: z.string().min(1).optional(),
  deps: z.array(path).nullable().optional(),
  params: z.array(paramEntry).nullable().optional(),
  outs: z.array(outEntry(outFlags)).nullable().optional(),
  metrics: z.array(outEntry(outFlags)).nullable().optional(),
  plots: z.array(outEntry(plotFlags)).nullable().optional(),
  always_changed: z.boolean().optional(),
  frozen: z.boolean().optional(),
  desc: z.string().optional(),
  vars: varsSchema.optional(),
});
export type StageBody = z.infer<typeof stageBodySchema>;

const topPlotOptions = z
  .strictObject({
    x: z.union([z.string(), z.record(z.string().min(1), z.string())]),
    y: z.union([columns, z.record(z.string().min(1), columns)]),
    title: z.string(),
    x_label: z.string(),
    y_label: z.string(),
    template: z.string(),
  })
  .partial();
/** Top-level `plots:`: ids (files or names) with options. */
export const topPlotsSchema = z
  .array(
    z.union([
      path,
      z
        .record(z.string().min(1), topPlotOptions.nullable())
        .refine(single, 'one plot per entry (write each as its own - item)'),
    ]),
  )
  .nullable();
export type TopPlotEntry = NonNullable<z.infer<typeof topPlotsSchema>>[number];
/** Top-level `params:`: extra params files shown by `params diff`. */
export const topParamsSchema = z.array(path).nullable();

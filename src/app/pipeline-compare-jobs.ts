import { resolve } from 'node:path';
import { readStoredFile } from '../blobs/index.js';
import type {
  MetricsDiff,
  MetricsShow,
  ParamsDiff,
  PipelineSpec,
  PlotOptions,
  PlotsDiff,
  ReadStored,
} from '../pipeline/index.js';
import { openBlobStore } from './open-blob-store.js';
import { loadWorkspacePipeline } from './pipeline-jobs.js';
import { findWorkspace } from './workspace.js';

// The pipeline module (yaml, zod) is loaded only when a compare command runs.
const pipeline = () => import('../pipeline/index.js');

export interface CompareJobOptions {
  /** Where the workspace is looked up from (and `out` is relative to); default process.cwd(). */
  readonly cwd?: string;
}

/** Two revisions to compare: `a` (default HEAD) against `b` (default the working tree). */
export interface RevisionPairOptions extends CompareJobOptions {
  readonly a?: string;
  readonly b?: string;
  /** Unchanged values too. */
  readonly all?: boolean;
}

/** The workspace root, and a reader of cached metric/plot files from its byte store. */
function compareContext(options: CompareJobOptions): { root: string; readStored: ReadStored } {
  const workspace = findWorkspace(options.cwd);
  const readStored: ReadStored = (manifest) =>
    readStoredFile(openBlobStore(process.env['MLOPS_ARTIFACT_URI'], workspace.blobs), manifest);
  return { root: workspace.root, readStored };
}

const pair = (o: RevisionPairOptions) => ({
  ...(o.a === undefined ? {} : { a: o.a }),
  ...(o.b === undefined ? {} : { b: o.b }),
  all: o.all === true,
});

/** `mlops params diff [a] [b]`. */
export async function paramsDiffJob(options: RevisionPairOptions = {}): Promise<ParamsDiff> {
  const { root } = compareContext(options);
  return (await pipeline()).paramsDiff({ root, ...pair(options) });
}

/** `mlops metrics show [--rev R]`. */
export async function metricsShowJob(
  options: CompareJobOptions & { readonly rev?: string } = {},
): Promise<MetricsShow> {
  const ctx = compareContext(options);
  return (await pipeline()).metricsShow({
    ...ctx,
    ...(options.rev === undefined ? {} : { rev: options.rev }),
  });
}

/** `mlops metrics diff [a] [b]`. */
export async function metricsDiffJob(options: RevisionPairOptions = {}): Promise<MetricsDiff> {
  return (await pipeline()).metricsDiff({ ...compareContext(options), ...pair(options) });
}

/**
 * `mlops plots diff [revs...] [-o page.html]`: the lock files' plots at each revision in one
 * HTML page (default `plots.html` in `cwd`), drawn with the options mlops.yaml gives them.
 */
export async function plotsDiffJob(
  options: CompareJobOptions & { readonly revs?: readonly string[]; readonly out?: string } = {},
): Promise<PlotsDiff> {
  const ctx = compareContext(options);
  return (await pipeline()).plotsDiff({
    ...ctx,
    ...(options.revs === undefined ? {} : { revs: options.revs }),
    out: resolve(options.cwd ?? process.cwd(), options.out ?? 'plots.html'),
    optionsByPath: await pipelinePlotOptions(ctx.root),
  });
}

/**
 * Plot options by file from mlops.yaml (`plots:` of stages and the top level). Only cosmetic:
 * without a pipeline, or with one that does not validate, plots are drawn with the defaults.
 */
async function pipelinePlotOptions(root: string): Promise<Map<string, PlotOptions>> {
  let spec: PipelineSpec;
  try {
    spec = (await loadWorkspacePipeline(root)).spec;
  } catch {
    return new Map();
  }
  const out = new Map<string, PlotOptions>();
  for (const stage of spec.stages) {
    for (const o of stage.outs) if (o.kind === 'plot' && o.plot) out.set(o.path, o.plot);
  }
  for (const plot of spec.plots) {
    for (const file of plot.files) {
      const fields = {
        x: plot.xByFile?.[file] ?? plot.x,
        y: plot.yByFile?.[file] ?? plot.y,
        title: plot.title,
        xLabel: plot.xLabel,
        yLabel: plot.yLabel,
        template: plot.template,
      };
      const defined = Object.entries(fields).filter(([, v]) => v !== undefined);
      out.set(file, Object.fromEntries(defined) as PlotOptions);
    }
  }
  return out;
}

import { formatYamlPath } from '../../core/index.js';
import type { ParamsFiles } from './params-files.js';
import { describeProblem } from './params-files.js';
import type { TopPlotSpec } from './pipeline-spec.js';
import { describeStageIssue, describeValue } from './schema-issues.js';
import { topParamsSchema, topPlotsSchema, type TopPlotEntry } from './stage-schema.js';
import { resolveTree, type TemplateContext } from './template.js';
import { toWorkspacePath } from './workspace-paths.js';
import type { SourcePath } from './yaml-source.js';

/** The keys `mlops.yaml` may have at the top level. */
export const TOP_LEVEL_KEYS = ['stages', 'vars', 'params', 'plots', 'remotes'] as const;

type Fail = (path: SourcePath, message: string) => Error;

/** "expected ..." for the list itself and for one of its items. */
const PARAMS_EXPECTED = { list: 'a list of params files', item: 'a params file (string)' };
const PLOTS_EXPECTED = {
  list: 'a list of plots',
  item: 'a plot file or {id: {x, y, title, x_label, y_label, template}}',
};

/** Top-level `params:`: extra params files (for `params diff`), each of which must exist. */
export async function topParams(value: unknown, files: ParamsFiles, fail: Fail): Promise<string[]> {
  const entries = checkList(topParamsSchema, 'params', value, PARAMS_EXPECTED, fail) ?? [];
  const rels: string[] = [];
  for (const [i, written] of entries.entries()) {
    const rel = toWorkspacePath('.', written, (why) => fail(['params', i], `params file ${why}`));
    const result = await files.read(rel);
    if (!result.ok) throw fail(['params', i], describeProblem(rel, result.problem));
    rels.push(rel);
  }
  return rels;
}

/** Top-level `plots:` (DVC's plot definitions), templates resolved. */
export function topPlots(value: unknown, context: TemplateContext, fail: Fail): TopPlotSpec[] {
  const resolved = resolveTree(value, context, ['plots'], (path, why) =>
    fail(path, `cannot resolve a template: ${why}`),
  );
  const entries = checkList(topPlotsSchema, 'plots', resolved, PLOTS_EXPECTED, fail);
  return (entries ?? []).map((entry, i) => topPlot(entry, (why) => fail(['plots', i], why)));
}

type Schema<T> = {
  safeParse(
    v: unknown,
  ): { success: true; data: T } | { success: false; error: { issues: readonly unknown[] } };
};

/** Validates a top-level list with `schema`, naming the key and the item on failure. */
function checkList<T>(
  schema: Schema<T>,
  key: string,
  value: unknown,
  expected: { readonly list: string; readonly item: string },
  fail: Fail,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues as Parameters<typeof describeStageIssue>[0];
  const shifted = issues.map((i) => ({ ...i, path: [key, ...i.path] }));
  const { path, message } = describeStageIssue(shifted, { [key]: value });
  // Below a list item the stage wording (flags, columns) fits; for the list and its items, ours.
  const detail =
    path.length > 2
      ? message.replace(/^has (an invalid '[^']*': )?/, '')
      : `expected ${path.length === 1 ? expected.list : expected.item}, got ${describeValue(path.length === 1 ? value : (value as unknown[])[path[1] as number])}`;
  throw fail(path, `top-level '${formatYamlPath(path)}' is invalid: ${detail}`);
}

function topPlot(entry: TopPlotEntry, fail: (why: string) => Error): TopPlotSpec {
  if (typeof entry === 'string') {
    const file = toWorkspacePath('.', entry, (why) => fail(`plot ${why}`));
    return { id: entry, files: [file] };
  }
  const [id, options] = Object.entries(entry)[0] ?? ['', null];
  const columns = (c: string | readonly string[]) => (typeof c === 'string' ? [c] : [...c]);
  const files = new Set<string>();
  const byFile = <V>(spec: Readonly<Record<string, V>>) => {
    const out: Record<string, V> = {};
    for (const [file, v] of Object.entries(spec)) {
      const rel = toWorkspacePath('.', file, (why) => fail(`plot file ${why}`));
      files.add(rel);
      out[rel] = v;
    }
    return out;
  };
  const x = options?.x;
  const y = options?.y;
  const xByFile = typeof x === 'object' ? byFile(x) : undefined;
  const yByFile =
    typeof y === 'object' && !Array.isArray(y)
      ? Object.fromEntries(
          Object.entries(byFile(y as Record<string, string | string[]>)).map(([f, c]) => [
            f,
            columns(c),
          ]),
        )
      : undefined;
  if (files.size === 0) files.add(toWorkspacePath('.', id, (why) => fail(`plot ${why}`)));
  const ys = yByFile
    ? [...new Set(Object.values(yByFile).flat())]
    : y === undefined
      ? undefined
      : columns(y as string | string[]);
  const xs = xByFile ? Object.values(xByFile)[0] : (x as string | undefined);
  return {
    id,
    files: [...files],
    ...(xs === undefined ? {} : { x: xs }),
    ...(ys === undefined ? {} : { y: ys }),
    ...(xByFile === undefined ? {} : { xByFile }),
    ...(yByFile === undefined ? {} : { yByFile }),
    ...(options?.title === undefined ? {} : { title: options.title }),
    ...(options?.x_label === undefined ? {} : { xLabel: options.x_label }),
    ...(options?.y_label === undefined ? {} : { yLabel: options.y_label }),
    ...(options?.template === undefined ? {} : { template: options.template }),
  };
}

import { buildDag } from '../dag/index.js';
import { buildStage, type StageOrigin, type StepLookup } from './build-stage.js';
import { checkPaths } from './check-paths.js';
import { expandStages } from './expand-stages.js';
import { ParamsFiles } from './params-files.js';
import { DEFAULT_PARAMS_FILE, PIPELINE_FILE, type PipelineSpec } from './pipeline-spec.js';
import { describeValue } from './schema-issues.js';
import { varsSchema } from './stage-schema.js';
import { addVars, defaultScope } from './template-context.js';
import { TOP_LEVEL_KEYS, topParams, topPlots } from './top-level.js';
import type { WorkspaceProbe } from './workspace-probe.js';
import { YamlSource, type SourcePath } from './yaml-source.js';

export interface PipelineInput extends WorkspaceProbe {
  /** The workspace root (absolute). */
  readonly root: string;
  /** The contents of `mlops.yaml`. */
  readonly text: string;
  /** The file as messages name it (default `mlops.yaml`). */
  readonly file?: string;
  /** The built-in steps `uses:` may name; without it `uses`/`with` are not checked. */
  readonly steps?: StepLookup;
}

const TOP_KEYS = new Set<string>(TOP_LEVEL_KEYS);

const isMapping = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates `mlops.yaml` as a whole (its `remotes:` with the data module's rules) and returns
 * the expanded pipeline, deeply frozen. Every problem is `INVALID_PARAMETER_VALUE` whose message
 * starts with `<file>, line <n>:` and names the stage and field; details hold `{file, line,
 * stage?, field?}`. Reads only through `input` (params files, existence of deps and pointers).
 */
export async function parsePipeline(input: PipelineInput): Promise<PipelineSpec> {
  const source = new YamlSource(input.file ?? PIPELINE_FILE, input.text);
  const fail = (path: SourcePath, message: string) =>
    source.fail(path, message, typeof path[0] === 'string' ? { field: path[0] } : {});
  const top = source.toJS() ?? {};
  if (!isMapping(top)) {
    throw fail(
      [],
      `expected a mapping (stages:, params:, ...) at the top level, got ${describeValue(top)}`,
    );
  }
  for (const key of Object.keys(top)) {
    if (!TOP_KEYS.has(key)) {
      throw fail([key], `unknown top-level key '${key}' (expected ${TOP_LEVEL_KEYS.join(', ')})`);
    }
  }
  if (top['remotes'] !== undefined) {
    // Loaded on demand: the data module is large and most pipelines have no remotes.
    const { validateRemotesSection } = await import('../../data/index.js');
    validateRemotesSection(source.doc, source.lineCounter, source.file);
  }

  const files = new ParamsFiles(input.readText);
  const scope = await defaultScope(files, fail);
  const vars = varsSchema.safeParse(top['vars'] ?? null);
  if (!vars.success) {
    throw fail(
      ['vars'],
      'top-level vars must be a list of params files (file.yaml, file.yaml:key1,key2) or mappings',
    );
  }
  await addVars(scope, vars.data ?? [], '.', files, ['vars'], fail);

  const stages = top['stages'] ?? {};
  if (!isMapping(stages)) {
    throw fail(
      ['stages'],
      `'stages' must map stage names to their fields, got ${describeValue(stages)}`,
    );
  }
  const paramsFiles = new Set<string>();
  const origins: StageOrigin[] = [];
  const ctx = { source, files, scope, paramsFiles, ...(input.steps ? { steps: input.steps } : {}) };
  for (const draft of expandStages(source, stages, scope.context)) {
    origins.push(await buildStage(draft, ctx));
  }
  for (const rel of await topParams(top['params'] ?? null, files, fail)) paramsFiles.add(rel);
  const spec: PipelineSpec = deepFreeze({
    root: input.root,
    stages: origins.map((o) => o.stage),
    plots: topPlots(top['plots'] ?? null, scope.context, fail),
    paramsFiles: [...paramsFiles].sort((a, b) =>
      a === DEFAULT_PARAMS_FILE ? -1 : b === DEFAULT_PARAMS_FILE ? 1 : a.localeCompare(b),
    ),
  });
  await checkPaths(source, origins, input);
  buildDag(spec); // throws on a cycle; cached for the caller's own buildDag(spec)
  return spec;
}

/** Freezes a plain value and everything in it (params values included). */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

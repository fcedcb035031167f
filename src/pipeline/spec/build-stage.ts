import { MlopsError } from '../../core/index.js';
import type { StageDraft } from './expand-stages.js';
import { describeProblem, paramValue, type ParamsFiles } from './params-files.js';
import {
  DEFAULT_PARAMS_FILE,
  type OutSpec,
  type ParamSpec,
  type PlotOptions,
  type StageSpec,
} from './pipeline-spec.js';
import { describeStageIssue } from './schema-issues.js';
import { stageBodySchema, varsSchema, type StageBody } from './stage-schema.js';
import { addVars, VariableScope } from './template-context.js';
import { resolveTree } from './template.js';
import { toOutputPath, toWorkspacePath } from './workspace-paths.js';
import type { SourcePath, YamlSource } from './yaml-source.js';

/** The steps `uses:` may name (a `StepRegistry` fits). */
export interface StepLookup {
  has(name: string): boolean;
  get(name: string): { validate(args: Readonly<Record<string, unknown>>): void };
  names?(): readonly string[];
}

/** Where a built stage's parts were written, for the graph checks' messages. */
export interface StageOrigin {
  readonly stage: StageSpec;
  readonly bodyPath: SourcePath;
  /** Below `bodyPath`, one per `stage.outs` entry (`['outs', 0]`, `['plots', 1]`). */
  readonly outPaths: readonly SourcePath[];
  /** Below `bodyPath`, one per `stage.deps` entry. */
  readonly depPaths: readonly SourcePath[];
}

export interface BuildContext {
  readonly source: YamlSource;
  readonly files: ParamsFiles;
  /** params.yaml and the pipeline's `vars`. */
  readonly scope: VariableScope;
  readonly steps?: StepLookup;
  /** Collects the params files stages track. */
  readonly paramsFiles: Set<string>;
}

type Fail = (path: SourcePath, message: string) => Error;

const OUT_FIELDS = { outs: 'out', metrics: 'metric', plots: 'plot' } as const;

/** Resolves a draft's templates, validates it and builds its `StageSpec` (not yet frozen). */
export async function buildStage(draft: StageDraft, ctx: BuildContext): Promise<StageOrigin> {
  const { source } = ctx;
  const fail: Fail = (path, message) =>
    source.fail([...draft.bodyPath, ...path], `stage '${draft.name}' ${message}`, {
      stage: draft.name,
      ...(typeof path[0] === 'string' ? { field: path[0] } : {}),
    });
  const templateFail: Fail = (path, message) => fail(path, `cannot resolve a template: ${message}`);

  const scope = await stageScope(draft, ctx, templateFail, fail);
  const resolved: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(draft.body)) {
    if (field === 'vars') continue;
    const mode = field === 'cmd' ? 'cmd' : 'value';
    resolved[field] = resolveTree(value, scope.context, [field], templateFail, mode);
  }
  const parsed = stageBodySchema.safeParse(resolved);
  if (!parsed.success) {
    const { path, message } = describeStageIssue(parsed.error.issues, resolved);
    throw fail(path, message);
  }
  const body = parsed.data;
  checkAction(body, ctx.steps, fail);

  const wdir = toWorkspacePath('.', body.wdir ?? '.', (why) => fail(['wdir'], `has wdir ${why}`));
  const depPaths: SourcePath[] = [];
  const deps: string[] = [];
  for (const [i, dep] of (body.deps ?? []).entries()) {
    const rel = toWorkspacePath(wdir, dep, (why) => fail(['deps', i], `has dep ${why}`));
    if (deps.includes(rel)) continue;
    deps.push(rel);
    depPaths.push(['deps', i]);
  }
  const outs: OutSpec[] = [];
  const outPaths: SourcePath[] = [];
  // In the order written (zod's output follows the schema's key order).
  for (const field of Object.keys(resolved)) {
    if (!(field in OUT_FIELDS)) continue;
    const kind = OUT_FIELDS[field as keyof typeof OUT_FIELDS];
    for (const [i, entry] of (body[field as keyof typeof OUT_FIELDS] ?? []).entries()) {
      outs.push(outSpec(entry, kind, wdir, (why) => fail([field, i], `has ${kind} ${why}`)));
      outPaths.push([field, i]);
    }
  }
  const stage: StageSpec = {
    name: draft.name,
    ...(body.cmd === undefined
      ? {}
      : { cmd: typeof body.cmd === 'string' ? [body.cmd] : body.cmd }),
    ...(body.uses === undefined ? {} : { uses: body.uses, with: body.with ?? {} }),
    wdir,
    deps,
    params: await stageParams(body.params ?? [], wdir, ctx, fail),
    outs,
    alwaysChanged: body.always_changed ?? false,
    frozen: body.frozen ?? false,
    ...(body.desc === undefined ? {} : { desc: body.desc }),
    source: { file: source.file, line: source.lineOf(['stages', draft.group]) },
  };
  return { stage, bodyPath: draft.bodyPath, outPaths, depPaths };
}

/** The pipeline's variables plus `item`/`key` and the stage's own `vars`. */
async function stageScope(
  draft: StageDraft,
  ctx: BuildContext,
  templateFail: Fail,
  fail: Fail,
): Promise<VariableScope> {
  const rawVars = draft.body['vars'];
  const hasLocals = Object.keys(draft.locals).length > 0;
  if (!hasLocals && rawVars === undefined) return ctx.scope;
  const scope = new VariableScope(ctx.scope);
  // foreach/matrix values shadow same-named variables, as in DVC.
  Object.assign(scope.values, draft.locals);
  if (rawVars === undefined || rawVars === null) return scope;
  const vars = varsSchema.safeParse(resolveTree(rawVars, scope.context, ['vars'], templateFail));
  if (!vars.success) {
    const issues = vars.error.issues.map((i) => ({ ...i, path: ['vars', ...i.path] }));
    const { path, message } = describeStageIssue(issues, { vars: rawVars });
    throw fail(path, message);
  }
  // vars files are relative to the stage's working directory, as in DVC.
  const wdir = resolveTree(draft.body['wdir'] ?? '.', scope.context, ['wdir'], templateFail);
  const base =
    typeof wdir === 'string'
      ? toWorkspacePath('.', wdir, (why) => fail(['wdir'], `has wdir ${why}`))
      : '.';
  await addVars(scope, vars.data ?? [], base, ctx.files, ['vars'], fail);
  return scope;
}

/** `cmd` xor `uses`; `with` only beside `uses`; the step exists and accepts its arguments. */
function checkAction(body: StageBody, steps: StepLookup | undefined, fail: Fail): void {
  if (body.cmd !== undefined && body.uses !== undefined) {
    throw fail(['uses'], 'has both cmd and uses; a stage runs either a command or a built-in step');
  }
  if (body.cmd === undefined && body.uses === undefined) {
    throw fail([], 'needs cmd (a shell command) or uses (a built-in step)');
  }
  if (body.with !== undefined && body.uses === undefined) {
    throw fail(['with'], "has 'with' without 'uses'; with: gives the arguments of a built-in step");
  }
  if (body.uses === undefined || steps === undefined) return;
  if (!steps.has(body.uses)) {
    const known = steps.names?.() ?? [];
    throw fail(
      ['uses'],
      `uses unknown step '${body.uses}' (known steps: ${known.join(', ') || 'none'})`,
    );
  }
  const args = body.with ?? {};
  try {
    steps.get(body.uses).validate(args);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const details = MlopsError.is(err) ? (err.details ?? {}) : {};
    const named = ['argument', 'field', 'key', 'name'].map((k) => details[k]);
    const arg = named.find((a): a is string => typeof a === 'string' && Object.hasOwn(args, a));
    throw fail(
      arg === undefined ? ['with'] : ['with', arg],
      `has invalid arguments for step '${body.uses}': ${message}`,
    );
  }
}

type OutEntry = NonNullable<StageBody['plots']>[number];

function outSpec(
  entry: OutEntry,
  kind: OutSpec['kind'],
  wdir: string,
  fail: (why: string) => Error,
): OutSpec {
  const [written, flags] =
    typeof entry === 'string' ? [entry, null] : (Object.entries(entry)[0] ?? ['', null]);
  const path = toOutputPath(wdir, written, fail);
  const cache = flags?.cache ?? kind !== 'metric';
  const out = { path, kind, cache, persist: flags?.persist ?? false };
  const withDesc = flags?.desc === undefined ? out : { ...out, desc: flags.desc };
  if (kind !== 'plot') return withDesc;
  const plot: PlotOptions = {
    ...(flags?.x === undefined ? {} : { x: flags.x }),
    ...(flags?.y === undefined ? {} : { y: typeof flags.y === 'string' ? [flags.y] : flags.y }),
    ...(flags?.title === undefined ? {} : { title: flags.title }),
    ...(flags?.x_label === undefined ? {} : { xLabel: flags.x_label }),
    ...(flags?.y_label === undefined ? {} : { yLabel: flags.y_label }),
    ...(flags?.template === undefined ? {} : { template: flags.template }),
  };
  return { ...withDesc, plot };
}

/** `params:` entries with the values they have now; a missing file or key is an error. */
async function stageParams(
  entries: NonNullable<StageBody['params']>,
  wdir: string,
  ctx: BuildContext,
  fail: Fail,
): Promise<ParamSpec[]> {
  const params: ParamSpec[] = [];
  const seen = new Set<string>();
  const add = (file: string, key: string, value: unknown) => {
    const id = `${file}\0${key}`;
    if (seen.has(id)) return;
    seen.add(id);
    params.push({ file, key, value });
  };
  for (const [i, entry] of entries.entries()) {
    const groups: [string, readonly string[] | null][] =
      typeof entry === 'string' ? [[DEFAULT_PARAMS_FILE, [entry]]] : Object.entries(entry);
    for (const [written, keys] of groups) {
      const at = typeof entry === 'string' ? ['params', i] : ['params', i, written];
      const file = toWorkspacePath(wdir, written, (why) => fail(at, `has params file ${why}`));
      const result = await ctx.files.read(file);
      if (!result.ok) {
        const hint =
          result.problem === 'missing' && typeof entry === 'string'
            ? ` (the key '${entry}' is looked up there; name another file with {file.yaml: [${entry}]})`
            : '';
        throw fail(at, `tracks params, but ${describeProblem(file, result.problem)}${hint}`);
      }
      ctx.paramsFiles.add(file);
      if (keys === null) {
        for (const [key, value] of Object.entries(result.values)) add(file, key, value);
        continue;
      }
      for (const key of keys) {
        const value = paramValue(result.values, key);
        if (value === undefined) {
          throw fail(at, `tracks param '${key}', which ${file} does not define`);
        }
        add(file, key, value);
      }
    }
  }
  return params;
}

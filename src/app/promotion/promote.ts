import { resolve } from 'node:path';
import { MlopsError, invalidParam } from '../../core/index.js';
import {
  newGateId,
  parseGateConfig,
  runGate,
  type GateConfig,
  type GateEntrant,
  type GateRecord,
  type GateRole,
  type ModelVersion,
  type PromotionDecision,
} from '../../registry/index.js';
import { loadVersionPackage, type LoadedRegisteredModel } from '../models/load-model-package.js';
import type { ModelsContext } from '../models/models-context.js';
import { comparisonRows, type ComparisonRows } from './comparison-rows.js';
import { formatPromotion } from './format-promotion.js';
import { ensurePersistenceVersion, modelVersions } from './persistence-version.js';
import { findWorkspace } from '../workspace.js';
import { recordDecision } from './record-decision.js';
import { scorePackage } from './score-package.js';

export interface PromoteOptions {
  readonly name: string;
  /** The candidates; default: the newest version that is not archived. */
  readonly versions?: readonly string[];
  /** The gate's settings (params.yaml `gate:` merged with flags); defaults DEFAULT_GATE_CONFIG. */
  readonly gate?: Partial<GateConfig>;
  /**
   * The latest dataset version's CSV (a path, relative to `ctx.cwd`); default: the dataset the
   * newest candidate's package names. The comparison rows come from it.
   */
  readonly data?: string;
  /** Move the alias to the (single) candidate whatever the scores say; recorded as forced. */
  readonly force?: boolean;
  /** Decision time (tests); default now. */
  readonly now?: Date;
  readonly progress?: (line: string) => void;
}

export interface PromotionResult {
  readonly record: GateRecord;
  readonly decision: PromotionDecision;
  /** The record as printable lines (`formatPromotion`). */
  readonly lines: readonly string[];
}

/**
 * The promotion gate, end to end: loads the candidates, the alias holder and the persistence
 * version of `name` (registering one when there is none), every package verified; scores them
 * all on the same rows of the latest dataset, those dated after the training end of every one
 * of them; lets the gate decide; records the decision on the versions and the model; and moves
 * the alias once, when the gate says so. Too few comparison rows: refused, nothing moves.
 */
export async function promote(
  ctx: ModelsContext,
  options: PromoteOptions,
): Promise<PromotionResult> {
  const config = gateConfig(options.gate);
  const { name } = options;
  const model = await ctx.registry.getRegisteredModel(name);
  const cache = new Map<string, Promise<LoadedRegisteredModel>>();
  const load = (v: ModelVersion) => {
    let loaded = cache.get(v.version);
    if (!loaded) cache.set(v.version, (loaded = loadVersionPackage(ctx, v)));
    return loaded;
  };
  const candidates = await candidateVersions(ctx, options);
  if (options.force && candidates.length !== 1) {
    throw invalidParam(
      `--force moves '${config.alias}' to one version; name exactly one (got ${candidates.length}).`,
      { field: 'force' },
    );
  }
  // One at a time: a corrupt package stops the gate before the next is read.
  const loadedCandidates: LoadedRegisteredModel[] = [];
  for (const c of candidates) loadedCandidates.push(await load(c));
  const holderVersion = model.aliases.find((a) => a.alias === config.alias)?.version;
  // A holder that cannot be loaded (a corrupt package) stops the gate, unless --force: then the
  // alias moves without scoring it, so a broken champion can be replaced.
  let holder: LoadedRegisteredModel | undefined;
  let unloadable: string | undefined;
  if (holderVersion !== undefined) {
    try {
      holder = await load(await ctx.registry.getModelVersion(name, holderVersion));
    } catch (err) {
      if (!options.force || !MlopsError.is(err)) throw err;
      unloadable = `The holder v${holderVersion} was not scored: ${err.message}`;
      options.progress?.(unloadable);
    }
  }
  const cwd = ctx.cwd ?? process.cwd();
  const source = options.data ?? defaultData(loadedCandidates);
  // --data is the user's path (from here); a package's source is the workspace's (from its root).
  const data = resolve(options.data === undefined ? findWorkspace(cwd).root : cwd, source);
  const persistence = await ensurePersistenceVersion(ctx, name, data, load, options.progress);

  const roles = new Map<string, GateRole[]>();
  const add = (m: LoadedRegisteredModel | undefined, role: GateRole) => {
    if (m) roles.set(m.version, [...(roles.get(m.version) ?? []), role]);
  };
  for (const c of loadedCandidates) add(c, 'candidate');
  add(holder, 'holder');
  add(persistence, 'persistence');
  const entrants: GateEntrant[] = [...roles].map(([version, r]) => ({ version, roles: r }));
  const judged = new Map<string, LoadedRegisteredModel>();
  for (const e of entrants)
    judged.set(e.version, await (cache.get(e.version) as Promise<LoadedRegisteredModel>));

  const dataset = await loadComparisonData(data, [...judged.values()]);
  const rows = dataset.rows;
  options.progress?.(
    `scoring ${entrants.map((e) => `v${e.version}`).join(', ')} on ${rows.count} rows of ${source}`,
  );
  const { decision, evaluations } = await runGate({
    config,
    entrants,
    rows: rows.count,
    ...(options.force ? { force: candidates[0]?.version as string } : {}),
    evaluate: (version) => {
      const m = judged.get(version) as LoadedRegisteredModel;
      return scorePackage(m.files, rows, `${name} version ${version}`);
    },
  });
  const record = buildRecord({
    name,
    config,
    decision,
    evaluations,
    entrants,
    judged,
    rows,
    data: { source, sha256: dataset.sha256 },
    at: options.now ?? new Date(),
    ...(holderVersion === undefined ? {} : { holder: holderVersion }),
    ...(unloadable === undefined ? {} : { notes: [unloadable] }),
  });
  await recordDecision(ctx, record);
  return { record, decision, lines: formatPromotion(record) };
}

interface RecordInput {
  readonly name: string;
  readonly config: GateConfig;
  readonly decision: PromotionDecision;
  readonly evaluations: ReadonlyMap<string, Readonly<Record<string, number>>>;
  readonly entrants: readonly GateEntrant[];
  readonly judged: ReadonlyMap<string, LoadedRegisteredModel>;
  readonly rows: ComparisonRows;
  readonly data: GateRecord['data'];
  readonly at: Date;
  /** The alias holder before the decision (also when it could not be judged). */
  readonly holder?: string;
  /** Reasons beyond the gate's own (appended). */
  readonly notes?: readonly string[];
}

/** The decision as recorded: settings, outcome, reasons, rows, data and every judged version. */
function buildRecord(input: RecordInput): GateRecord {
  const { config, decision, rows } = input;
  return {
    id: newGateId(input.at),
    decided_at: input.at.toISOString(),
    model: input.name,
    alias: config.alias,
    metric: config.metric,
    min_improvement: config.minImprovement,
    min_rows: config.minRows,
    outcome: decision.outcome,
    forced: decision.outcome === 'forced',
    alias_before: decision.aliasBefore ?? input.holder ?? null,
    alias_after: decision.aliasAfter ?? null,
    winner: decision.winner ?? null,
    improvement: decision.improvement ?? null,
    reasons: [...decision.reasons, ...(input.notes ?? [])],
    rows: {
      count: rows.count,
      after: rows.after ?? null,
      first_date: rows.count > 0 ? (rows.dates[rows.first] ?? null) : null,
      last_date: rows.count > 0 ? (rows.dates[rows.dates.length - 1] ?? null) : null,
    },
    data: input.data,
    versions: orderedEntries(decision, input.entrants).map((e) => {
      const m = input.judged.get(e.version) as LoadedRegisteredModel;
      const metrics = input.evaluations.get(e.version);
      const score = metrics?.[config.metric];
      return {
        version: e.version,
        roles: e.roles,
        model_kind: m.manifest.model_kind,
        ...(m.modelVersion.runId === undefined ? {} : { run_id: m.modelVersion.runId }),
        score: score !== undefined && Number.isFinite(score) ? score : null,
        ...(metrics === undefined ? {} : { metrics: recorded(metrics) }),
      };
    }),
  };
}

function gateConfig(gate: Partial<GateConfig> | undefined): GateConfig {
  return parseGateConfig({
    metric: gate?.metric,
    min_improvement: gate?.minImprovement,
    min_rows: gate?.minRows,
    alias: gate?.alias,
  });
}

/** The named candidates (not archived), or the newest version that is not archived. */
async function candidateVersions(
  ctx: ModelsContext,
  options: PromoteOptions,
): Promise<ModelVersion[]> {
  const { name } = options;
  if (options.versions === undefined || options.versions.length === 0) {
    const newest = (await modelVersions(ctx, name)).find((v) => !v.archived);
    if (!newest) {
      throw new MlopsError(
        'RESOURCE_DOES_NOT_EXIST',
        `Model '${name}' has no version that is not archived; register one with \`mlops models register runs:/<run id>/model --name ${name}\`.`,
        { details: { name } },
      );
    }
    return [newest];
  }
  const out: ModelVersion[] = [];
  for (const v of new Set(options.versions)) {
    const version = await ctx.registry.getModelVersion(name, v);
    if (version.archived) {
      throw new MlopsError(
        'INVALID_STATE',
        `${name} version ${v} is archived; restore it (\`mlops models archive --restore\`) before it can hold an alias.`,
        { details: { name, version: v } },
      );
    }
    out.push(version);
  }
  return out;
}

/** The dataset the newest candidate trained on, where its package names one. */
function defaultData(candidates: readonly LoadedRegisteredModel[]): string {
  const named = [...candidates].reverse().find((c) => c.manifest.dataset?.source);
  const source = named?.manifest.dataset?.source;
  if (source === undefined) {
    throw invalidParam(
      'Which prices should the gate compare on? No candidate names its dataset; pass --data <csv> (the latest version of the data).',
      { field: 'data' },
    );
  }
  return source;
}

/** The comparison data, held to the data contract for the largest window among the models. */
async function loadComparisonData(
  path: string,
  models: readonly LoadedRegisteredModel[],
): Promise<{ rows: ComparisonRows; sha256: string }> {
  const { loadDataset } = await import('../../forecast/index.js');
  const window = Math.max(2, ...models.map((m) => m.manifest.signature.window));
  const dataset = await loadDataset(path, { windowSize: window });
  const manifests = models.map((m) => m.manifest);
  return {
    rows: comparisonRows(dataset.dates, dataset.closes, manifests),
    sha256: dataset.csv.sha256,
  };
}

/** Entrants in the decision's ranking order (all of them when nothing was scored). */
function orderedEntries(decision: PromotionDecision, entrants: readonly GateEntrant[]) {
  const order = decision.ranking.map((s) => s.version);
  const rank = (v: string) => {
    const i = order.indexOf(v);
    return i < 0 ? order.length : i;
  };
  return [...entrants].sort((a, b) => rank(a.version) - rank(b.version));
}

/** The metrics a record keeps (finite ones): enough to read the decision, small enough to tag. */
const RECORDED_METRICS = [
  'n',
  'rmse',
  'mae',
  'mape',
  'directional_accuracy',
  'skill',
  'change_std_ratio',
  'dm_p_value',
] as const;

function recorded(metrics: Readonly<Record<string, number>>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const key of RECORDED_METRICS) {
    const value = metrics[key];
    if (value !== undefined && Number.isFinite(value)) out[key] = value;
  }
  return out;
}

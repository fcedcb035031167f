import { invalidParam, MlopsError } from '../../core/index.js';
import type { PipelineSpec, StageSpec } from '../spec/pipeline-spec.js';
import { stageLinks, type DagEdge } from './stage-links.js';

export interface NeighbourOptions {
  /** Also the neighbours' neighbours, all the way (default: direct neighbours only). */
  readonly transitive?: boolean;
}

/**
 * The stages of a pipeline as a graph: edges run upstream -> downstream. Immutable; every list
 * is in `order`.
 */
export interface Dag {
  readonly spec: PipelineSpec;
  /** Stage names, upstream before downstream, otherwise in file order. */
  readonly order: readonly string[];
  /** Sorted by `order` of `from`, then of `to`. */
  readonly edges: readonly DagEdge[];
  /** The stage called `name` (`RESOURCE_DOES_NOT_EXIST` otherwise). */
  stage(name: string): StageSpec;
  upstreamOf(name: string, options?: NeighbourOptions): readonly string[];
  downstreamOf(name: string, options?: NeighbourOptions): readonly string[];
}

const built = new WeakMap<PipelineSpec, Dag>();

/**
 * The graph of `spec` (computed once per spec). A cycle, including a stage reading its own
 * output, is `INVALID_PARAMETER_VALUE` printing the cycle with each stage's line.
 */
export function buildDag(spec: PipelineSpec): Dag {
  const cached = built.get(spec);
  if (cached) return cached;
  const byName = new Map(spec.stages.map((s) => [s.name, s]));
  const edges = stageLinks(spec.stages);
  const up = new Map<string, string[]>(spec.stages.map((s) => [s.name, []]));
  const down = new Map<string, string[]>(spec.stages.map((s) => [s.name, []]));
  for (const edge of edges) {
    up.get(edge.to)?.push(edge.from);
    down.get(edge.from)?.push(edge.to);
  }
  const order = topologicalOrder(spec.stages, up, edges);
  const rank = new Map(order.map((name, i) => [name, i]));
  const byRank = (names: Iterable<string>) =>
    [...names].sort((a, b) => (rank.get(a) ?? 0) - (rank.get(b) ?? 0));
  for (const list of [...up.values(), ...down.values()])
    list.splice(0, list.length, ...byRank(list));

  const stage = (name: string): StageSpec => {
    const found = byName.get(name);
    if (found) return found;
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `Unknown stage '${name}'; list them with \`mlops dag\`.`,
      {
        details: { stage: name },
      },
    );
  };
  const neighbours =
    (links: Map<string, string[]>) =>
    (name: string, options: NeighbourOptions = {}) => {
      const direct = links.get(stage(name).name) ?? [];
      if (!options.transitive) return direct;
      const seen = new Set<string>();
      const queue = [...direct];
      for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
        if (seen.has(next)) continue;
        seen.add(next);
        queue.push(...(links.get(next) ?? []));
      }
      return byRank(seen);
    };
  const dag: Dag = Object.freeze({
    spec,
    order: Object.freeze(order),
    edges: Object.freeze(
      edges
        .map((e) => Object.freeze({ ...e, paths: Object.freeze([...e.paths]) }))
        .sort(
          (a, b) =>
            (rank.get(a.from) ?? 0) - (rank.get(b.from) ?? 0) ||
            (rank.get(a.to) ?? 0) - (rank.get(b.to) ?? 0),
        ),
    ),
    stage,
    upstreamOf: neighbours(up),
    downstreamOf: neighbours(down),
  });
  built.set(spec, dag);
  return dag;
}

/** Depth-first in file order, upstream first; a stage met again on the way is a cycle. */
function topologicalOrder(
  stages: readonly StageSpec[],
  up: ReadonlyMap<string, readonly string[]>,
  edges: readonly DagEdge[],
): string[] {
  const index = new Map(stages.map((s, i) => [s.name, i]));
  const byName = new Map(stages.map((s) => [s.name, s]));
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const path: string[] = [];
  const visit = (name: string): void => {
    const seen = state.get(name);
    if (seen === 'done') return;
    if (seen === 'visiting')
      throw cycleError([...path.slice(path.indexOf(name)), name], byName, edges);
    state.set(name, 'visiting');
    path.push(name);
    const upstream = [...(up.get(name) ?? [])].sort(
      (a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0),
    );
    for (const u of upstream) visit(u);
    path.pop();
    state.set(name, 'done');
    order.push(name);
  };
  for (const stage of stages) visit(stage.name);
  return order;
}

/** `cycle` runs downstream -> upstream (the visiting path); the message prints it upstream first. */
function cycleError(
  cycle: readonly string[],
  byName: ReadonlyMap<string, StageSpec>,
  edges: readonly DagEdge[],
): MlopsError {
  const flow = [...cycle].reverse();
  const first = byName.get(flow[0] ?? '');
  const at = (name: string) => `${name} (line ${byName.get(name)?.source.line ?? '?'})`;
  const file = first?.source.file ?? 'mlops.yaml';
  const line = first?.source.line ?? 1;
  if (flow.length === 2) {
    const paths = edges.find((e) => e.from === flow[0] && e.to === flow[0])?.paths ?? [];
    return invalidParam(
      `${file}, line ${line}: stage '${flow[0]}' depends on its own output (${paths.map((p) => `'${p}'`).join(', ')}); a stage cannot read what it writes: write to another path.`,
      { file, line, stage: flow[0], field: 'deps', cycle: flow },
    );
  }
  const via = flow.slice(1).map((to, i) => {
    const from = flow[i] ?? '';
    const paths = edges.find((e) => e.from === from && e.to === to)?.paths ?? [];
    return `${to} reads ${paths.map((p) => `'${p}'`).join(', ')} from ${from}`;
  });
  return invalidParam(
    `${file}, line ${line}: the pipeline has a cycle: ${flow.map(at).join(' -> ')} (${via.join('; ')}); a stage cannot depend, even indirectly, on its own outputs.`,
    { file, line, stage: flow[0], field: 'deps', cycle: flow },
  );
}

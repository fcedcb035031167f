import type { StageSpec } from '../spec/pipeline-spec.js';

/** `to` reads what `from` writes: the deps of `to` involved, in `to`'s order. */
export interface DagEdge {
  readonly from: string;
  readonly to: string;
  readonly paths: readonly string[];
}

/** `a/b/c` -> `a/b`, `a`. */
function parentsOf(rel: string): string[] {
  const parents: string[] = [];
  for (let i = rel.lastIndexOf('/'); i > 0; i = rel.lastIndexOf('/', i - 1)) {
    parents.push(rel.slice(0, i));
  }
  return parents;
}

/**
 * The edges between stages: a dep equal to another stage's out, lying inside an out directory,
 * or a directory holding an out. Self-links are kept (they are cycles). Sorted by the file order
 * of `from`, then of `to`. Cost: linear in paths times their depth, not in stages squared.
 */
export function stageLinks(stages: readonly StageSpec[]): DagEdge[] {
  const producer = new Map<string, StageSpec>();
  const outsInside = new Map<string, StageSpec[]>();
  for (const stage of stages) {
    for (const out of stage.outs) {
      producer.set(out.path, stage);
      for (const parent of parentsOf(out.path)) {
        const list = outsInside.get(parent);
        if (list) list.push(stage);
        else outsInside.set(parent, [stage]);
      }
    }
  }
  const index = new Map(stages.map((s, i) => [s.name, i]));
  const edges = new Map<string, { from: string; to: string; paths: string[] }>();
  for (const to of stages) {
    for (const dep of to.deps) {
      const froms = new Set<StageSpec>();
      const exact = producer.get(dep);
      if (exact) froms.add(exact);
      for (const parent of parentsOf(dep)) {
        const outer = producer.get(parent);
        if (outer) froms.add(outer);
      }
      for (const inner of outsInside.get(dep) ?? []) froms.add(inner);
      for (const from of froms) {
        const id = `${from.name}\0${to.name}`;
        const edge = edges.get(id);
        if (!edge) edges.set(id, { from: from.name, to: to.name, paths: [dep] });
        else if (!edge.paths.includes(dep)) edge.paths.push(dep);
      }
    }
  }
  const at = (name: string) => index.get(name) ?? 0;
  return [...edges.values()].sort((a, b) => at(a.from) - at(b.from) || at(a.to) - at(b.to));
}

import type { Dag } from './build-dag.js';
import type { DagEdge } from './stage-links.js';

/** One stage in `mlops dag --json`. */
export interface DagJsonStage {
  readonly name: string;
  readonly cmd?: readonly string[];
  readonly uses?: string;
  readonly deps: readonly string[];
  readonly outs: readonly string[];
  readonly frozen: boolean;
  /** The line of `mlops.yaml` that defines it. */
  readonly line: number;
}

export interface DagJson {
  /** In DAG order. */
  readonly stages: readonly DagJsonStage[];
  readonly edges: readonly DagEdge[];
}

/** `mlops dag --json`: stages with their deps and outs, and the edges with the paths that make them. */
export function dagJson(dag: Dag): DagJson {
  const stages = dag.order.map((name): DagJsonStage => {
    const stage = dag.stage(name);
    return {
      name,
      ...(stage.cmd === undefined ? {} : { cmd: stage.cmd }),
      ...(stage.uses === undefined ? {} : { uses: stage.uses }),
      deps: stage.deps,
      outs: stage.outs.map((o) => o.path),
      frozen: stage.frozen,
      line: stage.source.line,
    };
  });
  return { stages, edges: dag.edges };
}

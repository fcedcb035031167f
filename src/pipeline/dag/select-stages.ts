import { MlopsError } from '../../core/index.js';
import type { Dag } from './build-dag.js';

export interface SelectOptions {
  /** The targets and everything downstream of them, instead of the targets and their upstream. */
  readonly downstream?: boolean;
}

const MAX_LISTED = 30;

/**
 * The stages `mlops repro [target...]` works on, in DAG order. No targets: every stage. A
 * target names a stage (`train@lstm`) or a stage as written in the file, with all its foreach
 * or matrix expansions (`train`). Like `dvc repro`, the result holds the targets and all their
 * upstream stages, or with `downstream` the targets and all their downstream stages. An unknown
 * target is `RESOURCE_DOES_NOT_EXIST` listing the stages.
 */
export function selectStages(
  dag: Dag,
  targets: readonly string[],
  options: SelectOptions = {},
): ReadonlySet<string> {
  if (targets.length === 0) return new Set(dag.order);
  const chosen = new Set<string>();
  for (const target of targets) {
    const matches = dag.order.filter((name) => name === target || name.startsWith(`${target}@`));
    if (matches.length === 0) throw unknownTarget(dag, target);
    for (const name of matches) {
      chosen.add(name);
      const related = options.downstream
        ? dag.downstreamOf(name, { transitive: true })
        : dag.upstreamOf(name, { transitive: true });
      for (const other of related) chosen.add(other);
    }
  }
  return new Set(dag.order.filter((name) => chosen.has(name)));
}

function unknownTarget(dag: Dag, target: string): MlopsError {
  const names = dag.order;
  const listed = names.slice(0, MAX_LISTED).join(', ');
  const more = names.length > MAX_LISTED ? `, and ${names.length - MAX_LISTED} more` : '';
  const known =
    names.length === 0 ? 'the pipeline has no stages' : `known stages: ${listed}${more}`;
  return new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `Unknown stage '${target}' (${known}). Show the pipeline with \`mlops dag\`.`,
    { details: { stage: target, known: [...names] } },
  );
}

import type { Dag } from './build-dag.js';

/** Each stage's layer: 1 for stages without upstream, else one more than its deepest upstream. */
export function dagLayers(dag: Dag): ReadonlyMap<string, number> {
  const layers = new Map<string, number>();
  for (const name of dag.order) {
    const upstream = dag.upstreamOf(name).map((u) => layers.get(u) ?? 1);
    layers.set(name, upstream.length === 0 ? 1 : Math.max(...upstream) + 1);
  }
  return layers;
}

/**
 * `mlops dag` as plain text: stages grouped by layer, each with arrows to the stages that read
 * its outputs.
 *
 * @example
 * 5 stages in 3 layers
 *
 * layer 1
 *   validate           -> train@linear, train@lstm
 * layer 2
 *   train@linear       -> evaluate
 *   train@lstm         -> evaluate
 * layer 3
 *   evaluate
 */
export function renderDag(dag: Dag): string {
  if (dag.order.length === 0) return 'The pipeline has no stages.\n';
  const layers = dagLayers(dag);
  const depth = Math.max(...layers.values());
  const label = (name: string) => {
    const stage = dag.stage(name);
    return stage.frozen ? `${name} (frozen)` : name;
  };
  const width = Math.max(...dag.order.map((n) => label(n).length));
  const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const lines = [`${count(dag.order.length, 'stage')} in ${count(depth, 'layer')}`, ''];
  for (let layer = 1; layer <= depth; layer += 1) {
    lines.push(`layer ${layer}`);
    for (const name of dag.order.filter((n) => layers.get(n) === layer)) {
      const down = dag.downstreamOf(name);
      const arrows = down.length === 0 ? '' : `  -> ${down.join(', ')}`;
      lines.push(`  ${down.length === 0 ? label(name) : label(name).padEnd(width)}${arrows}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

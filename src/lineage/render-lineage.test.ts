import { describe, expect, it } from 'vitest';
import type { LineageEdge, LineageGraph } from './lineage-store.js';
import type { NodeRef } from './node-ref.js';
import { renderLineage } from './render-lineage.js';

const HASH = 'ab12cd34'.repeat(8);
const data: NodeRef = { type: 'dataset', id: `data/prices.csv@${HASH}` };
const pipeline: NodeRef = { type: 'run', id: 'p1' };
const run: NodeRef = { type: 'run', id: 'r1' };
const model: NodeRef = { type: 'model_version', id: 'goog-lstm/3' };
const deploy: NodeRef = { type: 'deployment', id: 'prod' };
const snap: NodeRef = { type: 'snapshot', id: '7' };
const edge = (src: NodeRef, relation: string, dst: NodeRef): LineageEdge => ({
  src,
  dst,
  relation,
  attrs: {},
  createdAt: 0,
});

describe('renderLineage', () => {
  const graph: LineageGraph = {
    nodes: [run, data, pipeline, model, deploy, snap],
    edges: [
      edge(data, 'input', run),
      edge(pipeline, 'parent_of', run),
      edge(data, 'input', pipeline),
      edge(run, 'registered_as', model),
      edge(model, 'deployed_as', deploy),
      edge(snap, 'triggered', run),
      edge(deploy, 'monitored_by', snap), // a cycle back to the run
    ],
  };

  it('prints upstream and downstream trees with short hashes', () => {
    expect(renderLineage(graph, run)).toBe(
      [
        'runs:/r1',
        'upstream:',
        '  data:/data/prices.csv@ab12cd34 --input--> runs:/r1',
        '  runs:/p1 --parent_of--> runs:/r1',
        '    data:/data/prices.csv@ab12cd34 --input--> runs:/p1 (see above)',
        '  snapshot:7 --triggered--> runs:/r1',
        '    deployment:prod --monitored_by--> snapshot:7',
        '      models:/goog-lstm/3 --deployed_as--> deployment:prod',
        '        runs:/r1 --registered_as--> models:/goog-lstm/3 (see above)',
        'downstream:',
        '  runs:/r1 --registered_as--> models:/goog-lstm/3',
        '    models:/goog-lstm/3 --deployed_as--> deployment:prod',
        '      deployment:prod --monitored_by--> snapshot:7',
        '        snapshot:7 --triggered--> runs:/r1 (see above)',
      ].join('\n'),
    );
  });

  it('says (none) for an empty side and can print full hashes', () => {
    const text = renderLineage({ nodes: [data, run], edges: [edge(data, 'input', run)] }, data, {
      fullHashes: true,
    });
    expect(text).toBe(
      [
        `data:/data/prices.csv@${HASH}`,
        'upstream:',
        '  (none)',
        'downstream:',
        `  data:/data/prices.csv@${HASH} --input--> runs:/r1`,
      ].join('\n'),
    );
  });
});

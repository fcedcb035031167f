import { describe, expect, it } from 'vitest';
import { expectCode } from '../../testing/index.js';
import { parsePipeline, type PipelineSpec } from '../spec/index.js';
import { buildDag, dagJson, renderDag, selectStages } from './index.js';

function parse(text: string): Promise<PipelineSpec> {
  return parsePipeline({
    root: '/ws',
    text,
    readText: () => Promise.resolve(undefined),
    exists: () => Promise.resolve(true),
    isVersioned: () => Promise.resolve(false),
  });
}

// evaluate is written first: order must still put its upstream stages before it.
const PIPELINE = `stages:
  evaluate:
    cmd: python evaluate.py
    deps: [models, reports/validation.json]
    metrics: [metrics.json]
  validate:
    cmd: python validate.py
    deps: [data/prices.csv]
    outs: [reports/validation.json]
  train:
    foreach: [linear, lstm]
    do:
      cmd: python train.py \${item}
      deps: [reports]
      outs:
        - models/\${item}
  report:
    cmd: python report.py
    deps: [metrics.json]
    outs: [report.html]
  lint:
    cmd: ruff .
    frozen: true
`;

describe('buildDag', () => {
  it('links deps to outs (equal, inside an out, holding an out) in a stable order', async () => {
    const dag = buildDag(await parse(PIPELINE));
    expect(dag.order).toEqual([
      'validate',
      'train@linear',
      'train@lstm',
      'evaluate',
      'report',
      'lint',
    ]);
    expect(dag.edges).toEqual([
      { from: 'validate', to: 'train@linear', paths: ['reports'] },
      { from: 'validate', to: 'train@lstm', paths: ['reports'] },
      { from: 'validate', to: 'evaluate', paths: ['reports/validation.json'] },
      { from: 'train@linear', to: 'evaluate', paths: ['models'] },
      { from: 'train@lstm', to: 'evaluate', paths: ['models'] },
      { from: 'evaluate', to: 'report', paths: ['metrics.json'] },
    ]);
    expect(dag.upstreamOf('evaluate')).toEqual(['validate', 'train@linear', 'train@lstm']);
    expect(dag.downstreamOf('validate', { transitive: true })).toEqual([
      'train@linear',
      'train@lstm',
      'evaluate',
      'report',
    ]);
    expect(dag.upstreamOf('lint')).toEqual([]);
    expect(dag.stage('lint').frozen).toBe(true);
    expect(buildDag(dag.spec)).toBe(dag);
    await expectCode(
      Promise.resolve().then(() => dag.stage('nope')),
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('links a dep inside an out directory', async () => {
    const dag = buildDag(
      await parse(
        'stages:\n  a:\n    cmd: x\n    outs: [out]\n  b:\n    cmd: y\n    deps: [out/part.csv]\n',
      ),
    );
    expect(dag.edges).toEqual([{ from: 'a', to: 'b', paths: ['out/part.csv'] }]);
  });
});

describe('selectStages', () => {
  it('selects everything, a target with its upstream, or with --downstream', async () => {
    const dag = buildDag(await parse(PIPELINE));
    expect([...selectStages(dag, [])]).toEqual(dag.order);
    expect([...selectStages(dag, ['train@lstm'])]).toEqual(['validate', 'train@lstm']);
    expect([...selectStages(dag, ['train'])]).toEqual(['validate', 'train@linear', 'train@lstm']);
    expect([...selectStages(dag, ['evaluate', 'lint'])]).toEqual([
      'validate',
      'train@linear',
      'train@lstm',
      'evaluate',
      'lint',
    ]);
    expect([...selectStages(dag, ['train@linear'], { downstream: true })]).toEqual([
      'train@linear',
      'evaluate',
      'report',
    ]);
  });

  it('refuses an unknown target, listing the stages', async () => {
    const dag = buildDag(await parse(PIPELINE));
    const err = await expectCode(
      Promise.resolve().then(() => selectStages(dag, ['trian'])),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(err.message).toContain("Unknown stage 'trian'");
    expect(err.message).toContain('known stages: validate, train@linear, train@lstm');
  });
});

describe('renderDag and dagJson', () => {
  it('renders layers with arrows to downstream stages', async () => {
    const dag = buildDag(await parse(PIPELINE));
    expect(renderDag(dag)).toBe(
      [
        '6 stages in 4 layers',
        '',
        'layer 1',
        '  validate       -> train@linear, train@lstm, evaluate',
        '  lint (frozen)',
        'layer 2',
        '  train@linear   -> evaluate',
        '  train@lstm     -> evaluate',
        'layer 3',
        '  evaluate       -> report',
        'layer 4',
        '  report',
        '',
      ].join('\n'),
    );
    expect(renderDag(buildDag(await parse('stages: {}\n')))).toBe('The pipeline has no stages.\n');
  });

  it('gives stages and edges as JSON', async () => {
    const json = dagJson(buildDag(await parse(PIPELINE)));
    expect(json.stages[0]).toEqual({
      name: 'validate',
      cmd: ['python validate.py'],
      deps: ['data/prices.csv'],
      outs: ['reports/validation.json'],
      frozen: false,
      line: 6,
    });
    expect(json.edges).toHaveLength(6);
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});

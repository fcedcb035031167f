import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POINTER_SUFFIX as DATA_POINTER_SUFFIX } from '../../data/index.js';
import { expectCode } from '../../testing/index.js';
import { loadPipeline } from './load-pipeline.js';
import { POINTER_SUFFIX } from './workspace-probe.js';

describe('loadPipeline', () => {
  let root: string;
  const write = async (files: Record<string, string>) => {
    for (const [rel, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, rel)), { recursive: true });
      await writeFile(join(root, rel), text);
    }
  };
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mlops-pipeline-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('says how to create mlops.yaml when there is none', async () => {
    const err = await expectCode(loadPipeline(root), 'RESOURCE_DOES_NOT_EXIST');
    expect(err.message).toContain('mlops init --example stock-forecast');
  });

  it('reads the pipeline, params files and pointers from disk', async () => {
    await write({
      'mlops.yaml': `stages:
  train:
    foreach: \${models}
    do:
      cmd: python train.py \${item}
      deps: [data/prices.csv, src]
      params: [train.epochs, {conf/extra.json: [seed]}]
      outs:
        - models/\${item}
`,
      'params.yaml': 'models: [linear, lstm]\ntrain: {epochs: 4}\n',
      'conf/extra.json': '{"seed": 7}',
      [`data/prices.csv${POINTER_SUFFIX}`]: 'pointer',
      'src/train.py': '',
    });
    const spec = await loadPipeline(root);
    expect(spec.root).toBe(root);
    expect(spec.stages.map((s) => s.name)).toEqual(['train@linear', 'train@lstm']);
    expect(spec.stages[1]?.params).toEqual([
      { file: 'params.yaml', key: 'train.epochs', value: 4 },
      { file: 'conf/extra.json', key: 'seed', value: 7 },
    ]);
    expect(spec.paramsFiles).toEqual(['params.yaml', 'conf/extra.json']);
  });

  it('refuses a missing dep and an out that is versioned, with lines', async () => {
    await write({ 'mlops.yaml': 'stages:\n  a:\n    cmd: x\n    deps:\n      - missing.csv\n' });
    const err = await expectCode(loadPipeline(root), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toMatch(/^mlops\.yaml, line 5: stage 'a' depends on 'missing\.csv'/);
    await write({
      'mlops.yaml': 'stages:\n  a:\n    cmd: x\n    outs:\n      - data.csv\n',
      [`data.csv${POINTER_SUFFIX}`]: '',
    });
    const versioned = await expectCode(loadPipeline(root), 'INVALID_PARAMETER_VALUE');
    expect(versioned.message).toMatch(/^mlops\.yaml, line 5: out 'data\.csv' .* is versioned data/);
  });

  it('uses the data module pointer suffix', () => {
    expect(POINTER_SUFFIX).toBe(DATA_POINTER_SUFFIX);
  });
});

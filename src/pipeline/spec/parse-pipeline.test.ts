import { describe, expect, it } from 'vitest';
import { expectCode } from '../../testing/index.js';
import { failure, PARAMS, parse } from './parse-fixture.js';

describe('parsePipeline: stages', () => {
  it('reads a plain stage with defaults and normalized paths', async () => {
    const spec = await parse(
      `stages:
  prepare:
    cmd: python prepare.py
    wdir: src
    deps: [../data/raw.csv, ./prepare.py]
    outs: [../data/clean/]
    metrics: [../metrics.json]
    plots:
      - ../plots/loss.csv:
          x: step
          y: loss
          title: Loss
          x_label: Step
    desc: Cleans the data
`,
      { 'data/raw.csv': 'a', 'src/prepare.py': '' },
    );
    expect(Object.isFrozen(spec) && Object.isFrozen(spec.stages[0]?.outs[0])).toBe(true);
    expect(spec.stages).toEqual([
      {
        name: 'prepare',
        cmd: ['python prepare.py'],
        wdir: 'src',
        deps: ['data/raw.csv', 'src/prepare.py'],
        params: [],
        outs: [
          { path: 'data/clean', kind: 'out', cache: true, persist: false },
          { path: 'metrics.json', kind: 'metric', cache: false, persist: false },
          {
            path: 'plots/loss.csv',
            kind: 'plot',
            cache: true,
            persist: false,
            plot: { x: 'step', y: ['loss'], title: 'Loss', xLabel: 'Step' },
          },
        ],
        alwaysChanged: false,
        frozen: false,
        desc: 'Cleans the data',
        source: { file: 'mlops.yaml', line: 2 },
      },
    ]);
  });

  it('accepts cmd lists, uses/with, flags and overrides of cache and persist', async () => {
    const spec = await parse(`stages:
  a:
    cmd:
      - echo one
      - echo two
    plots: [p.csv]
    outs:
      - big.bin: {cache: false, persist: true, desc: raw}
    always_changed: true
  b:
    uses: forecast/train
    with: {model: lstm, epochs: 3}
    frozen: true
`);
    expect(spec.stages[0]).toMatchObject({
      cmd: ['echo one', 'echo two'],
      outs: [
        { path: 'p.csv', kind: 'plot', cache: true, persist: false, plot: {} },
        { path: 'big.bin', kind: 'out', cache: false, persist: true, desc: 'raw' },
      ],
      alwaysChanged: true,
    });
    expect(spec.stages[1]).toMatchObject({
      uses: 'forecast/train',
      with: { model: 'lstm', epochs: 3 },
      frozen: true,
    });
    expect(spec.stages[1]?.cmd).toBeUndefined();
  });

  it('reads an empty file and a file with only remotes as a pipeline without stages', async () => {
    expect((await parse('')).stages).toEqual([]);
    const spec = await parse('remotes:\n  origin:\n    url: s3://bucket/prefix\n');
    expect(spec.stages).toEqual([]);
  });
});

describe('parsePipeline: params', () => {
  it('tracks keys of params.yaml and other files with their exact values', async () => {
    const spec = await parse(
      `params: [extra.yaml]
stages:
  train:
    cmd: python train.py
    params:
      - train.epochs
      - train.layers
      - config/model.json: [net.depth, net.sizes.1]
      - config/all.yaml:
`,
      {
        'params.yaml': PARAMS,
        'config/model.json': '{"net": {"depth": 3, "sizes": [4, 8]}}',
        'config/all.yaml': 'a: 1\nb: [x, y]\n',
        'extra.yaml': 'z: 1\n',
      },
    );
    expect(spec.stages[0]?.params).toEqual([
      { file: 'params.yaml', key: 'train.epochs', value: 5 },
      { file: 'params.yaml', key: 'train.layers', value: [64, 32] },
      { file: 'config/model.json', key: 'net.depth', value: 3 },
      { file: 'config/model.json', key: 'net.sizes.1', value: 8 },
      { file: 'config/all.yaml', key: 'a', value: 1 },
      { file: 'config/all.yaml', key: 'b', value: ['x', 'y'] },
    ]);
    expect(spec.paramsFiles).toEqual([
      'params.yaml',
      'config/all.yaml',
      'config/model.json',
      'extra.yaml',
    ]);
  });

  it('reads the default params file relative to wdir, as DVC', async () => {
    const spec = await parse('stages:\n  t:\n    cmd: x\n    wdir: sub\n    params: [k]\n', {
      'sub/params.yaml': 'k: 2\n',
    });
    expect(spec.stages[0]?.params).toEqual([{ file: 'sub/params.yaml', key: 'k', value: 2 }]);
  });

  it('refuses a missing key, a missing file and an unsupported file, with the line', async () => {
    const text = `stages:
  train:
    cmd: python train.py
    params:
      - train.epochs
      - train.missing
`;
    await failure(parse(text, { 'params.yaml': PARAMS }), 6, "'train.missing'", 'params.yaml');
    await failure(parse(text), 5, "params file 'params.yaml' does not exist");
    await failure(
      parse('stages:\n  t:\n    cmd: x\n    params:\n      - p.toml: [a]\n'),
      5,
      'neither YAML',
    );
    await failure(parse('params: [nope.yaml]\n'), 1, "'nope.yaml' does not exist");
  });

  it('reports a syntax error in a params file with its own line', async () => {
    const err = await expectCode(
      parse('stages:\n  t:\n    cmd: x\n    params: [a]\n', { 'params.yaml': 'a: 1\nb: [\n' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toMatch(/^params\.yaml, line \d+: not valid YAML/);
  });
});

describe('parsePipeline: templating', () => {
  it('interpolates params, lists, dicts in cmd and keeps types of whole templates', async () => {
    const spec = await parse(
      `stages:
  train:
    cmd: python train.py --preset \${preset} --first \${models[0]} \${args} --lr \${train.lr}
  step:
    uses: forecast/train
    with:
      epochs: \${train.epochs}
      layers: \${train.layers}
      all: \${train}
      label: "model-\${train.epochs}"
    outs:
      - out/\${preset}.bin
`,
      { 'params.yaml': PARAMS },
    );
    expect(spec.stages[0]?.cmd).toEqual([
      'python train.py --preset full --first persistence --lr 0.1 --fast --layers 8 4 --opt.name adam --lr 0.01',
    ]);
    expect(spec.stages[1]?.with).toEqual({
      epochs: 5,
      layers: [64, 32],
      all: { epochs: 5, lr: 0.01, layers: [64, 32] },
      label: 'model-5',
    });
    expect(spec.stages[1]?.outs[0]?.path).toBe('out/full.bin');
  });

  it('keeps an escaped template literal', async () => {
    const spec = await parse('stages:\n  a:\n    cmd: echo \\${HOME} ${x}\n', {
      'params.yaml': 'x: 1\n',
    });
    expect(spec.stages[0]?.cmd).toEqual(['echo ${HOME} 1']);
  });

  it('merges vars: inline mappings, whole files and selected keys', async () => {
    const spec = await parse(
      `vars:
  - params.yaml
  - {name: demo, train: {batch: 32}}
  - conf/more.yaml:size,deep.value
stages:
  a:
    vars:
      - {local: here}
    cmd: echo \${name} \${train.batch} \${train.epochs} \${size} \${deep.value} \${local}
`,
      { 'params.yaml': PARAMS, 'conf/more.yaml': 'size: 7\nother: 1\ndeep: {value: v}\n' },
    );
    expect(spec.stages[0]?.cmd).toEqual(['echo demo 32 5 7 v here']);
    expect(spec.paramsFiles).toEqual([]);
  });

  it('refuses a redefined variable, naming both sources', async () => {
    await failure(
      parse('vars:\n  - {preset: quick}\nstages: {}\n', { 'params.yaml': PARAMS }),
      2,
      "'preset' from vars[0] is already defined by params.yaml",
    );
  });

  it('refuses an undefined variable with the line of the template', async () => {
    const err = await failure(
      parse(
        `stages:
  train:
    cmd: python train.py
    deps:
      - data.csv
      - \${missing.key}
`,
        { 'params.yaml': PARAMS, 'data.csv': '' },
      ),
      6,
      "stage 'train'",
      "undefined variable 'missing'",
      'defined: args, models, preset, train',
    );
    expect(err.details).toMatchObject({ stage: 'train', field: 'deps' });
    await failure(
      parse('stages:\n  t:\n    cmd: echo ${train.nope}\n', { 'params.yaml': PARAMS }),
      3,
      "'train' has no 'nope'",
    );
  });

  it('refuses a list or mapping inside a string outside cmd', async () => {
    await failure(
      parse('stages:\n  t:\n    cmd: x\n    outs:\n      - out/${models}.csv\n', {
        'params.yaml': PARAMS,
      }),
      5,
      'is a list and cannot be written inside a string',
    );
  });
});

describe('parsePipeline: YAML features', () => {
  it('reads anchors, merge keys and templated mapping keys', async () => {
    const spec = await parse(
      `stages:
  a: &base
    cmd: echo a
    always_changed: true
  b:
    <<: *base
    cmd: echo b
    plots:
      - plots/\${preset}.csv: {x: step}
`,
      { 'params.yaml': PARAMS },
    );
    expect(spec.stages[1]).toMatchObject({ name: 'b', cmd: ['echo b'], alwaysChanged: true });
    expect(spec.stages[1]?.outs[0]).toMatchObject({ path: 'plots/full.csv', plot: { x: 'step' } });
  });
});

describe('parsePipeline: foreach and matrix', () => {
  it('expands foreach over a list, a params key, a mapping and complex items', async () => {
    const spec = await parse(
      `stages:
  train:
    foreach: \${models}
    do:
      cmd: python train.py \${item}
      outs:
        - models/\${item}
  region:
    foreach:
      us: {tz: EST}
      eu: {tz: CET}
    do:
      cmd: echo \${key} \${item.tz}
  cfg:
    foreach:
      - {name: a, n: 1}
      - {name: b, n: 2}
    do:
      cmd: echo \${item.name} \${item.n}
  plain:
    foreach: [x, 1]
    do:
      cmd: echo \${item}
`,
      { 'params.yaml': PARAMS },
    );
    expect(spec.stages.map((s) => [s.name, s.cmd?.[0], s.source.line])).toEqual([
      ['train@persistence', 'python train.py persistence', 2],
      ['train@linear', 'python train.py linear', 2],
      ['train@lstm', 'python train.py lstm', 2],
      ['region@us', 'echo us EST', 8],
      ['region@eu', 'echo eu CET', 8],
      ['cfg@0', 'echo a 1', 14],
      ['cfg@1', 'echo b 2', 14],
      ['plain@x', 'echo x', 20],
      ['plain@1', 'echo 1', 20],
    ]);
  });

  it('expands a matrix as DVC, naming stages by values (or key+index for complex ones)', async () => {
    const spec = await parse(
      `stages:
  evaluate:
    matrix:
      model: \${models}
      horizon: [5, 10]
      cfg: [{a: 1}]
    cmd: python eval.py \${item.model} \${item.horizon} \${item.cfg.a} \${key}
    outs:
      - out/\${key}.json
`,
      { 'params.yaml': PARAMS },
    );
    expect(spec.stages.map((s) => s.name)).toEqual([
      'evaluate@persistence-5-cfg0',
      'evaluate@persistence-10-cfg0',
      'evaluate@linear-5-cfg0',
      'evaluate@linear-10-cfg0',
      'evaluate@lstm-5-cfg0',
      'evaluate@lstm-10-cfg0',
    ]);
    expect(spec.stages[1]?.cmd).toEqual(['python eval.py persistence 10 1 persistence-10-cfg0']);
    expect(spec.stages[1]?.outs[0]?.path).toBe('out/persistence-10-cfg0.json');
  });

  it('refuses duplicate expanded names, bad foreach values and misplaced fields', async () => {
    await failure(
      parse('stages:\n  t:\n    foreach: [a, a]\n    do:\n      cmd: echo\n'),
      2,
      "stage 't' expands to 't@a' twice",
    );
    await failure(
      parse('stages:\n  t:\n    foreach: 3\n    do:\n      cmd: echo\n'),
      3,
      'foreach needs a list or a mapping',
    );
    await failure(
      parse('stages:\n  t:\n    foreach: [a]\n    cmd: echo\n    do:\n      cmd: echo\n'),
      4,
      "has 'cmd' beside foreach",
    );
    await failure(
      parse('stages:\n  t:\n    do:\n      cmd: echo\n'),
      3,
      "has 'do' without foreach",
    );
    await failure(
      parse('stages:\n  t:\n    matrix:\n      a: 3\n    cmd: echo\n'),
      4,
      "matrix 'a' needs a list of values",
    );
  });
});

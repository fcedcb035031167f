import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { expectCode } from '../../testing/index.js';
import { StepRegistry } from '../steps/step-registry.js';
import { failure, parse } from './parse-fixture.js';

describe('parsePipeline: invalid specs name file, line, stage and field', () => {
  it('refuses an unknown stage field, listing the expected ones', async () => {
    const err = await failure(
      parse(`stages:
  prepare:
    cmd: echo
  train:
    cmd: python train.py
    dep: [data.csv]
`),
      6,
      "stage 'train' has unknown field 'dep' (expected cmd, uses, with, wdir, deps, params, outs, metrics, plots, always_changed, frozen, desc, foreach, matrix, do, vars)",
    );
    expect(err.details).toMatchObject({ stage: 'train', field: 'dep' });
  });

  it('refuses an unknown field under do: with its line and the stage as written', async () => {
    await failure(
      parse('stages:\n  t:\n    foreach: [a, b]\n    do:\n      cmd: echo\n      outz: [x]\n'),
      6,
      "stage 't' has unknown field 'outz'",
    );
  });

  it('refuses unknown top-level keys and non-mappings', async () => {
    await failure(
      parse('stages: {}\nstage: {}\n'),
      2,
      "unknown top-level key 'stage' (expected stages, vars, params, plots, remotes)",
    );
    await failure(parse('- a\n'), 1, 'expected a mapping');
    await failure(parse('stages: [a]\n'), 1, "'stages' must map stage names");
    await failure(parse('stages:\n  t: echo\n'), 2, "stage 't' must be a mapping");
    await failure(parse('stages:\n  a@b:\n    cmd: x\n'), 2, "invalid stage name 'a@b'");
  });

  it('refuses wrong types with what was expected', async () => {
    await failure(
      parse('stages:\n  t:\n    cmd: x\n    deps:\n      - a\n      - 3\n'),
      6,
      "stage 't' has an invalid 'deps[1]': expected a path (string), got 3",
    );
    await failure(
      parse('stages:\n  t:\n    cmd: x\n    frozen: yes\n'),
      4,
      'invalid \'frozen\': expected true or false, got "yes"',
    );
    await failure(
      parse('stages:\n  t:\n    cmd: x\n    outs:\n      - a.bin:\n          cache: maybe\n'),
      6,
      'expected true or false, got "maybe"',
    );
    await failure(
      parse('stages:\n  t:\n    cmd: x\n    outs:\n      - a.bin:\n          cahce: false\n'),
      6,
      "unknown flag 'cahce'",
      'expected cache, persist, desc',
    );
    await failure(parse('stages:\n  t:\n    cmd: 5\n'), 3, "invalid 'cmd'");
  });

  it('requires cmd xor uses, and with only beside uses', async () => {
    await failure(parse('stages:\n  t:\n    deps: []\n'), 2, 'needs cmd');
    await failure(parse('stages:\n  t:\n    cmd: x\n    uses: s\n'), 4, 'both cmd and uses');
    await failure(
      parse('stages:\n  t:\n    cmd: x\n    with: {a: 1}\n'),
      4,
      "'with' without 'uses'",
    );
  });

  it('checks uses against the step registry and with against the step', async () => {
    const steps = new StepRegistry().register({
      name: 'forecast/train',
      description: 'train',
      validate: (args) => {
        if (typeof args['epochs'] !== 'number') {
          throw new MlopsError('INVALID_PARAMETER_VALUE', "'epochs' must be a number", {
            details: { argument: 'epochs' },
          });
        }
      },
      run: () => Promise.resolve(),
    });
    await failure(
      parse('stages:\n  t:\n    uses: forecast/tran\n', {}, steps),
      3,
      "uses unknown step 'forecast/tran' (known steps: forecast/train)",
    );
    await failure(
      parse(
        'stages:\n  t:\n    uses: forecast/train\n    with:\n      model: x\n      epochs: many\n',
        {},
        steps,
      ),
      6,
      "invalid arguments for step 'forecast/train': 'epochs' must be a number",
    );
    const ok = await parse(
      'stages:\n  t:\n    uses: forecast/train\n    with: {epochs: 2}\n',
      {},
      steps,
    );
    expect(ok.stages[0]?.uses).toBe('forecast/train');
  });

  it('refuses absolute paths and paths leaving the workspace', async () => {
    await failure(
      parse('stages:\n  t:\n    cmd: x\n    deps:\n      - /etc/passwd\n'),
      5,
      "'/etc/passwd' is an absolute path",
    );
    await failure(
      parse('stages:\n  t:\n    cmd: x\n    wdir: sub\n    outs:\n      - ../../x\n'),
      6,
      "'../../x' lies outside the workspace",
    );
    await failure(parse('stages:\n  t:\n    cmd: x\n    wdir: ..\n'), 4, 'outside the workspace');
    await failure(parse('stages:\n  t:\n    cmd: x\n    outs: [.mlops/x]\n'), 4, 'lies in .mlops/');
  });

  it('validates remotes: with the data module rules', async () => {
    const err = await expectCode(
      parse('stages: {}\nremotes:\n  origin:\n    url: s3://my-bucket/p\n    secret_key: x\n'),
      'INVALID_PARAMETER_VALUE',
    );
    expect(err.message).toContain('mlops.yaml, line 5');
    expect(err.message).toContain('looks like a credential');
  });

  it('reports a YAML syntax error with its line', async () => {
    await failure(parse('stages:\n  t:\n    cmd: [a\n'), 4, 'not valid YAML');
  });
});

describe('parsePipeline: graph checks', () => {
  it('refuses two stages writing the same out, naming both lines', async () => {
    await failure(
      parse(
        'stages:\n  a:\n    cmd: x\n    outs: [o.txt]\n  b:\n    cmd: y\n    outs:\n      - o.txt\n',
      ),
      8,
      "stages 'a' (line 4) and 'b' (line 8) both write 'o.txt'",
    );
  });

  it('refuses an out inside another out', async () => {
    await failure(
      parse(
        'stages:\n  a:\n    cmd: x\n    outs: [models]\n  b:\n    cmd: y\n    outs:\n      - models/lstm.onnx\n',
      ),
      8,
      "out 'models/lstm.onnx' of stage 'b' lies inside out 'models' of stage 'a' (line 4)",
    );
  });

  it('refuses an out that is a versioned dataset', async () => {
    await failure(
      parse('stages:\n  a:\n    cmd: x\n    outs:\n      - data/prices.csv\n', {
        'data/prices.csv.mlops': '',
      }),
      5,
      "out 'data/prices.csv' of stage 'a' is versioned data",
    );
    await failure(
      parse('stages:\n  a:\n    cmd: x\n    outs:\n      - data/raw/more.csv\n', {
        'data/raw.mlops': '',
      }),
      5,
      'is versioned data',
    );
  });

  it('refuses a dep nothing produces and that does not exist', async () => {
    await failure(
      parse('stages:\n  a:\n    cmd: x\n    deps:\n      - here.csv\n      - gone.csv\n', {
        'here.csv': '',
      }),
      6,
      "stage 'a' depends on 'gone.csv', which no stage produces and which does not exist",
    );
    // Produced by a stage, inside a produced directory, holding an out, or versioned: fine.
    const spec = await parse(
      `stages:
  a:
    cmd: x
    outs: [models, reports/a.json]
  b:
    cmd: y
    deps: [models, models/lstm, reports, data/prices.csv]
`,
      { 'data/prices.csv.mlops': '' },
    );
    expect(spec.stages[1]?.deps).toEqual(['models', 'models/lstm', 'reports', 'data/prices.csv']);
  });

  it('refuses a cycle, printing it with each stage line', async () => {
    const err = await failure(
      parse(`stages:
  a:
    cmd: x
    deps: [c.txt]
    outs: [a.txt]
  b:
    cmd: y
    deps: [a.txt]
    outs: [b.txt]
  c:
    cmd: z
    deps: [b.txt]
    outs: [c.txt]
`),
      2,
      'the pipeline has a cycle: a (line 2) -> b (line 6) -> c (line 10) -> a (line 2)',
      "b reads 'a.txt' from a",
    );
    expect(err.details).toMatchObject({ cycle: ['a', 'b', 'c', 'a'] });
    await failure(
      parse('stages:\n  a:\n    cmd: x\n    deps: [d]\n    outs: [d/x]\n'),
      2,
      "stage 'a' depends on its own output ('d')",
    );
  });
});

describe('parsePipeline: top-level plots', () => {
  it('reads plot ids, per-file columns and options', async () => {
    const spec = await parse(`plots:
  - plots/loss.csv
  - forecast:
      x: date
      y:
        out/a.csv: [actual, predicted]
        out/b.csv: predicted
      title: Forecast
      template: linear
`);
    expect(spec.plots).toEqual([
      { id: 'plots/loss.csv', files: ['plots/loss.csv'] },
      {
        id: 'forecast',
        files: ['out/a.csv', 'out/b.csv'],
        x: 'date',
        y: ['actual', 'predicted'],
        yByFile: { 'out/a.csv': ['actual', 'predicted'], 'out/b.csv': ['predicted'] },
        title: 'Forecast',
        template: 'linear',
      },
    ]);
  });
});

describe('parsePipeline: speed', () => {
  it('parses a 100-stage pipeline quickly', async () => {
    const files: Record<string, string> = { 'params.yaml': 'train: {lr: 0.1}\n' };
    const lines = ['stages:'];
    for (let i = 0; i < 100; i += 1) {
      files[`data/in${i}.csv`] = '';
      lines.push(
        `  s${i}:`,
        `    cmd: python step.py --lr \${train.lr} ${i}`,
        `    deps: [data/in${i}.csv${i > 0 ? `, out/s${i - 1}.txt` : ''}]`,
        '    params: [train.lr]',
        `    outs: [out/s${i}.txt]`,
      );
    }
    const text = `${lines.join('\n')}\n`;
    await parse(text, files); // warm the JIT
    const started = performance.now();
    const spec = await parse(text, files);
    expect(spec.stages).toHaveLength(100);
    expect(performance.now() - started).toBeLessThan(500);
  });
});

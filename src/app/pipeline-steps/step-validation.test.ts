import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { builtinSteps } from './index.js';

const steps = builtinSteps();

/** The error `validate` throws for `args`, as [message, details.argument]. */
function problem(step: string, args: Record<string, unknown>): [string, unknown] {
  try {
    steps.get(step).validate(args);
  } catch (err) {
    if (!MlopsError.is(err)) throw err;
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    return [err.message, err.details?.['argument']];
  }
  throw new Error(`expected ${step} to refuse ${JSON.stringify(args)}`);
}

const TRAIN = { data: 'data/prices.csv', model: 'lstm', out: 'models/lstm' };
const EVALUATE = {
  data: 'data/prices.csv',
  models: { persistence: 'models/persistence', lstm: 'models/lstm' },
  metrics: 'metrics.json',
};

describe('built-in steps', () => {
  it('registers the three forecast steps and models/register with descriptions', () => {
    expect(steps.names()).toEqual([
      'forecast/evaluate',
      'forecast/train',
      'forecast/validate',
      'models/register',
    ]);
    for (const name of steps.names()) expect(steps.get(name).description).not.toBe('');
  });
});

describe('forecast/validate arguments', () => {
  it('accepts a data path with an optional window and report', () => {
    steps.get('forecast/validate').validate({ data: 'data/prices.csv' });
    steps.get('forecast/validate').validate({ data: 'p.csv', window: 30, report: 'r.json' });
  });

  it('names a missing, mistyped or unknown argument', () => {
    expect(problem('forecast/validate', {})).toEqual([
      "argument 'data' is required: the daily price CSV to check (a path).",
      'data',
    ]);
    const [window] = problem('forecast/validate', { data: 'p.csv', window: 1.5 });
    expect(window).toMatch(
      /^argument 'window' must be the model input window .*integer >= 2.*; got 1\.5\.$/,
    );
    expect(problem('forecast/validate', { data: 'p.csv', windw: 60 })).toEqual([
      "unknown argument 'windw' (expected data, window, report).",
      'windw',
    ]);
  });
});

describe('forecast/train arguments', () => {
  it('accepts the model, preset, out and a mapping of model params', () => {
    steps.get('forecast/train').validate(TRAIN);
    steps.get('forecast/train').validate({
      ...TRAIN,
      preset: 'quick',
      params: { epochs: 2, learning_rate: 0.01, target: 'log_return' },
    });
  });

  it('names the argument and what it expects', () => {
    expect(problem('forecast/train', { ...TRAIN, model: 'gru' })).toEqual([
      'argument \'model\' must be one of persistence, linear, lstm; got "gru".',
      'model',
    ]);
    expect(problem('forecast/train', { ...TRAIN, preset: 'fast' })[0]).toMatch(
      /^argument 'preset' must be one of full, quick .*; got "fast"\.$/,
    );
    expect(problem('forecast/train', { ...TRAIN, out: undefined })).toEqual([
      "argument 'out' is required: the directory to write the trained model into (a path).",
      'out',
    ]);
    expect(problem('forecast/train', { ...TRAIN, params: [1] })[0]).toMatch(
      /^argument 'params' must be a mapping of model params.*; got a list\.$/,
    );
    expect(problem('forecast/train', { ...TRAIN, params: { epochs: [1, 2] } })).toEqual([
      "argument 'params.epochs' must be a string, number or boolean; got a list.",
      'params',
    ]);
  });

  it('points model params given at the top level to params:', () => {
    const [message, argument] = problem('forecast/train', { ...TRAIN, epochs: 3 });
    expect(message).toContain("unknown argument 'epochs'");
    expect(message).toContain("Model params go under 'params:'");
    expect(argument).toBe('epochs');
  });
});

describe('forecast/evaluate arguments', () => {
  it('accepts models as a mapping or a list, and plots as a path or a list', () => {
    const step = steps.get('forecast/evaluate');
    step.validate(EVALUATE);
    step.validate({ ...EVALUATE, models: ['models/linear', 'models/lstm/'], plots: 'p.csv' });
    step.validate({ ...EVALUATE, preset: 'quick', plots: ['plots/p.csv', 'plots/p.svg'] });
  });

  it('refuses bad model lists, metrics and plot files, naming the argument', () => {
    expect(problem('forecast/evaluate', { ...EVALUATE, models: {} })[1]).toBe('models');
    expect(problem('forecast/evaluate', { ...EVALUATE, models: [] })[1]).toBe('models');
    expect(problem('forecast/evaluate', { ...EVALUATE, models: { 'my model': 'm' } })).toEqual([
      "argument 'models' has an invalid name 'my model': use letters, digits, _ . - only.",
      'models',
    ]);
    const [twice] = problem('forecast/evaluate', { ...EVALUATE, models: ['a/lstm', 'b/lstm'] });
    expect(twice).toContain("gives a second model named 'lstm'");
    expect(problem('forecast/evaluate', { ...EVALUATE, metrics: 'metrics.txt' })).toEqual([
      'argument \'metrics\' must be where to write the metrics (a .json path); got "metrics.txt".',
      'metrics',
    ]);
    const [plot, argument] = problem('forecast/evaluate', {
      ...EVALUATE,
      plots: ['a.csv', 'b.png'],
    });
    expect(plot).toBe(
      'argument \'plots[1]\' must be a path ending in .csv, .json or .svg; got "b.png".',
    );
    expect(argument).toBe('plots');
  });
});

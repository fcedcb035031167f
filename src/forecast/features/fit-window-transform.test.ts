import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { fitWindowTransform, transformFitEnd } from './fit-window-transform.js';
import { protocolSplit } from './split.js';

const split = { rows: 10, windowSize: 2, validationStart: 5, testStart: 8 };

describe('fitWindowTransform', () => {
  it('fits log-return mean and population std on rows before validationStart', () => {
    const closes = [100, 110, 99, 99, 108.9, 1, 1e9, 5, 5, 5];
    const r = [Math.log(1.1), Math.log(0.9), 0, Math.log(1.1)];
    const mean = r.reduce((a, b) => a + b) / 4;
    const std = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    const t = fitWindowTransform(closes, split, 'log_return');
    expect(t.kind).toBe('log_return');
    if (t.kind !== 'log_return') return;
    expect(t.inMean).toBeCloseTo(mean, 15);
    expect(t.inStd).toBeCloseTo(std, 15);
    expect(t.outMean).toBe(t.inMean);
    expect(t.outStd).toBe(t.inStd);
  });

  it('fits min and max of the training closes', () => {
    const closes = [3, 7, 2, 5, 4, 1000, 0.5, 9, 9, 9];
    expect(fitWindowTransform(closes, split, 'close_minmax')).toEqual({
      kind: 'close_minmax',
      min: 2,
      max: 7,
    });
  });

  it('never reads a row at or after validationStart (so never a test row)', () => {
    const reads: number[] = [];
    const closes = new Proxy(
      Array.from({ length: 100 }, (_, i) => 100 + Math.sin(i)),
      {
        get(target, key, receiver) {
          if (typeof key === 'string' && /^\d+$/.test(key)) reads.push(Number(key));
          return Reflect.get(target, key, receiver) as unknown;
        },
      },
    );
    const s = protocolSplit(100, 10);
    fitWindowTransform(closes, s, 'log_return');
    fitWindowTransform(closes, s, 'close_minmax');
    expect(Math.max(...reads)).toBe(transformFitEnd(s) - 1);
    expect(transformFitEnd(s)).toBeLessThan(s.testStart);
  });

  it('keeps a constant series finite', () => {
    const flat = new Array(10).fill(50);
    const t = fitWindowTransform(flat, split, 'log_return');
    expect(t).toMatchObject({ inMean: 0, inStd: 1 });
    expect(fitWindowTransform(flat, split, 'close_minmax')).toMatchObject({ min: 50, max: 51 });
  });

  it('rejects a non-positive or missing training close, naming the row', () => {
    const closes = [100, 101, -1, 100, 100, 100, 100, 100, 100, 100];
    expect(() => fitWindowTransform(closes, split, 'log_return')).toThrow(/row 2/);
    expect(() => fitWindowTransform([1, 2], split, 'log_return')).toThrow(MlopsError);
  });
});

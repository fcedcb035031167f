import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { parseInvocationsJson } from './invocations-request.js';

const shape = { window: 2, inputName: 'closes' };
const parse = (body: unknown) => parseInvocationsJson(body, shape).map((w) => Array.from(w));
const errorOf = (body: unknown): MlopsError => {
  try {
    parseInvocationsJson(body, shape);
  } catch (err) {
    if (MlopsError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a 400');
};

describe('parseInvocationsJson', () => {
  const expected = [
    [1, 2],
    [3, 4],
  ];

  it('reads every MLflow 2.x format', () => {
    expect(parse({ dataframe_split: { index: [0, 1], columns: [0, 1], data: expected } })).toEqual(
      expected,
    );
    expect(parse({ dataframe_split: { data: expected } })).toEqual(expected);
    expect(
      parse({
        dataframe_records: [
          { a: 1, b: 2 },
          { a: 3, b: 4 },
        ],
      }),
    ).toEqual(expected);
    expect(parse({ instances: expected })).toEqual(expected);
    expect(parse({ instances: [{ closes: [1, 2] }, { closes: [3, 4] }] })).toEqual(expected);
    expect(parse({ inputs: expected, params: { anything: true } })).toEqual(expected);
    expect(parse({ inputs: { closes: expected } })).toEqual(expected);
  });

  it('refuses bodies without exactly one format key as BAD_REQUEST', () => {
    for (const body of [
      {},
      { inputs: expected, instances: expected },
      { columns: [], data: [] },
      expected,
      'x',
    ]) {
      const err = errorOf(body);
      expect(err.code).toBe('BAD_REQUEST');
      expect(err.message).toMatch(/exactly one of "dataframe_split"/);
    }
  });

  it('names the offending value', () => {
    expect(errorOf({ dataframe_split: [] }).details?.['field']).toBe('dataframe_split');
    expect(errorOf({ dataframe_split: { data: [1] } }).details?.['field']).toBe(
      'dataframe_split.data[0]',
    );
    expect(errorOf({ dataframe_split: { columns: [{}], data: [[1]] } }).details?.['field']).toBe(
      'dataframe_split.columns[0]',
    );
    expect(errorOf({ dataframe_records: [1] }).details?.['field']).toBe('dataframe_records[0]');
    expect(errorOf({ dataframe_records: [{ a: 1, b: 'x' }] }).details?.['field']).toBe(
      'dataframe_records[0].b',
    );
    expect(errorOf({ inputs: [[1, 2, 3]] }).details?.['field']).toBe('inputs[0]');
    expect(errorOf({ inputs: { closes: [[1, -2]] } }).details?.['field']).toBe(
      'inputs.closes[0][1]',
    );
    expect(errorOf({ inputs: [] }).details?.['field']).toBe('inputs');
  });
});

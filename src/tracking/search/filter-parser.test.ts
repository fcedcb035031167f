import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import {
  parseExperimentFilter,
  parseExperimentOrderBy,
  parseRunFilter,
  parseRunOrderBy,
  parseRunOrderByList,
  type Comparison,
} from './index.js';

/** The error a parse throws; fails when it does not throw an INVALID_PARAMETER_VALUE. */
function errorOf(fn: () => unknown): MlopsError {
  try {
    fn();
  } catch (err) {
    if (!MlopsError.is(err)) throw err;
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    return err;
  }
  throw new Error('expected a parse error');
}

const one = (filter: string): Comparison => {
  const parsed = parseRunFilter(filter);
  expect(parsed).toHaveLength(1);
  return parsed[0] as Comparison;
};

describe('parseRunFilter: identifiers', () => {
  it.each([
    ['metric.rmse', 'metric'],
    ['metrics.rmse', 'metric'],
    ['METRICS.rmse', 'metric'],
  ])('%s names a metric', (identifier, entity) => {
    expect(one(`${identifier} < 1`)).toMatchObject({ entity, key: 'rmse' });
  });

  it.each(['param', 'params', 'parameter', 'parameters'])('%s.lr names a param', (prefix) => {
    expect(one(`${prefix}.lr = '0.1'`)).toMatchObject({ entity: 'param', key: 'lr' });
  });

  it.each(['tag', 'tags'])('%s.team names a tag', (prefix) => {
    expect(one(`${prefix}.team = 'ml'`)).toMatchObject({ entity: 'tag', key: 'team' });
  });

  it.each(['attribute', 'attributes', 'attr', 'run'])('%s.status names an attribute', (prefix) => {
    expect(one(`${prefix}.status = 'FINISHED'`)).toMatchObject({
      entity: 'attribute',
      key: 'status',
    });
  });

  it('reads a bare key as an attribute', () => {
    expect(one("status = 'FAILED'")).toMatchObject({ entity: 'attribute', key: 'status' });
    expect(one('end_time > 5')).toMatchObject({ entity: 'attribute', key: 'end_time' });
  });

  it('knows every searchable run attribute', () => {
    for (const key of ['run_id', 'run_name', 'status', 'user_id', 'artifact_uri']) {
      expect(one(`attributes.${key} = 'x'`)).toMatchObject({ key, kind: 'string' });
    }
    for (const key of ['start_time', 'end_time']) {
      expect(one(`attributes.${key} >= 1`)).toMatchObject({ key, kind: 'number' });
    }
  });

  it('maps the created and run name aliases', () => {
    expect(one('created > 1')).toMatchObject({ key: 'start_time', kind: 'number' });
    expect(one('attributes.Created > 1')).toMatchObject({ key: 'start_time' });
    expect(one('"run name" = \'a\'')).toMatchObject({ key: 'run_name', entity: 'attribute' });
    expect(one("`Run name` = 'a'")).toMatchObject({ key: 'run_name' });
    expect(one("attributes.`Run Name` LIKE 'a%'")).toMatchObject({ key: 'run_name' });
  });

  it('reads quoted keys with double quotes and backticks, and a backticked type', () => {
    expect(one('metrics."f1 score" > 0.5')).toMatchObject({ entity: 'metric', key: 'f1 score' });
    expect(one("tags.`mlflow.user` = 'ann'")).toMatchObject({ entity: 'tag', key: 'mlflow.user' });
    expect(one("`tags`.`user-name` = 'x'")).toMatchObject({ entity: 'tag', key: 'user-name' });
    expect(one('`metrics`.rmse < 1')).toMatchObject({ entity: 'metric', key: 'rmse' });
    expect(one('metrics."say ""hi""" = 1')).toMatchObject({ key: 'say "hi"' });
  });

  it('splits a dotted key at the first dot only', () => {
    expect(one("tags.mlflow.source.type = 'LOCAL'")).toMatchObject({
      entity: 'tag',
      key: 'mlflow.source.type',
    });
  });

  it('accepts / and - inside unquoted keys', () => {
    expect(one('metrics.train/loss < 1')).toMatchObject({ key: 'train/loss' });
    expect(one('metrics.val-loss<-1')).toMatchObject({ key: 'val-loss', value: -1 });
  });

  it('parses dataset comparisons (the search rejects them later)', () => {
    expect(one("datasets.name = 'iris'")).toMatchObject({ entity: 'dataset', key: 'name' });
    expect(one("dataset.digest IN ('ab', 'cd')")).toMatchObject({
      entity: 'dataset',
      kind: 'list',
      values: ['ab', 'cd'],
    });
  });
});

describe('parseRunFilter: comparators and values', () => {
  it.each(['=', '!=', '>', '>=', '<', '<='])('metrics take %s with a number', (op) => {
    expect(one(`metrics.rmse ${op} 0.5`)).toEqual({
      entity: 'metric',
      key: 'rmse',
      kind: 'number',
      comparator: op,
      value: 0.5,
      position: 1,
    });
  });

  it.each(['=', '!=', 'LIKE', 'ILIKE'])('params and tags take %s with a string', (op) => {
    expect(one(`params.model ${op} 'lstm'`)).toMatchObject({ comparator: op, value: 'lstm' });
    expect(one(`tags.model ${op} "lstm"`)).toMatchObject({ comparator: op, value: 'lstm' });
  });

  it('reads LIKE, ILIKE, IN, NOT IN and AND in any case', () => {
    expect(one("params.a like 'x%'")).toMatchObject({ comparator: 'LIKE' });
    expect(one("params.a iLike 'x%'")).toMatchObject({ comparator: 'ILIKE' });
    expect(one("run_id in ('a')")).toMatchObject({ comparator: 'IN', values: ['a'] });
    expect(one("run_id not In ('a', 'b')")).toMatchObject({
      comparator: 'NOT IN',
      values: ['a', 'b'],
    });
    expect(parseRunFilter("metrics.a < 1 and params.b = 'x' AnD tags.c = 'y'")).toHaveLength(3);
  });

  it('string attributes take = != LIKE ILIKE; numeric ones the number comparators', () => {
    for (const op of ['=', '!=', 'LIKE', 'ILIKE']) {
      expect(one(`attributes.user_id ${op} 'ann'`)).toMatchObject({ comparator: op });
    }
    for (const op of ['=', '!=', '>', '>=', '<', '<=']) {
      expect(one(`start_time ${op} 17`)).toMatchObject({ comparator: op, value: 17 });
    }
  });

  it('reads integers, decimals, signs and exponents', () => {
    expect(one('metrics.a > -1.5')).toMatchObject({ value: -1.5 });
    expect(one('metrics.a > +2')).toMatchObject({ value: 2 });
    expect(one('metrics.a > .25')).toMatchObject({ value: 0.25 });
    expect(one('metrics.a > 1e-3')).toMatchObject({ value: 0.001 });
    expect(one('metrics.a>=3')).toMatchObject({ value: 3 });
  });

  it('reads a doubled quote inside a string as one quote', () => {
    expect(one("params.a = 'it''s'")).toMatchObject({ value: "it's" });
    expect(one('params.a = "say ""x"""')).toMatchObject({ value: 'say "x"' });
  });

  it('records the position of each comparison', () => {
    expect(parseRunFilter("metrics.a < 1 and params.b = 'x'").map((c) => c.position)).toEqual([
      1, 19,
    ]);
  });

  it('treats an empty or blank filter as everything', () => {
    expect(parseRunFilter('')).toEqual([]);
    expect(parseRunFilter('   \n ')).toEqual([]);
  });
});

describe('parseRunFilter: errors name the position, the token and what was expected', () => {
  it('refuses OR with the exact message', () => {
    expect(errorOf(() => parseRunFilter('metrics.a < 1 OR metrics.b < 2')).message).toBe(
      "Invalid filter at position 15 near 'OR': only AND joins comparisons (OR is not supported)",
    );
  });

  it.each([
    ['(metrics.a < 1)', 1, '(', 'parentheses are not supported'],
    ['metrics.a < 1 and (metrics.b < 2)', 19, '(', 'parentheses are not supported'],
    ['metrics.a < (1)', 13, '(', 'expected a number'],
    ['NOT metrics.a < 1', 1, 'NOT', 'NOT is not supported'],
    ['metrics.rmse <', 15, undefined, 'expected a number'],
    ['metrics.rmse', 13, undefined, 'expected a comparator (=, !=, <, <=, >, >=)'],
    ["metrics.rmse < 'x'", 16, "'x'", 'takes an unquoted number, not a quoted string'],
    ['metrics.rmse < "1"', 16, '"1"', 'takes an unquoted number'],
    ['params.units = 50', 16, '50', "takes a quoted string value, e.g. '50'"],
    ['tags.model = lstm', 14, 'lstm', 'takes a quoted string value'],
    ["params.a IN ('x')", 10, 'IN', 'IN takes a list only for attributes.run_id'],
    ["status NOT IN ('x')", 8, 'NOT', 'NOT IN takes a list only for attributes.run_id'],
    ["bogus.key = 'x'", 1, 'bogus.key', "unknown identifier type 'bogus'"],
    ["attributes.color = 'x'", 1, 'attributes.color', "unknown run attribute 'color'"],
    ['metrics.a < 1 foo', 15, 'foo', 'expected AND or the end of the filter'],
    ['metrics.a < 1 )', 15, ')', 'parentheses are not supported'],
    ['metrics.a < 1 and', 18, undefined, 'expected a comparison after AND'],
    ['and metrics.a < 1', 1, 'and', 'expected a comparison'],
    ["metrics.a LIKE '1'", 11, 'LIKE', 'LIKE does not apply to metrics.a, a number'],
    ["params.a < 'x'", 10, '<', '< does not apply to params.a, a string'],
    ["params.a <> 'x'", 10, '<>', "use '!='"],
    ['metrics.a == 1', 11, '==', "use '='"],
    ["params.a NOT LIKE 'x'", 14, 'LIKE', 'expected IN after NOT'],
    ['run_id IN ()', 12, ')', 'expected a quoted string in the list'],
    ["run_id IN ('a' 'b')", 16, "'b'", "expected ',' or ')'"],
    ["run_id IN 'a'", 11, "'a'", 'expected a parenthesised list'],
    ["params.a = 'open", 12, "'open", 'unterminated quoted text'],
    ['metrics. < 1', 10, '<', "expected a key after 'metrics.'"],
    ['metrics.val loss < 1', 13, 'loss', 'quote keys that contain spaces'],
    ["datasets.size = 'x'", 1, 'datasets.size', "unknown dataset field 'size'"],
    ['= 1', 1, '=', 'expected an identifier'],
    ['metrics.a ! 1', 11, '!', 'expected a comparator'],
  ])('%s', (filter, position, near, expected) => {
    const err = errorOf(() => parseRunFilter(filter));
    expect(err.message).toContain(`Invalid filter at position ${position} near `);
    expect(err.message).toContain(near === undefined ? 'the end of the input' : `'${near}'`);
    expect(err.message).toContain(expected);
    expect(err.details).toEqual({ position });
  });
});

describe('parseRunOrderBy', () => {
  it('reads an identifier and an optional direction, ASC by default', () => {
    expect(parseRunOrderBy('metrics.rmse')).toEqual({
      entity: 'metric',
      key: 'rmse',
      ascending: true,
    });
    expect(parseRunOrderBy('metrics.rmse desc')).toMatchObject({ ascending: false });
    expect(parseRunOrderBy('params.lr ASC')).toMatchObject({ entity: 'param', ascending: true });
    expect(parseRunOrderBy('tags.`mlflow.user` DESC')).toMatchObject({
      entity: 'tag',
      key: 'mlflow.user',
    });
    expect(parseRunOrderBy('metrics."f1 score" DESC')).toMatchObject({ key: 'f1 score' });
    expect(parseRunOrderBy('attributes.start_time')).toMatchObject({
      entity: 'attribute',
      key: 'start_time',
    });
    expect(parseRunOrderBy('created DESC')).toMatchObject({ key: 'start_time' });
    expect(parseRunOrderBy('`Run Name`')).toMatchObject({ key: 'run_name' });
  });

  it.each([
    ['metrics.rmse DESCENDING', 14, 'DESCENDING', 'expected ASC, DESC or the end of the clause'],
    ['metrics.rmse DESC x', 19, 'x', 'expected ASC, DESC or the end of the clause'],
    ['', 1, undefined, 'expected an identifier'],
    ['datasets.name', 1, 'datasets.name', 'runs cannot be ordered by dataset fields'],
    ['foo.bar', 1, 'foo.bar', "unknown identifier type 'foo'"],
  ])('refuses %j', (clause, position, near, expected) => {
    const err = errorOf(() => parseRunOrderBy(clause));
    expect(err.message).toContain(`Invalid order_by clause '${clause}' at position ${position}`);
    expect(err.message).toContain(near === undefined ? 'the end of the input' : `'${near}'`);
    expect(err.message).toContain(expected);
  });

  it('refuses the same key twice in one list', () => {
    expect(parseRunOrderByList(['metrics.a', 'params.a', 'start_time'])).toHaveLength(3);
    const err = errorOf(() => parseRunOrderByList(['metrics.a', 'metrics.a DESC']));
    expect(err.message).toContain("orders by metric 'a' a second time");
    errorOf(() => parseRunOrderByList(['created', 'start_time']));
  });
});

describe('experiment grammar', () => {
  it('filters on name, creation_time, last_update_time and tags', () => {
    expect(
      parseExperimentFilter(
        "name LIKE 'prod%' and creation_time > 5 and attributes.last_update_time <= 9 and tags.team = 'ml'",
      ).map((c) => [c.entity, c.key, c.kind]),
    ).toEqual([
      ['attribute', 'name', 'string'],
      ['attribute', 'creation_time', 'number'],
      ['attribute', 'last_update_time', 'number'],
      ['tag', 'team', 'string'],
    ]);
  });

  it.each([
    ['metrics.a > 1', "unknown identifier type 'metrics'"],
    ['experiment_id = 1', "unknown experiment attribute 'experiment_id'"],
    ["name IN ('a')", 'IN takes a list only for attributes.run_id'],
    ['creation_time > "1"', 'takes an unquoted number'],
    ["name < 'a'", '< does not apply to name, a string'],
  ])('refuses %s', (filter, expected) => {
    expect(errorOf(() => parseExperimentFilter(filter)).message).toContain(expected);
  });

  it('orders by name, experiment_id, creation_time, last_update_time only', () => {
    for (const key of ['name', 'experiment_id', 'creation_time', 'last_update_time']) {
      expect(parseExperimentOrderBy(`${key} DESC`)).toEqual({
        entity: 'attribute',
        key,
        ascending: false,
      });
    }
    expect(errorOf(() => parseExperimentOrderBy('tags.team')).message).toContain(
      'experiments can be ordered only by',
    );
    expect(errorOf(() => parseExperimentOrderBy('lifecycle_stage')).message).toContain(
      'experiments can be ordered only by',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { monitorReportJsonSchema, parseMonitorReport } from './parse-monitor-report.js';
import { sampleMonitorReport } from './report-fixture.js';

/** The MlopsError `fn` throws (fails the test when it throws nothing or something else). */
function errorOf(fn: () => unknown): MlopsError {
  try {
    fn();
  } catch (err) {
    if (MlopsError.is(err)) return err;
    throw err;
  }
  throw new Error('expected an MlopsError');
}

/** The sample as plain JSON data with `edits` applied: `[path, value]`, value undefined deletes. */
function changed(...edits: [path: readonly (string | number)[], value: unknown][]): unknown {
  const json = JSON.parse(JSON.stringify(sampleMonitorReport())) as unknown;
  for (const [path, value] of edits) {
    let node = json as Record<string | number, unknown>;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = path.at(-1)!;
    if (value === undefined) delete node[last];
    else node[last] = value;
  }
  return json;
}

const sample = sampleMonitorReport();

describe('parseMonitorReport', () => {
  it('reads back what JSON.stringify wrote, for full and partial reports', () => {
    const variants = [
      sampleMonitorReport(),
      sampleMonitorReport({ withPerformance: false, withPrediction: false, withQuality: false }),
    ];
    for (const report of variants) {
      expect(parseMonitorReport(JSON.stringify(report))).toEqual(report);
      expect(parseMonitorReport(JSON.parse(JSON.stringify(report)))).toEqual(report);
    }
  });

  it('names the JSON path and what was expected', () => {
    const err = errorOf(() =>
      parseMonitorReport(
        changed([['dataDrift', 'columns', 2, 'score'], 'high']),
        'reports/today.json',
      ),
    );
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    expect(err.message).toContain('reports/today.json does not match the monitor report schema');
    expect(err.message).toContain(
      'at $.dataDrift.columns[2].score: expected number, received string',
    );
    expect(err.details).toMatchObject({
      file: 'reports/today.json',
      issues: [{ path: '$.dataDrift.columns[2].score' }],
    });
  });

  it('refuses unknown fields, a missing field and a NaN-like metric, listing each', () => {
    const err = errorOf(() =>
      parseMonitorReport(
        changed(
          [['dataDrift', 'extra'], 1],
          [['title'], undefined],
          [['metrics', 'data_drift.drifted_share'], 'NaN'],
        ),
      ),
    );
    expect(err.message).toContain("at $.dataDrift: unknown field 'extra'");
    expect(err.message).toContain('at $.title: expected string, received undefined');
    expect(err.message).toContain(
      'at $.metrics["data_drift.drifted_share"]: expected a number, a boolean or null',
    );
  });

  it('checks that distributions have one share per bin and a known type', () => {
    const bins = errorOf(() =>
      parseMonitorReport(
        changed([
          ['dataDrift', 'columns', 0, 'distribution', 'current'],
          sample.dataDrift.columns[0]!.distribution!.current.slice(1),
        ]),
      ),
    );
    expect(bins.message).toContain(
      'at $.dataDrift.columns[0].distribution.current: expected one current share per bin',
    );
    const type = errorOf(() =>
      parseMonitorReport(changed([['predictionDrift', 'distribution', 'type'], 'kde'])),
    );
    expect(type.message).toContain(
      "at $.predictionDrift.distribution.type: expected 'histogram' or 'categories'",
    );
  });

  it('says which schema versions it reads', () => {
    const err = errorOf(() => parseMonitorReport(changed([['schemaVersion'], 2])));
    expect(err.message).toContain(
      'at $.schemaVersion: expected 1; this mlops reads schemaVersion 1',
    );
  });

  it('reports text that is not JSON, naming the source', () => {
    const err = errorOf(() => parseMonitorReport('{"schemaVersion": 1,', 'out/report.json'));
    expect(err.code).toBe('INVALID_PARAMETER_VALUE');
    expect(err.message).toMatch(/^out\/report\.json is not valid JSON: /);
  });

  it('lists at most five problems and counts the rest', () => {
    const err = errorOf(() =>
      parseMonitorReport(
        changed(
          ...sample.dataDrift.columns.map(
            (_, i) =>
              [['dataDrift', 'columns', i, 'threshold'], 'x'] as [(string | number)[], unknown],
          ),
        ),
      ),
    );
    expect(err.message.match(/at \$\.dataDrift\.columns\[\d\]\.threshold/g)).toHaveLength(5);
    expect(err.message).toContain('; and 2 more.');
    expect((err.details as { issues: unknown[] }).issues).toHaveLength(7);
  });
});

describe('monitorReportJsonSchema', () => {
  it('is a stable draft 2020-12 schema with every object closed', () => {
    const schema = monitorReportJsonSchema();
    expect(JSON.stringify(monitorReportJsonSchema())).toBe(JSON.stringify(schema));
    expect(schema).toMatchObject({
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'mlops monitor report',
      type: 'object',
      additionalProperties: false,
      properties: { schemaVersion: { const: 1 } },
    });
    expect(schema.required).toEqual([
      'schemaVersion',
      'generatedAt',
      'title',
      'reference',
      'current',
      'dataDrift',
      'notes',
      'metrics',
      'checks',
    ]);
    // Every object with fixed properties refuses others (the metric map is the one open record).
    const open: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (Array.isArray(node)) node.forEach((n, i) => walk(n, `${path}[${i}]`));
      else if (node !== null && typeof node === 'object') {
        const o = node as Record<string, unknown>;
        if (o.type === 'object' && o.properties !== undefined && o.additionalProperties !== false) {
          open.push(path);
        }
        for (const [k, v] of Object.entries(o)) walk(v, `${path}.${k}`);
      }
    };
    walk(schema, '$');
    expect(open).toEqual([]);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { expectCode } from '../../testing/index.js';
import { parseDuration } from '../../core/index.js';
import { loadMonitorConfig, parseMonitorConfig } from './parse-monitor-config.js';

const FULL = `# every field
monitor: goog-daily
model: models:/stock-forecast@champion
reference: models:/stock-forecast/3
window: { since: 7d }
drift:
  numerical_test: wasserstein
  categorical_test: psi
  threshold: 0.1
  numerical_threshold: 0.2
  categorical_threshold: 0.3
  drift_share: 0.5
  columns: [last_close, "log return"]
  per_column:
    last_close: { test: ks, threshold: 0.05, kind: numerical }
performance: { window_rows: 20 }
checks:
  - { metric: data_drift.drifted_share, lt: 0.5 }
  - metric: performance.rmse
    name: rmse in band
    between: [0, 3]
  - { metric: data_drift.dataset_drift, eq: false }
actions:
  webhook:
    url: http://127.0.0.1:9000/hook
    headers: { Authorization: Bearer x }
    timeout: 2s
    on: always
  retrain:
    cooldown: 6h
    source: https://example.com/prices.csv
    into: data/prices.csv
    merge_key: Date
report: { html: reports/monitor.html, json: reports/monitor.json }
schedule: "*/15 * * * *"
`;

const MINIMAL = `model: models:/stock-forecast@champion
window: { last: 60 }
`;

/** The error for `text`, with its message. */
function errorOf(text: string): MlopsError {
  try {
    parseMonitorConfig(text, 'monitor.yaml');
  } catch (err) {
    if (MlopsError.is(err)) {
      expect(err.code).toBe('INVALID_PARAMETER_VALUE');
      return err;
    }
    throw err;
  }
  throw new Error('expected the config to be refused');
}

describe('parseMonitorConfig', () => {
  it('reads every field into camelCase, frozen', () => {
    const config = parseMonitorConfig(FULL, 'monitor.yaml');
    expect(config).toEqual({
      file: 'monitor.yaml',
      monitor: 'goog-daily',
      model: 'models:/stock-forecast@champion',
      reference: 'models:/stock-forecast/3',
      window: { sinceMs: 7 * 86_400_000 },
      drift: {
        numericalTest: 'wasserstein',
        categoricalTest: 'psi',
        threshold: 0.1,
        numericalThreshold: 0.2,
        categoricalThreshold: 0.3,
        driftShare: 0.5,
        columns: ['last_close', 'log return'],
        perColumn: { last_close: { test: 'ks', threshold: 0.05, kind: 'numerical' } },
      },
      performance: { windowRows: 20 },
      checks: [
        { metric: 'data_drift.drifted_share', lt: 0.5 },
        { metric: 'performance.rmse', name: 'rmse in band', between: [0, 3] },
        { metric: 'data_drift.dataset_drift', eq: false },
      ],
      actions: {
        webhook: {
          url: 'http://127.0.0.1:9000/hook',
          headers: { Authorization: 'Bearer x' },
          timeoutMs: 2000,
          on: 'always',
        },
        retrain: {
          cooldownMs: 6 * 3_600_000,
          source: 'https://example.com/prices.csv',
          into: 'data/prices.csv',
          mergeKey: 'Date',
        },
      },
      report: { html: 'reports/monitor.html', json: 'reports/monitor.json' },
      schedule: '*/15 * * * *',
    });
    expect(Object.isFrozen(config.checks[0])).toBe(true);
    expect(Object.isFrozen(config.drift.perColumn)).toBe(true);
  });

  it('fills defaults: monitor from the model name, webhook on fail in 5 s, retrain every 6 h', () => {
    const config = parseMonitorConfig(
      `${MINIMAL}actions:\n  webhook: { url: "https://hooks.example.com/x" }\n  retrain: { source: new.csv, into: data/prices.csv }\n`,
    );
    expect(config).toMatchObject({
      file: 'monitor.yaml',
      monitor: 'stock-forecast',
      window: { last: 60 },
      drift: {},
      checks: [],
      actions: {
        webhook: { headers: {}, timeoutMs: 5000, on: 'fail' },
        retrain: { cooldownMs: 6 * 3_600_000 },
      },
    });
    expect(parseMonitorConfig('model: models:/goog-lstm/3\nwindow: { last: 5 }').monitor).toBe(
      'goog-lstm',
    );
  });

  it.each([
    [
      'a top-level key',
      `${MINIMAL}chekcs: []\n`,
      3,
      /unknown key 'chekcs' at the top level \(did you mean 'checks'\?\); expected monitor, model/,
    ],
    [
      'a nested key',
      `${MINIMAL}drift:\n  numerical_tset: ks\n`,
      4,
      /unknown key 'numerical_tset' in drift \(did you mean 'numerical_test'\?\)/,
    ],
    [
      'a per-column key',
      `${MINIMAL}drift:\n  per_column:\n    Close:\n      treshold: 0.1\n`,
      6,
      /unknown key 'treshold' in drift\.per_column\.Close \(did you mean 'threshold'\?\); expected test, threshold, kind/,
    ],
    [
      'a check key',
      `${MINIMAL}checks:\n  - metric: x\n    lt: 1\n    gtt: 2\n`,
      6,
      /unknown key 'gtt' in checks\[0\] \(did you mean 'gt' or 'gte'\?\)/,
    ],
    [
      'an action',
      `${MINIMAL}actions:\n  slack: {}\n`,
      4,
      /unknown key 'slack' in actions; expected webhook, retrain/,
    ],
    [
      // The promotion gate of the pipeline's register stage decides; the monitor has no say.
      'a retrain key',
      `${MINIMAL}actions:\n  retrain:\n    source: a\n    into: b\n    promote: false\n`,
      7,
      /unknown key 'promote' in actions\.retrain; expected cooldown, source, into, merge_key$/,
    ],
  ])('names an unknown key (%s), its line and a close known key', (_what, text, line, pattern) => {
    const err = errorOf(text);
    expect(err.message.startsWith(`monitor.yaml, line ${line}: `)).toBe(true);
    expect(err.message).toMatch(pattern);
    expect(err.details).toMatchObject({ file: 'monitor.yaml', line });
  });

  it.each([
    [
      'a duration',
      `${MINIMAL}actions:\n  retrain:\n    cooldown: 6 hours\n    source: a\n    into: b\n`,
      5,
      /actions\.retrain\.cooldown: expected a duration such as 30s, 15m, 6h or 7d, got "6 hours"/,
    ],
    [
      'a window',
      'model: models:/m@a\nwindow: { last: 5, since: 1d }\n',
      2,
      /window: expected one of last \(rows\) or since/,
    ],
    [
      'a window size',
      'model: models:/m@a\nwindow: { last: -5 }\n',
      2,
      /window\.last: expected a number of rows \(a whole number > 0\)/,
    ],
    [
      'a model URI',
      'model: stock-forecast\nwindow: { last: 5 }\n',
      1,
      /model: expected models:\/<name>@<alias> or models:\/<name>\/<version>/,
    ],
    ['a missing model', 'window: { last: 5 }\n', 1, /missing required key 'model'/],
    [
      'a check without a condition',
      `${MINIMAL}checks:\n  - metric: data_drift.drifted_share\n`,
      4,
      /checks\[0\]: a check needs a condition: one of gt, gte, lt, lte, eq, between/,
    ],
    [
      'a check value',
      `${MINIMAL}checks:\n  - { metric: x, lt: "0.5" }\n`,
      4,
      /checks\[0\]\.lt: expected a number/,
    ],
    [
      'an inverted between',
      `${MINIMAL}checks:\n  - { metric: x, between: [3, 1] }\n`,
      4,
      /checks\[0\]\.between: expected \[low, high\] with low <= high/,
    ],
    [
      'a webhook URL',
      `${MINIMAL}actions:\n  webhook: { url: "ftp://x" }\n`,
      4,
      /actions\.webhook\.url: expected an http\(s\) URL/,
    ],
    [
      'webhook on',
      `${MINIMAL}actions:\n  webhook: { url: "http://x", on: never }\n`,
      4,
      /actions\.webhook\.on: expected fail or always/,
    ],
    [
      'a cron pattern',
      `${MINIMAL}schedule: "61 * * * *"\n`,
      3,
      /schedule: not a valid cron pattern \(Invalid value for minute: 61\)/,
    ],
    [
      'a cron pattern with too few parts',
      `${MINIMAL}schedule: "* * *"\n`,
      3,
      /schedule: not a valid cron pattern/,
    ],
    [
      'a drift share',
      `${MINIMAL}drift: { drift_share: 1.5 }\n`,
      3,
      /drift\.drift_share: expected a share in \(0, 1\]/,
    ],
    [
      'a drift test name',
      `${MINIMAL}drift:\n  test: kss\n`,
      4,
      /drift\.test: 'kss' is not a drift test \(did you mean 'ks'\?\); expected one of .*wasserstein/,
    ],
    [
      'a numerical-only test for categorical columns',
      `${MINIMAL}drift:\n  categorical_test: ks\n`,
      4,
      /drift\.categorical_test: 'ks' is not a categorical drift test; expected one of chisquare, /,
    ],
    [
      "a column's drift test name",
      `${MINIMAL}drift:\n  per_column:\n    c: { test: psy }\n`,
      5,
      /drift\.per_column\.c\.test: 'psy' is not a drift test \(did you mean 'psi'\?\)/,
    ],
    [
      'a column kind',
      `${MINIMAL}drift:\n  per_column:\n    c: { kind: text }\n`,
      5,
      /drift\.per_column\.c\.kind: expected numerical or categorical/,
    ],
    // yaml reports an unclosed bracket where it noticed: at the end of the text.
    ['YAML syntax', 'model: [unclosed\n', 2, /not valid YAML \(Flow sequence/],
    [
      'a duplicate key',
      `${MINIMAL}window: { last: 6 }\n`,
      3,
      /not valid YAML \(Map keys must be unique/,
    ],
    [
      'the top level',
      '- a\n- b\n',
      1,
      /expected a mapping \(monitor:, model:, window:, checks:, \.\.\.\) at the top level/,
    ],
  ])('refuses %s with the file, line and key', (_what, text, line, pattern) => {
    const err = errorOf(text);
    expect(err.message).toMatch(new RegExp(`^monitor\\.yaml, line ${line}: `));
    expect(err.message).toMatch(pattern);
  });
});

describe('loadMonitorConfig', () => {
  it('reads a file and names it in errors; a missing file says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-monitor-config-'));
    try {
      const path = join(dir, 'monitor.yaml');
      await writeFile(path, MINIMAL);
      expect((await loadMonitorConfig(path)).file).toBe(path);
      await writeFile(path, `${MINIMAL}windw: 1\n`);
      const bad = await expectCode(loadMonitorConfig(path), 'INVALID_PARAMETER_VALUE');
      expect(bad.message.startsWith(`${path}, line 3: unknown key 'windw'`)).toBe(true);
      const missing = await expectCode(
        loadMonitorConfig(join(dir, 'nope.yaml')),
        'RESOURCE_DOES_NOT_EXIST',
      );
      expect(missing.message).toMatch(/No monitor config at .*nope\.yaml/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['6h', 21_600_000],
    ['7d', 604_800_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
  ])('%s -> %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', '6', 'h', '6 hours', '-1s', '0s', '1w'])('refuses %o', (text) =>
    expect(parseDuration(text)).toBeUndefined(),
  );
});

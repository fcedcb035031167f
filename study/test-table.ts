/**
 * `npm run study -- test-table`: the 5-seed test table on the GOOG protocol (DESIGN.md §7) with
 * the current defaults: persistence, linear, LSTM (seeds 1..5), and the two controls (persistence
 * plus noise of the actual change std; the LSTM trained on shuffled returns). Writes the generated
 * block of docs/evaluation.md and prints the same tables. This command, unlike the selection study,
 * reads the test rows: it is the evaluation.
 */
import {
  createForecaster,
  forecastMetrics,
  loadPriceCsv,
  LstmForecaster,
  noisyPersistence,
  protocolSplit,
  resolveParams,
  shuffledReturnsCloses,
  splitWindows,
  type ForecastMetrics,
  type Forecaster,
  type ModelKind,
} from '../src/forecast/index.js';
import { median, num, range, table, writeGeneratedBlock } from './markdown.js';
import { displayPath } from './selection-doc.js';

export const EVALUATION_DOC = 'docs/evaluation.md';
export const TEST_SEEDS = [1, 2, 3, 4, 5] as const;

interface Row {
  readonly name: string;
  readonly seeds: readonly (number | undefined)[];
  readonly metrics: readonly ForecastMetrics[];
  /** LSTM rows: best epoch / epochs trained per seed. */
  readonly epochs?: readonly string[];
}

interface TestData {
  readonly closes: Float64Array;
  readonly dates: readonly string[];
  readonly sha256: string;
}

async function fitAndScore(
  data: TestData,
  kind: ModelKind,
  params: Record<string, number>,
  trainCloses: Float64Array = data.closes,
): Promise<{ metrics: ForecastMetrics; epochs?: string }> {
  const model: Forecaster = createForecaster(kind, params);
  try {
    const split = protocolSplit(data.closes.length, model.windowSize);
    await model.fit({ closes: trainCloses, split });
    // Test windows always come from the real closes (for the control too).
    const test = splitWindows(data.closes, split, 'test', model.windowSize);
    const predicted = await model.predict(test.windows);
    const previous = Float64Array.from(test.windows, (w) => w[w.length - 1]!);
    const metrics = forecastMetrics({ actual: test.targets, predicted, previous });
    const training = model instanceof LstmForecaster ? model.state?.training : undefined;
    return training
      ? { metrics, epochs: `${training.bestEpoch}/${training.history.length}` }
      : { metrics };
  } finally {
    if (model instanceof LstmForecaster) model.dispose();
  }
}

function spread(values: readonly number[], digits: number, signed = false): string {
  if (values.length === 1) return num(values[0], digits, signed);
  const [lo, hi] = range(values);
  return `${num(median(values), digits, signed)} (${num(lo, digits, signed)} .. ${num(hi, digits, signed)})`;
}

function summaryTable(rows: readonly Row[]): string {
  const col = (r: Row, f: (m: ForecastMetrics) => number, digits: number, signed = false) =>
    spread(r.metrics.map(f), digits, signed);
  return table(
    [
      'model',
      'seeds',
      'RMSE',
      'MAE',
      'MAPE %',
      'skill',
      'directional accuracy',
      'DM statistic',
      'DM p',
      'change std ratio',
    ],
    rows.map((r) => [
      r.name,
      r.seeds[0] === undefined ? '—' : r.seeds.join(','),
      col(r, (m) => m.rmse, 4),
      col(r, (m) => m.mae, 4),
      col(r, (m) => m.mape, 3),
      col(r, (m) => m.skill, 4, true),
      col(r, (m) => m.directional_accuracy, 3),
      col(r, (m) => m.dm_statistic, 2, true),
      col(r, (m) => m.dm_p_value, 3),
      col(r, (m) => m.change_std_ratio, 3),
    ]),
  );
}

function perSeedTable(rows: readonly Row[]): string {
  const out: string[][] = [];
  for (const r of rows) {
    r.metrics.forEach((m, k) => {
      out.push([
        r.name,
        r.seeds[k] === undefined ? '—' : String(r.seeds[k]),
        num(m.rmse, 4),
        num(m.skill, 4, true),
        `${num(m.directional_accuracy, 3)} [${num(m.directional_accuracy_ci_low, 3)}, ${num(m.directional_accuracy_ci_high, 3)}]`,
        num(m.dm_statistic, 2, true),
        num(m.dm_p_value, 3),
        num(m.dm_hln_p_value, 3),
        num(m.change_std_ratio, 3),
        r.epochs?.[k] ?? '—',
      ]);
    });
  }
  return table(
    [
      'model',
      'seed',
      'RMSE',
      'skill',
      'directional accuracy [95% Wilson]',
      'DM statistic',
      'DM p (normal)',
      'DM p (HLN, t)',
      'change std ratio',
      'best/trained epochs',
    ],
    out,
  );
}

function paramsText(kind: ModelKind): string {
  return Object.entries(resolveParams(kind))
    .filter(([k]) => k !== 'seed')
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

export async function runTestTable(dataPath: string): Promise<void> {
  const started = performance.now();
  const csv = await loadPriceCsv(dataPath);
  const data: TestData = {
    closes: Float64Array.from(csv.bars, (b) => b.close),
    dates: csv.bars.map((b) => b.date),
    sha256: csv.sha256,
  };
  const rows = data.closes.length;
  const split = protocolSplit(rows, 1);
  const log = (line: string) => console.log(line);
  log(`test table: ${rows} rows, test rows ${split.testStart}..${rows - 1}`);

  const single = async (name: string, kind: ModelKind): Promise<Row> => {
    const { metrics } = await fitAndScore(data, kind, {});
    log(`${name}: RMSE ${num(metrics.rmse)} skill ${num(metrics.skill, 4, true)}`);
    return { name, seeds: [undefined], metrics: [metrics] };
  };
  const seeded = async (
    name: string,
    score: (seed: number) => Promise<{ metrics: ForecastMetrics; epochs?: string }>,
  ): Promise<Row> => {
    const metrics: ForecastMetrics[] = [];
    const epochs: string[] = [];
    for (const seed of TEST_SEEDS) {
      const t = performance.now();
      const r = await score(seed);
      metrics.push(r.metrics);
      if (r.epochs) epochs.push(r.epochs);
      log(
        `${name} seed ${seed}: RMSE ${num(r.metrics.rmse)} skill ${num(r.metrics.skill, 4, true)} change_std_ratio ${num(r.metrics.change_std_ratio, 3)}${r.epochs ? ` epochs ${r.epochs}` : ''} (${num((performance.now() - t) / 1000, 1)} s)`,
      );
    }
    return { name, seeds: TEST_SEEDS, metrics, ...(epochs.length ? { epochs } : {}) };
  };

  const persistence = await single('persistence', 'persistence');
  const linear = await single('linear (ridge)', 'linear');
  const lstm = await seeded('LSTM', (seed) => fitAndScore(data, 'lstm', { seed }));
  const noisy = await seeded('control: persistence + noise', async (seed) => {
    const test = splitWindows(data.closes, split, 'test', 1);
    const previous = Float64Array.from(test.windows, (w) => w[0]!);
    const predicted = noisyPersistence(previous, test.targets, seed);
    return { metrics: forecastMetrics({ actual: test.targets, predicted, previous }) };
  });
  const shuffled = await seeded('control: LSTM on shuffled returns', (seed) =>
    fitAndScore(data, 'lstm', { seed }, shuffledReturnsCloses(data.closes, split.testStart, seed)),
  );
  const all = [persistence, linear, lstm, noisy, shuffled];
  const seconds = (performance.now() - started) / 1000;

  const lstmSkill = median(lstm.metrics.map((m) => m.skill));
  const [dFirst, dLast] = [data.dates[split.testStart], data.dates[rows - 1]];
  const text = [
    '## Test table (generated by `npm run study -- test-table`)',
    '',
    `Data: \`${displayPath(dataPath)}\` (sha256 \`${data.sha256.slice(0, 16)}…\`), ${rows} rows; test targets = rows ${split.testStart}..${rows - 1} (${dFirst} .. ${dLast}, ${rows - split.testStart} days). Each model is fitted on the rows before ${split.testStart} only (validation for early stopping = the last 10% of the training windows) and predicts each test close from the true preceding window. Metrics in price units; skill = 1 − RMSE / RMSE(persistence); DM = Diebold-Mariano vs persistence on squared errors (negative = more accurate than persistence). Directional accuracy counts a 'no change' call as a miss unless the close did not move, so persistence scores about 0 on it.`,
    '',
    'Params (the current defaults; `seed` varies):',
    '',
    `- linear: ${paramsText('linear')}`,
    `- lstm: ${paramsText('lstm')}`,
    '',
    'Median over the seeds and (min .. max) where a row has seeds:',
    '',
    summaryTable(all),
    '',
    'Per seed:',
    '',
    perSeedTable(all),
    '',
    `Goal of issue 3 (LSTM median skill ≥ −0.005 over 5 seeds): ${lstmSkill >= -0.005 ? 'met' : 'not met'} (${num(lstmSkill, 4, true)}). Total time ${num(seconds, 0)} s.`,
  ].join('\n');
  await writeGeneratedBlock(EVALUATION_DOC, 'Evaluation', 'test-table', text);
  console.log(`\n${summaryTable(all)}\n\n${perSeedTable(all)}\n`);
  console.log(`wrote ${EVALUATION_DOC} (${num(seconds, 0)} s)`);
}

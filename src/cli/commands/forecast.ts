import { Command } from 'commander';
import type { TrainForecastResult } from '../../forecast/index.js';
import { collect, withClient } from '../context.js';
import { formatCell, printJson, printTable } from '../output.js';

interface TrainOptions {
  data?: string;
  model: string;
  param?: string[];
  preset?: string;
  experiment?: string;
  json?: boolean;
}

const METRIC_KEYS = [
  'rmse',
  'mae',
  'mape',
  'directional_accuracy',
  'skill',
  'change_std_ratio',
] as const;

export function forecastCommand(): Command {
  const cmd = new Command('forecast').description(
    'The sample problem: validate daily prices, train and backtest forecasters (tracked runs)',
  );

  cmd
    .command('validate [csv]')
    .description('Hold a daily price CSV to the data contract (default: the embedded S&P 500 data)')
    .option('--window <n>', 'model input window the data must support', '60')
    .option('--json', 'print the JSON report')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops forecast validate data/goog.csv\n  mlops forecast validate data/goog.csv --json',
    )
    .action(async (csv: string | undefined, opts: { window: string; json?: boolean }) => {
      const { validateDataset } = await import('../../app/index.js');
      const { report, text } = await validateDataset(csv, { windowSize: Number(opts.window) });
      if (opts.json) printJson(report);
      else process.stdout.write(text.endsWith('\n') ? text : text + '\n');
      if (!report.ok) process.exitCode = 7;
    });

  const train = jobOptions(cmd.command('train'), 'lstm', 'forecast')
    .description('Train one model on the protocol split and track the run')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops forecast train --data goog.csv --model lstm\n  mlops forecast train --data goog.csv --model linear --param alpha=10 --json\n  mlops forecast train --model lstm --preset quick',
    );
  train.action(async (opts: TrainOptions, command: Command) => {
    const params = parseParams(command, opts.param);
    await withClient(command, async (client) => {
      const { forecastTrain } = await import('../../app/index.js');
      const result = await forecastTrain(client, {
        model: opts.model,
        params,
        ...(opts.data ? { data: opts.data } : {}),
        ...(opts.preset ? { preset: opts.preset } : {}),
        ...(opts.experiment ? { experiment: opts.experiment } : {}),
        ...(opts.json ? {} : { progress: (line: string) => process.stderr.write(line + '\n') }),
      });
      if (opts.json) return printJson(trainJson(result));
      printResults([result]);
    });
  });

  jobOptions(cmd.command('backtest'), 'linear', 'forecast-backtest')
    .description('Walk-forward backtest: k folds, refit per fold, metrics per fold and their mean')
    .option('--folds <k>', 'number of folds', '5')
    .addHelpText(
      'after',
      '\nExample:\n  mlops forecast backtest --data goog.csv --model linear --folds 5',
    )
    .action(async (opts: TrainOptions & { folds: string }, command: Command) => {
      const params = parseParams(command, opts.param);
      await withClient(command, async (client) => {
        const { forecastBacktest } = await import('../../app/index.js');
        const result = await forecastBacktest(client, {
          model: opts.model,
          params,
          folds: Number(opts.folds),
          ...(opts.data ? { data: opts.data } : {}),
          ...(opts.preset ? { preset: opts.preset } : {}),
          ...(opts.experiment ? { experiment: opts.experiment } : {}),
        });
        if (opts.json) return printJson(result);
        printTable(
          ['FOLD', 'TEST ROWS', ...METRIC_KEYS],
          [
            ...result.folds.map((f) => [
              f.fold,
              `${f.firstDate}..${f.lastDate}`,
              ...METRIC_KEYS.map((k) => f.metrics[k]),
            ]),
            ['mean', '', ...METRIC_KEYS.map((k) => result.mean[k])],
          ],
        );
        process.stdout.write(`\nrun ${result.runId}\n`);
      });
    });
  return cmd;
}

/** The options every forecast job shares: data, model, params, preset, experiment, --json. */
function jobOptions(command: Command, model: string, experiment: string): Command {
  return command
    .option('--data <csv>', 'daily price CSV (default: the embedded S&P 500 data)')
    .option('--model <kind>', 'lstm | linear | persistence', model)
    .option('--param <key=value>', 'model param (repeatable), e.g. units=32', collect)
    .option('--preset <name>', 'quick: the most recent 1,500 rows and few epochs')
    .option('-e, --experiment <name>', 'experiment to log to', experiment)
    .option('--json', 'print JSON');
}

function parseParams(command: Command, pairs: string[] | undefined): Record<string, string> {
  const params: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const at = pair.indexOf('=');
    if (at <= 0) command.error(`--param expects key=value, got '${pair}'`);
    params[pair.slice(0, at)] = pair.slice(at + 1);
  }
  return params;
}

export function trainJson(result: TrainForecastResult) {
  return {
    run_id: result.runId,
    model: result.model,
    params: result.params,
    backend: result.backend,
    metrics: Object.fromEntries(METRIC_KEYS.map((k) => [k, result.metrics[k]])),
    all_metrics: result.metrics,
    ranges: result.ranges,
    dataset_sha256: result.datasetSha256,
  };
}

/** The comparison table every forecast command prints: one row per trained model. */
export function printResults(results: readonly TrainForecastResult[]): void {
  printTable(
    ['MODEL', ...METRIC_KEYS, 'DM p', 'RUN'],
    results.map((r) => [
      r.model,
      ...METRIC_KEYS.map((k) => formatCell(r.metrics[k])),
      formatCell(r.metrics.dm_p_value),
      r.runId,
    ]),
  );
}

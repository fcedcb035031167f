import { relative, resolve } from 'node:path';
import { Command } from 'commander';
import type { QuickstartReport } from '../../app/index.js';
import type { ReproReport } from '../../pipeline/index.js';
import { formatCell, printJson } from '../output.js';
import { describeStage } from './repro.js';

export function quickstartCommand(): Command {
  return new Command('quickstart')
    .description(
      'Write the stock-forecast example pipeline (quick preset) on the embedded daily prices, run it with mlops repro (validate, train the baselines and the LSTM, evaluate, register them with the promotion gate picking the champion), then run repro again to show every stage skipped',
    )
    .option('--dir <path>', 'workspace directory', '.')
    .option('--data <csv>', 'daily price CSV instead of the embedded S&P 500 data')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops quickstart\n  mlops quickstart --dir forecast\n  mlops quickstart --data data/goog.csv --json',
    )
    .action(async (opts: { dir: string; data?: string; json?: boolean }) => {
      const { quickstart } = await import('../../app/index.js');
      const report = await quickstart(resolve(opts.dir), {
        ...(opts.data ? { data: opts.data } : {}),
        ...(opts.json ? {} : { progress: (line: string) => process.stderr.write(`  ${line}\n`) }),
      });
      if (opts.json) printJson(report);
      else printReport(report);
    });
}

const SKILL_NOTE =
  'skill = 1 - RMSE/RMSE(persistence); daily closes are close to a random walk, so matching persistence (skill ~ 0) is the honest target.';

function printReport(report: QuickstartReport): void {
  const out = process.stdout;
  const { workspace, ingestion: ing, metrics } = report;
  out.write(`\nWorkspace  ${workspace.root}\n`);
  out.write(`  metadata ${workspace.database}\n`);
  out.write(`  bytes    ${workspace.blobs} (${report.blobCount} blobs)\n`);
  out.write(
    report.created.length > 0
      ? `  pipeline mlops.yaml, params.yaml (preset ${report.preset}): written by mlops init --example stock-forecast --preset quick\n`
      : `  pipeline mlops.yaml, params.yaml (preset ${report.preset}): kept from an earlier run\n`,
  );

  out.write(
    `\n1. Data: imported ${ing.rowsAdded} new rows into ${ing.path} (${ing.rowsTotal} rows, sha256 ${ing.sha256.slice(0, 12)}), ${ing.versioned ? `versioned (${ing.path}.mlops)` : 'unchanged since the last version'}; ingestion run ${ing.runId}\n`,
  );
  out.write(`${indent(report.validationText)}\n`);

  out.write(
    `\n2. mlops repro: validate -> train@persistence, train@linear, train@lstm -> evaluate -> register\n`,
  );
  for (const stage of report.repro.stages) out.write(`   ${describeStage(stage)}\n`);
  out.write(`   ${summary(report.repro)}\n`);
  const range = metrics.testRange ? ` ${metrics.testRange.first}..${metrics.testRange.last}` : '';
  out.write(
    `\n   ${metrics.file}: ${metrics.testRows} test rows${range} (preset ${report.preset})\n`,
  );
  const keys = ['rmse', 'mae', 'mape', 'directional_accuracy', 'skill'] as const;
  const table = [
    ['MODEL', 'RMSE', 'MAE', 'MAPE %', 'DIR. ACC.', 'SKILL'],
    ...metrics.models.map((m) => [m.model, ...keys.map((k) => formatCell(m.metrics[k]))]),
  ];
  for (const row of aligned(table)) out.write(`   ${row}\n`);
  if (metrics.best) out.write(`   best: ${metrics.best.model}\n`);
  out.write(`   ${SKILL_NOTE}\n`);
  printChampion(report);

  out.write(`\n3. mlops repro again: ${againLine(report.reproAgain)}\n`);

  out.write(
    report.lineageRunId
      ? `\n4. mlops lineage runs:/${report.lineageRunId} (the train@lstm stage run that trained the LSTM)\n${indent(report.lineage)}\n`
      : '\n4. Lineage: no train@lstm stage run has trained the LSTM yet\n',
  );

  out.write(`\n5. mlops data log ${report.dataLog.path}\n`);
  for (const v of report.dataLog.versions) {
    out.write(
      `   ${v.commit ? v.commit.slice(0, 8) : 'working tree'}  ${v.change}  ${(v.sha256 ?? '').slice(0, 12)}  ${v.size ?? ''} B  used by ${v.runs.length} run(s)\n`,
    );
  }
  if (report.dataLog.note) out.write(`   (${report.dataLog.note})\n`);

  printMonitoring(report);

  const dir = relative(process.cwd(), workspace.root);
  out.write(`\nNext:\n${dir === '' ? '' : `  cd ${dir}\n`}`);
  if (!report.gitCommit) {
    out.write(
      '  git init && git add . && git commit -m example  (the diffs compare with a commit)\n',
    );
  }
  const next: string[][] = [
    ['mlops dag', 'the stages and their order'],
    ['mlops metrics show', `the scores in ${metrics.file}`],
    ['mlops params diff', 'params.yaml against the last commit'],
    ['mlops plots diff -o plots.html', 'the predictions at the last commit and now, overlaid'],
    ['mlops runs list -e pipeline', 'each repro and its stage runs'],
    ...(report.champion
      ? [
          [
            `mlops models show ${report.champion.model}`,
            'the versions, the champion and the gate decisions',
          ],
          [
            `mlops serve models:/${report.champion.model}@champion`,
            'the prediction API on :8080 (/predict, /invocations, /docs)',
          ],
          [
            'mlops monitor check --config monitor.yaml',
            'drift checks on the served window (a CI gate)',
          ],
          ['mlops monitor history', 'the stored monitoring snapshots'],
        ]
      : []),
  ];
  for (const row of aligned(next)) out.write(`  ${row}\n`);
  out.write(
    '  Edit params.yaml (e.g. models.lstm.epochs), then mlops repro: only the stages that use it rerun.\n',
  );
}

/** The champion served and watched: replayed days, drift verdict, notes, where the report is. */
function printMonitoring(report: QuickstartReport): void {
  const m = report.monitoring;
  if (!m) return;
  const out = process.stdout;
  const { snapshot, report: monitor, files } = m.run;
  const drift = monitor.dataDrift;
  out.write(
    `\n6. mlops serve + mlops monitor run: ${m.predictions} predictions${m.firstDate ? ` for ${m.firstDate}..${m.lastDate}` : ''} through /predict, ${m.feedback} actual closes through /feedback\n`,
  );
  out.write(
    `   dataset drift ${drift.datasetDrift ? 'YES' : 'no'}: ${drift.driftedColumns} of ${drift.testedColumns} columns drifted${
      drift.driftedColumns > 0
        ? ` (${drift.columns
            .filter((c) => c.drifted)
            .map((c) => c.column)
            .join(', ')})`
        : ''
    }; snapshot ${snapshot.id}\n`,
  );
  for (const note of monitor.notes) out.write(`   note: ${note}\n`);
  if (files.html) out.write(`   Monitoring report: ${files.html}\n`);
}

/** Who holds the alias after the register stage's gate, and the decision that says why. */
function printChampion(report: QuickstartReport): void {
  const c = report.champion;
  if (!c) return;
  const holder = c.version ? `version ${c.version}${c.kind ? ` (${c.kind})` : ''}` : 'nobody';
  process.stdout.write(
    `\n   Champion: models:/${c.model}@${c.alias} -> ${holder}; the promotion gate of the register stage (${c.decisionFile}):\n`,
  );
  for (const line of c.lines) process.stdout.write(`   ${line}\n`);
}

/** `N ran, N restored from cache, N skipped; pipeline run <id> (mlops runs show <id>)`. */
function summary(report: ReproReport): string {
  const count = (status: string) => report.stages.filter((s) => s.status === status).length;
  const run = report.pipelineRunId;
  return `${count('ran')} ran, ${count('cache-hit')} restored from cache, ${count('skipped')} skipped${run ? `; pipeline run ${run} (mlops runs show ${run})` : ''}`;
}

/** The second repro: one line when everything was skipped, else each stage that did something. */
function againLine(report: ReproReport): string {
  const acted = report.stages.filter((s) => s.status !== 'skipped');
  const run = report.pipelineRunId ? `; pipeline run ${report.pipelineRunId}` : '';
  if (acted.length === 0) {
    return `all ${report.stages.length} stages up to date (skipped)${run}`;
  }
  return `${acted.length} of ${report.stages.length} stages did not skip${run}\n${acted.map((s) => `   ${describeStage(s)}`).join('\n')}`;
}

/** Rows as columns padded to their widest cell (printTable's layout, for an indented block). */
function aligned(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length))) ?? [];
  return rows.map((r) =>
    r
      .map((cell, c) => cell.padEnd(widths[c] ?? 0))
      .join('  ')
      .trimEnd(),
  );
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}

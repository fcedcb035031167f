import { resolve } from 'node:path';
import { Command } from 'commander';
import { printJson } from '../output.js';
import { printResults, trainJson } from './forecast.js';

export function quickstartCommand(): Command {
  return new Command('quickstart')
    .description(
      'Create a workspace and run the main job on the embedded daily prices: validate, train the baselines and the LSTM (quick preset), compare',
    )
    .option('--dir <path>', 'workspace directory', '.')
    .option('--data <csv>', 'daily price CSV instead of the embedded S&P 500 data')
    .option('--json', 'print JSON')
    .action(async (opts: { dir: string; data?: string; json?: boolean }) => {
      const { quickstart } = await import('../../app/index.js');
      const out = process.stdout;
      const report = await quickstart(resolve(opts.dir), {
        ...(opts.data ? { data: opts.data } : {}),
        ...(opts.json ? {} : { progress: (line: string) => process.stderr.write(`  ${line}\n`) }),
      });
      if (opts.json) {
        return printJson({ ...report, results: report.results.map(trainJson) });
      }
      out.write(`Workspace  ${report.workspace.root}\n`);
      out.write(
        `  metadata ${report.workspace.database}\n  bytes    ${report.workspace.blobs} (${report.blobCount} blobs)\n\n`,
      );
      const ing = report.ingestion;
      out.write(
        `1. Data: imported ${ing.rowsAdded} new rows into data/prices.csv (${ing.rowsTotal} rows, sha256 ${ing.sha256.slice(0, 12)}), ${ing.versioned ? 'versioned (data/prices.csv.mlops)' : 'unchanged since the last version'}; ingestion run ${ing.runId}\n`,
      );
      out.write(`${indent(report.validationText)}\n\n`);
      const test = report.results[0]?.ranges.test;
      out.write(
        `2. Forecasting (quick preset: the most recent 1,500 rows, few epochs)${test ? `; test rows ${test.firstDate}..${test.lastDate}` : ''}\n`,
      );
      printResults(report.results);
      out.write(
        '\n   skill = 1 - RMSE/RMSE(persistence); daily closes are close to a random walk, so matching persistence (skill ~ 0) is the honest target.\n',
      );
      out.write(`\n3. Lineage of the LSTM run\n${indent(report.lineage)}\n`);
      out.write(`\n4. mlops data log ${report.dataLog.path}\n`);
      for (const v of report.dataLog.versions) {
        out.write(
          `   ${v.commit ? v.commit.slice(0, 8) : 'working tree'}  ${v.change}  ${(v.sha256 ?? '').slice(0, 12)}  ${v.size ?? ''} B  used by ${v.runs.length} run(s)\n`,
        );
      }
      if (report.dataLog.note) out.write(`   (${report.dataLog.note})\n`);
      const lstm = report.results.find((r) => r.model === 'lstm');
      out.write('\nNext:\n  mlops runs list -e quickstart\n  mlops data status\n');
      if (lstm) {
        out.write(`  mlops runs show ${lstm.runId}\n  mlops artifacts list ${lstm.runId} report\n`);
      }
      out.write('  mlops forecast train --model lstm --data <your.csv>\n');
      out.write('\n(Pipelines, registry, serving and monitoring join this job as they land.)\n');
    });
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `   ${l}`)
    .join('\n');
}

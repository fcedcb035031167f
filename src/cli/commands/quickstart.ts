import { resolve } from 'node:path';
import { Command } from 'commander';
import { formatTime, printJson, printTable } from '../output.js';

export function quickstartCommand(): Command {
  return new Command('quickstart')
    .description(
      'Create a workspace, run the main job on the embedded default data, and show what it holds',
    )
    .option('--dir <path>', 'workspace directory', '.')
    .option('--json', 'print JSON')
    .action(async (opts: { dir: string; json?: boolean }) => {
      const { quickstart } = await import('../../app/index.js');
      const report = await quickstart(resolve(opts.dir));
      if (opts.json) return printJson(report);
      const { run } = report;
      const out = process.stdout;
      out.write(`Workspace  ${report.workspace.root}\n`);
      out.write(
        `  metadata ${report.workspace.database}\n  bytes    ${report.workspace.blobs} (${report.blobCount} blobs)\n\n`,
      );
      out.write(
        `1. Tracking: run ${run.info.runId} (${run.info.runName}) ${run.info.status} at ${formatTime(run.info.startTime)}\n`,
      );
      out.write(
        `   params  ${Object.entries(run.data.params)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}\n`,
      );
      out.write(
        `   metrics ${run.data.metrics.map((m) => `${m.key}=${m.value.toFixed(4)} (step ${m.step})`).join(' ')}\n`,
      );
      out.write(
        `   artifacts ${report.artifacts.map((a) => `${a.path} (${a.fileSize ?? 0} B)`).join(', ')}\n\n`,
      );
      printTable(
        ['EXPERIMENT', 'NAME', 'RUNS'],
        report.experiments.map((e) => [e.id, e.name, e.runs]),
      );
      out.write(`\n2. Lineage\n${report.lineage}\n`);
      out.write(
        `Next:\n  mlops runs list\n  mlops runs show ${run.info.runId}\n  mlops runs search --filter "metrics.rmse < 2" --order-by "metrics.rmse ASC"\n  mlops lineage runs:/${run.info.runId}\n`,
      );
      out.write(
        '\n(Forecasting, data versioning, pipelines, registry, serving and monitoring join this job as they land.)\n',
      );
    });
}

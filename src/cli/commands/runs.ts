import { Command } from 'commander';
import type { Run } from '../../tracking/index.js';
import { collect, parseView, withClient } from '../context.js';
import {
  formatCell,
  formatTime,
  printJson,
  printOutcome,
  printTable,
  type OutputOptions,
} from '../output.js';

interface SearchOptions {
  experiment?: string[];
  filter?: string;
  orderBy?: string[];
  maxResults: string;
  pageToken?: string;
  view: string;
  json?: boolean;
}

export function runsCommand(): Command {
  const cmd = new Command('runs').description('List, show, search, compare and delete runs');

  const search = (name: string, description: string, examples: string) =>
    cmd
      .command(name)
      .description(description)
      .option(
        '-e, --experiment <name-or-id>',
        'experiment to search (repeatable; default: all active)',
        collect,
      )
      .option('--filter <expr>', 'MLflow filter, e.g. "metrics.rmse < 3 and params.units = \'50\'"')
      .option('--order-by <key>', "e.g. 'metrics.rmse ASC' (repeatable)", collect)
      .option('--max-results <n>', 'page size', '100')
      .option('--page-token <token>', 'next_page_token of an earlier page')
      .option('--view <which>', 'active | deleted | all', 'active')
      .option('--json', 'print JSON')
      .addHelpText('after', `\nExamples:\n${examples}`)
      .action(async (opts: SearchOptions, command: Command) => {
        const maxResults = Number(opts.maxResults);
        if (!Number.isInteger(maxResults) || maxResults < 1) {
          command.error(`--max-results must be a positive integer (got '${opts.maxResults}')`);
        }
        const viewType = parseView(command, opts.view);
        await withClient(command, async (client) => {
          const { searchRuns } = await import('../../app/index.js');
          const page = await searchRuns(client, {
            maxResults,
            viewType,
            ...(opts.experiment ? { experiments: opts.experiment } : {}),
            ...(opts.filter ? { filter: opts.filter } : {}),
            ...(opts.orderBy ? { orderBy: opts.orderBy } : {}),
            ...(opts.pageToken ? { pageToken: opts.pageToken } : {}),
          });
          if (opts.json)
            return printJson({ runs: page.items, next_page_token: page.nextPageToken });
          printRuns(page.items);
          if (page.nextPageToken)
            process.stdout.write(`\nmore: --page-token ${page.nextPageToken}\n`);
        });
      });

  search(
    'list',
    'List runs, newest first',
    '  mlops runs list\n  mlops runs list -e goog-lstm --json',
  );
  search(
    'search',
    'Search runs with the MLflow filter grammar',
    "  mlops runs search --filter \"metrics.rmse < 3 and params.units = '50'\" --order-by 'metrics.rmse ASC'\n" +
      "  mlops runs search -e goog-lstm --filter \"tags.model LIKE 'lstm%' and attributes.status = 'FINISHED'\"",
  );

  cmd
    .command('show <run-id>')
    .description('Show one run: info, params, latest metrics, tags and artifacts')
    .option('--json', 'print JSON')
    .action(async (runId: string, opts: { json?: boolean }, command: Command) => {
      await withClient(command, async (client) => {
        const { showRun } = await import('../../app/index.js');
        const { run, artifacts } = await showRun(client, runId);
        if (opts.json) return printJson({ run, artifacts });
        const i = run.info;
        process.stdout.write(
          `run ${i.runId}  (${i.runName})\n  experiment ${i.experimentId}  status ${i.status}  stage ${i.lifecycleStage}\n` +
            `  started ${formatTime(i.startTime)}  ended ${formatTime(i.endTime)}  user ${i.userId}\n  artifacts ${i.artifactUri}\n\n`,
        );
        printTable(['PARAM', 'VALUE'], Object.entries(run.data.params));
        process.stdout.write('\n');
        printTable(
          ['METRIC', 'VALUE', 'STEP'],
          run.data.metrics.map((m) => [m.key, m.value, m.step]),
        );
        process.stdout.write('\n');
        printTable(['TAG', 'VALUE'], Object.entries(run.data.tags));
        process.stdout.write('\n');
        printTable(
          ['ARTIFACT', 'SIZE'],
          artifacts.map((a) => [a.path, a.size]),
        );
      });
    });

  cmd
    .command('compare <run-ids...>')
    .description('Compare params, latest metrics and tags of two or more runs side by side')
    .option('--all', 'also show rows that are the same in every run')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  mlops runs compare 3f2a... 9c1b...')
    .action(async (runIds: string[], opts: { all?: boolean; json?: boolean }, command: Command) => {
      if (runIds.length < 2) command.error('compare needs at least two run ids');
      await withClient(command, async (client) => {
        const { compareRuns } = await import('../../app/index.js');
        const comparison = await compareRuns(client, runIds);
        if (opts.json) return printJson(comparison);
        const headers = [
          'KIND',
          'KEY',
          ...comparison.runs.map((r) => r.info.runName || r.info.runId.slice(0, 8)),
          '',
        ];
        const rows = comparison.rows
          .filter((r) => opts.all || r.differs)
          .map((r) => [
            r.kind,
            r.key,
            ...r.values.map((v) => formatCell(r.kind === 'metric' && v !== '' ? Number(v) : v)),
            r.differs ? '*' : '',
          ]);
        printTable(headers, rows);
      });
    });

  for (const verb of ['delete', 'restore'] as const) {
    cmd
      .command(`${verb} <run-id>`)
      .description(verb === 'delete' ? 'Soft-delete a run' : 'Restore a deleted run')
      .option('--json', 'print JSON')
      .action(async (runId: string, opts: OutputOptions, command: Command) => {
        await withClient(command, async (client) => {
          if (verb === 'delete') await client.store.deleteRun(runId);
          else await client.store.restoreRun(runId);
          printOutcome(
            opts,
            { run_id: runId, lifecycle_stage: verb === 'delete' ? 'deleted' : 'active' },
            `${verb === 'delete' ? 'Deleted' : 'Restored'} run ${runId}`,
          );
        });
      });
  }
  return cmd;
}

function printRuns(runs: readonly Run[]): void {
  const metricKeys = [...new Set(runs.flatMap((r) => r.data.metrics.map((m) => m.key)))]
    .sort()
    .slice(0, 4);
  printTable(
    ['RUN ID', 'NAME', 'EXP', 'STATUS', 'STARTED', ...metricKeys],
    runs.map((r) => [
      r.info.runId,
      r.info.runName,
      r.info.experimentId,
      r.info.status,
      formatTime(r.info.startTime),
      ...metricKeys.map((k) => r.data.metrics.find((m) => m.key === k)?.value),
    ]),
  );
}

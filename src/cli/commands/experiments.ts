import { Command } from 'commander';
import { collect, parseView, withClient } from '../context.js';
import { formatTime, printJson, printOutcome, printTable, type OutputOptions } from '../output.js';

export function experimentsCommand(): Command {
  const cmd = new Command('experiments').description(
    'Create, list, rename, delete and restore experiments',
  );

  cmd
    .command('list')
    .description('List experiments')
    .option('--view <which>', 'active | deleted | all', 'active')
    .option('--filter <expr>', 'search filter, e.g. "name LIKE \'goog%\'"')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops experiments list\n  mlops experiments list --view all --json',
    )
    .action(async (opts: { view: string; filter?: string; json?: boolean }, command: Command) => {
      const viewType = parseView(command, opts.view);
      await withClient(command, async (client) => {
        const { listExperiments } = await import('../../app/index.js');
        const items = await listExperiments(client, {
          viewType,
          ...(opts.filter ? { filter: opts.filter } : {}),
        });
        if (opts.json) return printJson({ experiments: items });
        printTable(
          ['ID', 'NAME', 'STAGE', 'CREATED', 'ARTIFACT LOCATION'],
          items.map((e) => [
            e.experimentId,
            e.name,
            e.lifecycleStage,
            formatTime(e.creationTime),
            e.artifactLocation,
          ]),
        );
      });
    });

  cmd
    .command('create <name>')
    .description('Create an experiment')
    .option('--tag <key=value>', 'a tag (repeatable)', collect)
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  mlops experiments create goog-lstm --tag team=quant')
    .action(async (name: string, opts: { tag?: string[]; json?: boolean }, command: Command) => {
      const tags = (opts.tag ?? []).map((t) => {
        const at = t.indexOf('=');
        if (at <= 0) command.error(`--tag expects key=value, got '${t}'`);
        return { key: t.slice(0, at), value: t.slice(at + 1) };
      });
      await withClient(command, async (client) => {
        const id = await client.store.createExperiment({ name, tags });
        if (opts.json) printJson({ experiment_id: id });
        else process.stdout.write(`Created experiment '${name}' with id ${id}\n`);
      });
    });

  cmd
    .command('rename <experiment> <new-name>')
    .description('Rename an experiment (by id or name)')
    .option('--json', 'print JSON')
    .action(async (ref: string, newName: string, opts: OutputOptions, command: Command) => {
      await withClient(command, async (client) => {
        const exp = await client.findExperiment(ref);
        await client.store.renameExperiment(exp.experimentId, newName);
        printOutcome(
          opts,
          { experiment_id: exp.experimentId, name: newName },
          `Renamed experiment ${exp.experimentId}: '${exp.name}' -> '${newName}'`,
        );
      });
    });

  for (const [verb, past] of [
    ['delete', 'Deleted'],
    ['restore', 'Restored'],
  ] as const) {
    cmd
      .command(`${verb} <experiment>`)
      .description(
        `${verb === 'delete' ? 'Soft-delete' : 'Restore'} an experiment and its runs (by id or name)`,
      )
      .option('--json', 'print JSON')
      .action(async (ref: string, opts: OutputOptions, command: Command) => {
        await withClient(command, async (client) => {
          const exp = await client.findExperiment(ref);
          if (verb === 'delete') await client.store.deleteExperiment(exp.experimentId);
          else await client.store.restoreExperiment(exp.experimentId);
          printOutcome(
            opts,
            {
              experiment_id: exp.experimentId,
              lifecycle_stage: verb === 'delete' ? 'deleted' : 'active',
            },
            `${past} experiment ${exp.experimentId} ('${exp.name}')`,
          );
        });
      });
  }
  return cmd;
}

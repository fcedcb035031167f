import { Command } from 'commander';
import type { ModelsContext } from '../../app/index.js';
import { collect, withClient } from '../context.js';
import { addPromoteCommand } from './models-promote.js';
import { formatTime, printJson, printOutcome, printTable, type OutputOptions } from '../output.js';

/** Opens the tracking client and the registry on the same connection, runs `fn`, closes both. */
export async function withModels<T>(
  command: Command,
  fn: (ctx: ModelsContext, app: typeof import('../../app/index.js')) => Promise<T>,
): Promise<T> {
  return withClient(command, async (client) => {
    const app = await import('../../app/index.js');
    const registry = await app.openRegistry(client);
    try {
      return await fn({ client, registry }, app);
    } finally {
      await registry.close();
    }
  });
}

function parseTags(command: Command, tags: readonly string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const t of tags) {
    const at = t.indexOf('=');
    if (at <= 0) command.error(`--tag expects key=value, got '${t}'`);
    out[t.slice(0, at)] = t.slice(at + 1);
  }
  return out;
}

/** The headline metrics `show` prints; --json has them all. */
const SHOWN_METRICS = ['rmse', 'mae', 'mape', 'skill', 'directional_accuracy', 'persistence_rmse'];

const num = (v: number | undefined) =>
  v === undefined ? '' : Number.isInteger(v) ? String(v) : v.toPrecision(6);

/**
 * `mlops models list|show|register|alias set|alias delete|archive|restore|download|promote`
 * (the gate's `promote` lives in models-promote.ts).
 */
export function modelsCommand(): Command {
  const cmd = new Command('models').description(
    'Registered models: register runs as versions, aliases, archival, download',
  );

  cmd
    .command('list')
    .description('List registered models with their aliases and latest version')
    .option('--json', 'print JSON')
    .action(async (opts: OutputOptions, command: Command) => {
      await withModels(command, async (ctx, app) => {
        const models = await app.listModels(ctx);
        if (opts.json) return printJson({ registered_models: models });
        printTable(
          ['NAME', 'LATEST', 'ALIASES', 'UPDATED', 'DESCRIPTION'],
          models.map((m) => [
            m.name,
            m.latestVersions?.[0]?.version ?? '',
            m.aliases.map((a) => `${a.alias}=${a.version}`).join(' '),
            formatTime(m.lastUpdatedTimestamp),
            m.description ?? '',
          ]),
        );
      });
    });

  cmd
    .command('show <name>')
    .description("A model's versions, aliases and tags, and one version's package")
    .option('--version <v>', 'the version whose package to summarise (default: the newest)')
    .option('--json', 'print JSON')
    .action(async (name: string, opts: OutputOptions & { version?: string }, command: Command) => {
      await withModels(command, async (ctx, app) => {
        const details = await app.showModel(ctx, name, opts.version);
        if (opts.json) return printJson(details);
        const { model, versions, shown } = details;
        const out = process.stdout;
        out.write(`${model.name}${model.description ? `: ${model.description}` : ''}\n`);
        const tags = Object.entries(model.tags).map(([k, v]) => `${k}=${v}`);
        if (tags.length > 0) out.write(`tags: ${tags.join(' ')}\n`);
        out.write('\n');
        printTable(
          ['VERSION', 'ALIASES', 'STATUS', 'RUN', 'CREATED', 'PACKAGE'],
          versions.map((v) => [
            v.version,
            v.aliases.join(' '),
            v.archived ? 'archived' : v.status,
            v.runId ?? '',
            formatTime(v.creationTimestamp),
            v.packageHash?.slice(0, 12) ?? '',
          ]),
        );
        if (!shown) return;
        const p = shown.package;
        out.write(
          `\nversion ${shown.version}: ${p.modelKind}, flavors ${p.flavors.join(', ')}, window ${p.window}, ${p.files} files (${p.bytes} bytes)\n`,
        );
        if (p.dataset) {
          out.write(
            `  data   ${p.dataset.source}@${p.dataset.sha256.slice(0, 12)} (${p.dataset.rows} rows)\n`,
          );
        }
        if (p.trainRange) out.write(`  train  ${p.trainRange}\n`);
        if (p.testRange) out.write(`  test   ${p.testRange}\n`);
        const metrics = SHOWN_METRICS.flatMap((k) =>
          p.metrics[k] === undefined ? [] : [[k, p.metrics[k]] as const],
        );
        if (metrics.length > 0) {
          out.write(`  metrics ${metrics.map(([k, v]) => `${k}=${num(v)}`).join(' ')}\n`);
        }
      });
    });

  cmd
    .command('register <source>')
    .description("Register a run's model (runs:/<run id>/model) as a new version of --name")
    .requiredOption('--name <name>', 'the registered model (created when missing)')
    .option('--description <text>', "the version's description")
    .option('--tag <key=value>', 'a version tag (repeatable)', collect)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops models register runs:/<run id>/model --name goog-lstm\n  mlops models register runs:/<run id>/model --name ext --tag owner=quant',
    )
    .action(
      async (
        source: string,
        opts: OutputOptions & { name: string; description?: string; tag?: string[] },
        command: Command,
      ) => {
        const tags = parseTags(command, opts.tag);
        await withModels(command, async (ctx, app) => {
          const r = await app.registerModel(ctx, {
            source,
            name: opts.name,
            tags,
            ...(opts.description === undefined ? {} : { description: opts.description }),
          });
          const m = r.manifest;
          const rmse = m.metrics?.['rmse'];
          printOutcome(
            opts,
            { model_version: r.version, package_hash: r.packageHash, manifest: m },
            `Registered ${r.version.name} version ${r.version.version} from ${r.version.source} (${m.model_kind}, window ${m.signature.window}${rmse === undefined ? '' : `, test rmse ${num(rmse)}`}; package ${r.packageHash.slice(0, 12)})`,
          );
        });
      },
    );

  const alias = cmd
    .command('alias')
    .description('Point aliases (champion, challenger, ...) at versions')
    // main.ts overrides exits two levels deep; set and delete are three, and inherit this.
    .exitOverride();
  alias
    .command('set <name> <alias> <version>')
    .description('Point <alias> at <version>, moving it if it points elsewhere')
    .option('--json', 'print JSON')
    .action(
      async (name: string, to: string, version: string, opts: OutputOptions, command: Command) => {
        await withModels(command, async (ctx) => {
          await ctx.registry.setAlias(name, to, version);
          printOutcome(opts, { name, alias: to, version }, `${name}@${to} -> version ${version}`);
        });
      },
    );
  alias
    .command('delete <name> <alias>')
    .description('Remove an alias')
    .option('--json', 'print JSON')
    .action(async (name: string, which: string, opts: OutputOptions, command: Command) => {
      await withModels(command, async (ctx) => {
        await ctx.registry.deleteAlias(name, which);
        printOutcome(opts, { name, alias: which, deleted: true }, `Deleted alias ${name}@${which}`);
      });
    });

  for (const [verb, past] of [
    ['archive', 'Archived'],
    ['restore', 'Restored'],
  ] as const) {
    cmd
      .command(`${verb} <name> <version>`)
      .description(
        verb === 'archive'
          ? 'Archive a version (it stays, out of latest)'
          : 'Restore an archived version',
      )
      .option('--json', 'print JSON')
      .action(async (name: string, version: string, opts: OutputOptions, command: Command) => {
        await withModels(command, async (ctx) => {
          const v =
            verb === 'archive'
              ? await ctx.registry.archiveModelVersion(name, version)
              : await ctx.registry.restoreModelVersion(name, version);
          printOutcome(opts, { model_version: v }, `${past} ${name} version ${version}`);
        });
      });
  }

  cmd
    .command('download <uri>')
    .description(
      'Write a verified package (MLmodel + files) of models:/name@alias or models:/name/3',
    )
    .requiredOption('--out <dir>', 'the directory to write into')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExample:\n  mlops models download models:/goog-lstm@champion --out ./champion',
    )
    .action(async (uri: string, opts: OutputOptions & { out: string }, command: Command) => {
      await withModels(command, async (ctx, app) => {
        const r = await app.downloadModel(ctx, uri, opts.out);
        printOutcome(
          opts,
          r,
          `Wrote ${r.name} version ${r.version} (${r.files.length} files) to ${r.out}`,
        );
      });
    });

  addPromoteCommand(cmd);
  return cmd;
}

import { type Command, InvalidArgumentError } from 'commander';
import { printJson, printOutcome, printTable } from '../output.js';
import { collect } from '../context.js';

// Only commander and the output helpers load with `mlops --help`; the app (and through it the
// data module and, for S3 remotes, the AWS SDK) loads when one of these commands runs.
const app = () => import('../../app/index.js');

const short = (hash: string) => hash.slice(0, 12);

/** `4.1 MB`: decimal units, one decimal place from kB up. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

interface ProgressLike {
  readonly direction: 'push' | 'fetch';
  readonly phase: 'check' | 'transfer';
  readonly done: number;
  readonly total: number;
  readonly bytes: number;
}

/**
 * Progress on stderr: on a terminal one line rewritten in place (at most 10 times a second);
 * with --progress and no terminal, a plain line at most once a second. Silent otherwise.
 */
function progressPrinter(asked: boolean | undefined) {
  const tty = process.stderr.isTTY === true;
  if (!tty && asked !== true) return { onProgress: undefined, end() {} };
  const interval = tty ? 100 : 1000;
  let last = 0;
  let shown = false;
  let pending: string | undefined;
  const write = (line: string) => {
    process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`);
    shown = true;
    pending = undefined;
  };
  return {
    onProgress(p: ProgressLike) {
      const verb = p.direction === 'push' ? 'pushed' : 'fetched';
      const line =
        p.phase === 'check'
          ? `checking ${p.direction === 'push' ? 'remote' : 'cache'}: ${p.done}/${p.total} blobs`
          : `${verb} ${p.done}/${p.total} blobs, ${formatBytes(p.bytes)}`;
      const now = Date.now();
      const final = p.phase === 'transfer' && p.done === p.total;
      if (final || now - last >= interval) {
        last = now;
        write(line);
      } else {
        pending = line;
      }
    },
    end() {
      if (pending !== undefined) write(pending);
      if (tty && shown) process.stderr.write('\n');
    },
  };
}

function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 256) {
    throw new InvalidArgumentError('expected an integer from 1 to 256.');
  }
  return n;
}

interface TransferFlags {
  remote?: string;
  jobs?: number;
  rev?: string[];
  allCommits?: boolean;
  progress?: boolean;
  json?: boolean;
}

interface TransferSummary {
  readonly remote: string;
  readonly location: string;
  readonly blobs: number;
  readonly bytes: number;
  readonly skipped: number;
}

function summary(verb: string, preposition: string, r: TransferSummary): string {
  return `${verb} ${r.blobs} blob${r.blobs === 1 ? '' : 's'} (${formatBytes(r.bytes)}) ${preposition} '${r.remote}' (${r.location}); ${r.skipped} already there.`;
}

function transferCommand(data: Command, name: 'push' | 'fetch' | 'pull'): Command {
  const descriptions = {
    push: 'Send the blobs of versioned data that the remote lacks (only missing chunks; resumable)',
    fetch:
      'Copy the blobs of versioned data from a remote into the local cache (workspace untouched)',
    pull: 'Fetch versioned data from a remote, then check it out into the workspace',
  } as const;
  const examples = {
    push: [
      'mlops data push',
      'mlops data push data/prices.csv --remote backup',
      'mlops data push --all-commits   # every committed version too',
      'mlops data push --json',
    ],
    fetch: [
      'mlops data fetch',
      'mlops data fetch data/images --remote origin',
      'mlops data fetch --rev v1.0   # then: mlops data checkout --rev v1.0',
    ],
    pull: [
      'mlops data pull',
      'mlops data pull data/prices.csv --remote origin',
      'mlops data pull --force   # overwrite local edits',
    ],
  } as const;
  return data
    .command(`${name} [path...]`)
    .description(descriptions[name])
    .option('-r, --remote <name>', 'the remote to use (default: MLOPS_REMOTE, else the default)')
    .option('-j, --jobs <n>', 'requests in flight at once (default 32)', parseJobs)
    .option(
      '--rev <rev>',
      'also the versions committed at this git revision (repeatable); pull checks out only the workspace',
      collect,
    )
    .option('--all-commits', 'also the versions every commit of every branch and tag names')
    .option('--progress', 'print progress lines on stderr even when it is not a terminal')
    .option('--json', 'print JSON')
    .addHelpText('after', `\nExamples:\n  ${examples[name].join('\n  ')}`);
}

function flagsOf(opts: TransferFlags, onProgress: unknown) {
  return {
    ...(opts.remote === undefined ? {} : { remote: opts.remote }),
    ...(opts.jobs === undefined ? {} : { jobs: opts.jobs }),
    ...(opts.rev === undefined ? {} : { revs: opts.rev }),
    ...(opts.allCommits === undefined ? {} : { allCommits: opts.allCommits }),
    ...(onProgress === undefined ? {} : { onProgress: onProgress as (p: ProgressLike) => void }),
  };
}

/** Runs a transfer job with progress on stderr, ended before anything goes to stdout. */
async function withProgress<R>(
  opts: TransferFlags,
  job: (flags: ReturnType<typeof flagsOf>) => Promise<R>,
): Promise<R> {
  const progress = progressPrinter(opts.progress);
  try {
    return await job(flagsOf(opts, progress.onProgress));
  } finally {
    progress.end();
  }
}

/** `mlops data remote ...`, `push`, `pull`, `fetch`, and `status --remote`, on the `data` group. */
export function registerRemoteCommands(data: Command): void {
  data.addHelpText(
    'after',
    '  mlops data remote add origin s3://my-bucket/mlops --default\n  mlops data push\n  mlops data pull data/prices.csv --remote origin',
  );
  registerRemoteGroup(data);

  for (const [name, verb, preposition] of [
    ['push', 'Pushed', 'to'],
    ['fetch', 'Fetched', 'from'],
  ] as const) {
    transferCommand(data, name).action(async (paths: string[], opts: TransferFlags) => {
      const { dataPushJob, dataFetchJob } = await app();
      const job = name === 'push' ? dataPushJob : dataFetchJob;
      const result = await withProgress(opts, (flags) => job(paths, flags));
      if (opts.json) return printJson(result);
      printTable(
        ['PATH', 'SHA256', 'SIZE', 'ACTION'],
        result.paths.map((p) => [
          p.rev === undefined ? p.path : `${p.path} @${p.rev}`,
          short(p.sha256),
          p.size,
          p.action,
        ]),
      );
      process.stdout.write(summary(verb, preposition, result) + '\n');
    });
  }

  transferCommand(data, 'pull')
    .option('-f, --force', 'overwrite workspace data that differs from its pointer')
    .action(async (paths: string[], opts: TransferFlags & { force?: boolean }) => {
      const { dataPullJob } = await app();
      const result = await withProgress(opts, (flags) =>
        dataPullJob(paths, {
          ...flags,
          ...(opts.force === undefined ? {} : { force: opts.force }),
        }),
      );
      if (opts.json) return printJson(result);
      printTable(
        ['PATH', 'SHA256', 'SIZE', 'ACTION'],
        result.checkout.map((e) => [e.path, short(e.sha256), e.size, e.action]),
      );
      process.stdout.write(summary('Fetched', 'from', result) + '\n');
    });

  extendStatus(data);
}

/** `mlops data status --remote [name]`: one more column, REMOTE (in-remote / not-in-remote). */
function extendStatus(data: Command): void {
  const status = data.commands.find((c) => c.name() === 'status');
  if (!status) return;
  status
    .option(
      '--remote [name]',
      "also say whether a remote holds each pointer's data (in-remote / not-in-remote); without a name, the default remote",
    )
    .addHelpText('after', '  mlops data status --remote origin')
    .action(async (paths: string[], opts: { json?: boolean; remote?: string | true }) => {
      const { dataStatusJob, dataStatusRemoteJob } = await app();
      if (opts.remote === undefined) {
        const entries = await dataStatusJob(paths);
        if (opts.json) return printJson(entries);
        printTable(
          ['PATH', 'STATUS', 'SHA256', 'SIZE', 'CACHED'],
          entries.map((e) => [e.path, e.status, short(e.sha256), e.size, e.cached ? 'yes' : 'no']),
        );
        return;
      }
      const entries = await dataStatusRemoteJob(
        paths,
        opts.remote === true ? {} : { remote: opts.remote },
      );
      if (opts.json) return printJson(entries);
      printTable(
        ['PATH', 'STATUS', 'SHA256', 'SIZE', 'CACHED', 'REMOTE'],
        entries.map((e) => [
          e.path,
          e.status,
          short(e.sha256),
          e.size,
          e.cached ? 'yes' : 'no',
          e.remote,
        ]),
      );
    });
}

interface RemoteFlags {
  url?: string;
  endpoint?: string;
  region?: string;
  profile?: string;
  default?: boolean;
  local?: boolean;
  json?: boolean;
}

function fileOf(local: boolean | undefined): string {
  return local ? '.mlops/config.local.yaml' : 'mlops.yaml';
}

/** Help for the flags `remote add` and `remote modify` share (modify's `''` removes a setting). */
const SETTING_HELP = {
  add: {
    endpoint: 'an S3-compatible server (MinIO, s3rver, ...): http(s)://host:port',
    region: 'the S3 signing region (default: AWS_REGION or the profile)',
    profile: 'the AWS profile holding the credentials (~/.aws)',
    default: 'make it the default remote for push, pull and fetch',
    local: 'write to .mlops/config.local.yaml (this machine only) instead of mlops.yaml',
  },
  modify: {
    endpoint: "an S3-compatible server ('' removes it)",
    region: "the S3 signing region ('' removes it)",
    profile: "the AWS profile ('' removes it)",
    default: 'make it the default remote',
    local: 'change .mlops/config.local.yaml (this machine only) instead of mlops.yaml',
  },
} as const;

function settingOptions(command: Command, verb: keyof typeof SETTING_HELP): Command {
  const help = SETTING_HELP[verb];
  command
    .option('--endpoint <url>', help.endpoint)
    .option('--region <region>', help.region)
    .option('--profile <name>', help.profile)
    .option('--default', help.default);
  if (verb === 'modify') command.option('--no-default', 'stop it being the default remote');
  return command.option('--local', help.local).option('--json', 'print JSON');
}

/** The settings flags given (absent ones left out, as the jobs expect). */
function settingsOf(opts: RemoteFlags) {
  return {
    ...(opts.endpoint === undefined ? {} : { endpoint: opts.endpoint }),
    ...(opts.region === undefined ? {} : { region: opts.region }),
    ...(opts.profile === undefined ? {} : { profile: opts.profile }),
    ...(opts.default === undefined ? {} : { default: opts.default }),
  };
}

function editOptionsOf(opts: { local?: boolean }) {
  return opts.local === undefined ? {} : { local: opts.local };
}

function registerRemoteGroup(data: Command): void {
  const remote = data
    .command('remote')
    .description(
      'Configure remotes (S3 buckets or directories) in mlops.yaml; credentials come only from the environment or an AWS profile',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  mlops data remote add origin s3://my-bucket/mlops --default\n  mlops data remote add minio s3://data/cache --endpoint http://127.0.0.1:9000\n  mlops data remote add backup /mnt/backup/mlops\n  mlops data remote list\n  mlops data remote modify origin --profile ml-team --local\n  mlops data remote remove backup',
    );

  settingOptions(
    remote
      .command('add <name> <url>')
      .description('Add a remote: s3://bucket/prefix, a local directory, or file:///dir'),
    'add',
  )
    .addHelpText(
      'after',
      '\nExamples:\n  mlops data remote add origin s3://my-bucket/datasets --default\n  mlops data remote add minio s3://data/cache --endpoint http://127.0.0.1:9000 --region us-east-1\n  mlops data remote add backup ../mlops-backup\n\nCredentials: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the environment, or --profile.',
    )
    .action(async (name: string, url: string, opts: RemoteFlags) => {
      const { dataRemoteAddJob } = await app();
      const added = await dataRemoteAddJob(name, { url, ...settingsOf(opts) }, editOptionsOf(opts));
      printOutcome(
        opts,
        added,
        `Added remote '${added.name}' (${added.url}) to ${fileOf(opts.local)}${added.isDefault ? ' as the default' : ''}.`,
      );
    });

  remote
    .command('list')
    .description('List the remotes (mlops.yaml with .mlops/config.local.yaml merged over it)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  mlops data remote list\n  mlops data remote list --json')
    .action(async (opts: { json?: boolean }) => {
      const { dataRemoteListJob } = await app();
      const config = await dataRemoteListJob();
      if (opts.json) return printJson(config);
      printTable(
        ['NAME', 'URL', 'ENDPOINT', 'REGION', 'PROFILE', 'DEFAULT', 'DEFINED IN'],
        config.remotes.map((r) => [
          r.name,
          r.url,
          r.endpoint,
          r.region,
          r.profile,
          r.isDefault ? 'yes' : '',
          r.definedIn,
        ]),
      );
    });

  settingOptions(
    remote
      .command('modify <name>')
      .description(
        "Change a remote's settings (an empty value removes --endpoint, --region or --profile)",
      )
      .option('--url <url>', 'a new URL'),
    'modify',
  )
    .addHelpText(
      'after',
      "\nExamples:\n  mlops data remote modify origin --default\n  mlops data remote modify origin --url s3://other-bucket/mlops\n  mlops data remote modify minio --endpoint http://127.0.0.1:9100 --local\n  mlops data remote modify origin --profile ''",
    )
    .action(async (name: string, opts: RemoteFlags) => {
      const { dataRemoteModifyJob } = await app();
      const changed = await dataRemoteModifyJob(
        name,
        { ...(opts.url === undefined ? {} : { url: opts.url }), ...settingsOf(opts) },
        editOptionsOf(opts),
      );
      printOutcome(
        opts,
        changed,
        `Modified remote '${changed.name}' in ${fileOf(opts.local)} (${changed.url}${changed.isDefault ? ', default' : ''}).`,
      );
    });

  remote
    .command('remove <name>')
    .description('Remove a remote from mlops.yaml (and its override in .mlops/config.local.yaml)')
    .option('--local', 'remove only the entry in .mlops/config.local.yaml')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  mlops data remote remove backup\n  mlops data remote remove minio --local',
    )
    .action(async (name: string, opts: { local?: boolean; json?: boolean }) => {
      const { dataRemoteRemoveJob } = await app();
      const removed = await dataRemoteRemoveJob(name, editOptionsOf(opts));
      printOutcome(opts, removed, `Removed remote '${removed.name}' (${removed.url}).`);
    });

  // main.ts makes the first two levels throw instead of exiting; these sit one level deeper.
  for (const leaf of remote.commands) leaf.exitOverride();
}

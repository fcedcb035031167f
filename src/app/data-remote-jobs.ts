import type {
  DataStatusEntry,
  NewRemote,
  PullResult,
  Remote,
  RemoteChanges,
  RemoteEditOptions,
  RemotesConfig,
  RemoteStore,
  TransferOptions,
  TransferResult,
} from '../data/index.js';
import { dataContext, type DataJobOptions } from './data-jobs.js';
import { findWorkspace } from './workspace.js';

// The data module (yaml, zod) loads only when a data command runs; the AWS SDK only when an S3
// remote is first contacted.
const data = () => import('../data/index.js');

async function configFiles(options: DataJobOptions) {
  const workspace = findWorkspace(options.cwd ?? process.cwd());
  return (await data()).remoteConfigFiles(workspace.root, workspace.stateDir);
}

/** `mlops data remote add <name> <url>`. */
export async function dataRemoteAddJob(
  name: string,
  settings: NewRemote,
  options: DataJobOptions & RemoteEditOptions = {},
): Promise<Remote> {
  return (await data()).addRemote(await configFiles(options), name, settings, options);
}

/** `mlops data remote list`: the merged remotes (local overrides over mlops.yaml). */
export async function dataRemoteListJob(options: DataJobOptions = {}): Promise<RemotesConfig> {
  return (await data()).loadRemotes(await configFiles(options));
}

/** `mlops data remote modify <name>`. */
export async function dataRemoteModifyJob(
  name: string,
  changes: RemoteChanges,
  options: DataJobOptions & RemoteEditOptions = {},
): Promise<Remote> {
  return (await data()).modifyRemote(await configFiles(options), name, changes, options);
}

/** `mlops data remote remove <name>`. */
export async function dataRemoteRemoveJob(
  name: string,
  options: DataJobOptions & RemoteEditOptions = {},
): Promise<Remote> {
  return (await data()).removeRemote(await configFiles(options), name, options);
}

export interface DataTransferJobOptions extends DataJobOptions, TransferOptions {
  /** A configured remote's name; default: MLOPS_REMOTE, else the default remote. */
  readonly remote?: string;
}

/** Opens the selected remote for the length of `fn`, then releases its connections. */
async function withRemote<R>(
  options: DataTransferJobOptions,
  mode: 'read' | 'write',
  fn: (remote: RemoteStore) => Promise<R>,
): Promise<R> {
  const mod = await data();
  const ctx = dataContext(options);
  const config = await mod.loadRemotes(mod.remoteConfigFiles(ctx.root, ctx.stateDir));
  const selected = mod.selectRemote(config, options.remote);
  const remote = await mod.openRemote(selected, {
    root: ctx.root,
    cacheLocation: ctx.blobs.location,
    mode,
  });
  try {
    return await fn(remote);
  } finally {
    await remote.close();
  }
}

function transferOptions(options: TransferOptions): TransferOptions {
  return {
    ...(options.jobs === undefined ? {} : { jobs: options.jobs }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.revs === undefined ? {} : { revs: options.revs }),
    ...(options.allCommits === undefined ? {} : { allCommits: options.allCommits }),
  };
}

/** `mlops data push [path...] [--remote <name>]`. */
export async function dataPushJob(
  paths: readonly string[],
  options: DataTransferJobOptions = {},
): Promise<TransferResult> {
  const mod = await data();
  return withRemote(options, 'write', (remote) =>
    mod.pushData(dataContext(options), remote, paths, transferOptions(options)),
  );
}

/** `mlops data fetch [path...] [--remote <name>]`: remote -> cache, workspace untouched. */
export async function dataFetchJob(
  paths: readonly string[],
  options: DataTransferJobOptions = {},
): Promise<TransferResult> {
  const mod = await data();
  return withRemote(options, 'read', (remote) =>
    mod.fetchData(dataContext(options), remote, paths, transferOptions(options)),
  );
}

/** `mlops data pull [path...] [--remote <name>] [--force]`: fetch, then checkout. */
export async function dataPullJob(
  paths: readonly string[],
  options: DataTransferJobOptions & { readonly force?: boolean } = {},
): Promise<PullResult> {
  const mod = await data();
  return withRemote(options, 'read', (remote) =>
    mod.pullData(dataContext(options), remote, paths, {
      ...transferOptions(options),
      ...(options.force === undefined ? {} : { force: options.force }),
    }),
  );
}

/** `mlops data status --remote <name>`: status plus whether the remote holds each pointer. */
export async function dataStatusRemoteJob(
  paths: readonly string[],
  options: DataJobOptions & { readonly remote?: string } = {},
): Promise<DataStatusEntry[]> {
  const mod = await data();
  return withRemote(options, 'read', (remote) =>
    mod.dataStatus(dataContext(options), paths, { remote }),
  );
}

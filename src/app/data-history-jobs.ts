import { existsSync } from 'node:fs';
import { collectGarbage, type GcReport } from '../blobs/index.js';
import type { DataDiff, DataLog, DataVerifyReport } from '../data/index.js';
import { connect } from './connect.js';
import { dataContext, type DataJobOptions } from './data-jobs.js';
import { gcRoots } from './gc-roots.js';
import { openBlobStore } from './open-blob-store.js';
import { TrackingClient } from '../tracking/index.js';
import { findWorkspace } from './workspace.js';

// The data module (yaml, zod, hashing) is loaded only when a data command runs.
const data = () => import('../data/index.js');

export interface DataHistoryJobOptions extends DataJobOptions {
  /** The tracking database (runs, lineage); default: MLOPS_TRACKING_URI, else the workspace's. */
  readonly trackingUri?: string;
  /** PostgreSQL: apply pending schema migrations on open. */
  readonly autoUpgrade?: boolean;
}

/**
 * `mlops data log <path>`: versions from git, and the runs that used each from lineage. With no
 * tracking URI and no workspace database yet, no run has been recorded: none is created to say so.
 */
export async function dataLogJob(
  path: string,
  options: DataHistoryJobOptions = {},
): Promise<DataLog> {
  const { dataLog, lineageRunLookup } = await data();
  const ctx = dataContext(options);
  const uri = options.trackingUri || process.env['MLOPS_TRACKING_URI'] || undefined;
  if (uri === undefined && !existsSync(findWorkspace(ctx.cwd).database)) {
    return dataLog(ctx, path);
  }
  const client = await connect(uri, {
    ...(ctx.cwd === undefined ? {} : { cwd: ctx.cwd }),
    autoUpgrade: options.autoUpgrade ?? false,
  });
  try {
    return await dataLog(ctx, path, { runsUsing: lineageRunLookup(client.lineage, ctx.root) });
  } finally {
    await client.close();
  }
}

/** `mlops data diff <rev-a> [<rev-b>]` (rev-b absent: the working-tree pointers). */
export async function dataDiffJob(
  revA: string,
  revB: string | undefined,
  options: DataJobOptions = {},
): Promise<DataDiff> {
  return (await data()).diffData(dataContext(options), revA, revB);
}

export interface DataGcOptions extends DataHistoryJobOptions {
  /** Git revisions whose committed pointers are kept too. */
  readonly revs?: readonly string[];
  /** Keep what any commit reachable from any ref names. */
  readonly allCommits?: boolean;
  /** Report what would be deleted; delete nothing. */
  readonly dryRun?: boolean;
}

export interface DataGcReport extends GcReport {
  /** The byte store swept. */
  readonly store: string;
}

/**
 * `mlops data gc`: mark and sweep over the whole byte store the tracking client uses (the
 * workspace's `.mlops/blobs` unless MLOPS_ARTIFACT_URI says otherwise), with the roots every
 * capability registers through `gcRoots` plus the pointers at the listed git revisions.
 */
export async function dataGcJob(options: DataGcOptions = {}): Promise<DataGcReport> {
  const cwd = options.cwd ?? process.cwd();
  const client = await connect(options.trackingUri || undefined, {
    cwd,
    autoUpgrade: options.autoUpgrade ?? false,
  });
  try {
    // With a tracking server, run artifacts live in the server's store (its operator collects
    // that one); here gc sweeps the workspace's own store, keeping what the server's runs name.
    const local = client.blobs.location.startsWith('http')
      ? new TrackingClient(
          client.store,
          openBlobStore(process.env['MLOPS_ARTIFACT_URI'], findWorkspace(cwd).blobs),
          client.lineage,
        )
      : client;
    const registry = gcRoots(local, {
      workspaceRoot: findWorkspace(cwd).root,
      revs: options.revs ?? [],
      allCommits: options.allCommits ?? false,
    });
    const report = await collectGarbage(local.blobs, registry, {
      dryRun: options.dryRun ?? false,
    });
    return { ...report, store: local.blobs.location };
  } finally {
    await client.close();
  }
}

/** `mlops data verify`: re-hash every blob and check each working-tree pointer's bytes. */
export async function dataVerifyJob(options: DataJobOptions = {}): Promise<DataVerifyReport> {
  return (await data()).verifyData(dataContext(options));
}

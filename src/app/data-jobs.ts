import type { AddedData, CheckoutEntry, DataContext, DataStatusEntry } from '../data/index.js';
import { openBlobStore } from './open-blob-store.js';
import { findWorkspace } from './workspace.js';

// The data module (yaml, zod, hashing) is loaded only when a data command runs.
const data = () => import('../data/index.js');

export interface DataJobOptions {
  /** Where relative paths start and the workspace is looked up from; default process.cwd(). */
  readonly cwd?: string;
}

/**
 * The data commands' context: the workspace holding `cwd` and the byte store run artifacts use
 * too (`MLOPS_ARTIFACT_URI`, else the workspace's `.mlops/blobs`).
 */
export function dataContext(options: DataJobOptions = {}): DataContext {
  const cwd = options.cwd ?? process.cwd();
  const workspace = findWorkspace(cwd);
  return {
    root: workspace.root,
    stateDir: workspace.stateDir,
    blobs: openBlobStore(process.env['MLOPS_ARTIFACT_URI'], workspace.blobs),
    cwd,
  };
}

/** `mlops data add <path...>`. */
export async function dataAddJob(
  paths: readonly string[],
  options: DataJobOptions = {},
): Promise<AddedData[]> {
  return (await data()).addData(dataContext(options), paths);
}

/** `mlops data status [path...]`. */
export async function dataStatusJob(
  paths: readonly string[],
  options: DataJobOptions = {},
): Promise<DataStatusEntry[]> {
  return (await data()).dataStatus(dataContext(options), paths);
}

/** `mlops data checkout [path...] [--rev <rev>]`. */
export async function dataCheckoutJob(
  paths: readonly string[],
  options: DataJobOptions & { readonly rev?: string } = {},
): Promise<CheckoutEntry[]> {
  const { rev, ...rest } = options;
  return (await data()).checkoutData(dataContext(rest), paths, rev === undefined ? {} : { rev });
}

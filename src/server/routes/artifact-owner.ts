import { MlopsError, invalidParam } from '../../core/index.js';
import { safeArtifactPath, type ArtifactRecord } from '../../tracking/index.js';
import type { ServerContext } from '../server-context.js';

/** Where a proxied artifact path points: a run's or a logged model's tree, and a path inside. */
export interface ArtifactTarget {
  readonly kind: 'run' | 'model';
  readonly ownerId: string;
  readonly experimentId: string;
  /** Canonical path inside the owner's artifact root ('' = the root). */
  readonly path: string;
}

const EXPERIMENT_ID = /^[a-zA-Z0-9][\w-]{0,63}$/;
const OWNER_ID = /^[a-zA-Z0-9][\w-]{0,255}$/;

/**
 * Parses `<experiment>/<run_id>/artifacts/<path>` or `<experiment>/models/<model_id>/artifacts/<path>`
 * (the path part of `mlflow-artifacts:/` URIs the server hands out). Anything else, and any path
 * that could leave the owner's root after any amount of percent-decoding, is refused; the owner
 * must exist in that experiment. Nothing here touches the file system: files live in the byte
 * store, found by their records.
 */
export async function resolveArtifactTarget(
  ctx: ServerContext,
  rawPath: string,
): Promise<ArtifactTarget> {
  const canonical = safeArtifactPath(rawPath);
  const parts = canonical.split('/');
  const isModel = parts[1] === 'models';
  const [experimentId, ownerId, marker] = isModel ? [parts[0], parts[2], parts[3]] : parts;
  // Checked again on its own: a drive letter or '~' is harmless mid-path but not as the start of
  // the path inside the run, which is what clients write to on download.
  const rest = safeArtifactPath(parts.slice(isModel ? 4 : 3).join('/'));
  if (
    experimentId === undefined ||
    ownerId === undefined ||
    marker !== 'artifacts' ||
    !EXPERIMENT_ID.test(experimentId) ||
    !OWNER_ID.test(ownerId)
  ) {
    throw invalidParam(
      `Invalid artifact path '${rawPath}': expected <experiment_id>/<run_id>/artifacts/<path> or <experiment_id>/models/<model_id>/artifacts/<path>, as in the run's artifact_uri.`,
    );
  }
  const actualExperiment = isModel
    ? (await ctx.loggedModels.get(ownerId)).experimentId
    : (await ctx.store.getRun(ownerId)).info.experimentId;
  if (actualExperiment !== experimentId) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `No ${isModel ? 'logged model' : 'run'} '${ownerId}' in experiment ${experimentId}.`,
    );
  }
  return { kind: isModel ? 'model' : 'run', ownerId, experimentId, path: rest };
}

export function recordsOf(
  ctx: ServerContext,
  target: ArtifactTarget,
  prefix = target.path,
): Promise<readonly ArtifactRecord[]> {
  return target.kind === 'model'
    ? ctx.loggedModels.listArtifactRecords(target.ownerId, prefix)
    : ctx.store.listArtifactRecords(target.ownerId, prefix);
}

export function recordFor(
  ctx: ServerContext,
  target: ArtifactTarget,
  record: ArtifactRecord,
): Promise<void> {
  return target.kind === 'model'
    ? ctx.loggedModels.recordArtifacts(target.ownerId, [record])
    : ctx.store.recordArtifacts(target.ownerId, [record]);
}

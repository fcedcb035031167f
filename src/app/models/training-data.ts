import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { materializeFile, readManifest, storeBytes, type BlobStore } from '../../blobs/index.js';
import { MlopsError } from '../../core/index.js';
import { findWorkspace, workspacePaths } from '../workspace.js';

/** The dataset version a run trained on, as a local file to read and its stored manifest. */
export interface TrainingData {
  /** A file holding exactly the version's bytes (the workspace file, or a temp copy). */
  readonly path: string;
  /** The version's manifest in the byte store (a gc root once a package names it). */
  readonly manifestId: string;
  /** Removes the temp copy, if one was made. */
  release(): Promise<void>;
}

async function sha256Of(path: string): Promise<{ sha: string; bytes: Buffer } | undefined> {
  try {
    const bytes = await readFile(path);
    return { sha: createHash('sha256').update(bytes).digest('hex'), bytes };
  } catch {
    return undefined;
  }
}

/**
 * Finds version `sha256` of the data file `source` a run recorded: the file itself when its
 * bytes still hash to it (stored once more, which writes nothing new for versioned data), else
 * that version among `known` manifests (e.g. the datasets of packages registered from the same
 * run) or among the file's data versions (`mlops data log`) in the byte store. Fails with a
 * message saying what changed and how to get the version back.
 */
export async function findTrainingData(
  blobs: BlobStore,
  source: string,
  sha256: string,
  cwd = process.cwd(),
  known: readonly string[] = [],
): Promise<TrainingData> {
  const root = findWorkspace(cwd).root;
  const candidates = [...new Set([resolve(cwd, source), resolve(root, source)])];
  let current: string | undefined;
  for (const path of candidates) {
    const found = await sha256Of(path);
    if (!found) continue;
    if (found.sha === sha256) {
      const stored = await storeBytes(blobs, found.bytes);
      return { path, manifestId: stored.manifestId, release: async () => {} };
    }
    current ??= found.sha;
  }
  const manifest =
    (await knownManifest(blobs, known, sha256)) ??
    (await versionManifest(blobs, root, cwd, source, sha256));
  if (manifest) {
    const dir = await mkdtemp(join(tmpdir(), 'mlops-training-data-'));
    const path = join(dir, 'data.csv');
    await materializeFile(blobs, manifest, path);
    return { path, manifestId: manifest, release: () => rm(dir, { recursive: true, force: true }) };
  }
  const now = current === undefined ? 'is missing' : `now has sha256 ${current}`;
  throw new MlopsError(
    'RESOURCE_DOES_NOT_EXIST',
    `The run trained on ${source} with sha256 ${sha256}, but ${source} ${now} and no data version with that sha256 is in the byte store at ${blobs.location}. Restore that version (\`mlops data log ${source}\`, then \`mlops data checkout --rev <commit> ${source}\`, or \`mlops data pull\`) and register again.`,
    { details: { source, sha256 } },
  );
}

/** The manifest of version `sha256` of `source` among its data versions, when stored here. */
async function versionManifest(
  blobs: BlobStore,
  root: string,
  cwd: string,
  source: string,
  sha256: string,
): Promise<string | undefined> {
  try {
    const { dataLog } = await import('../../data/index.js');
    const log = await dataLog(
      { root, stateDir: workspacePaths(root).stateDir, blobs, cwd },
      source,
    );
    const version = log.versions.find((v) => v.sha256 === sha256 && v.manifest !== null);
    if (version?.manifest && (await blobs.has(version.manifest))) return version.manifest;
  } catch {
    // Not versioned data, or no git history: nothing to find; the caller explains.
  }
  return undefined;
}

/** The first of `known` that is a stored file with whole-file sha256 `sha256`. */
async function knownManifest(
  blobs: BlobStore,
  known: readonly string[],
  sha256: string,
): Promise<string | undefined> {
  for (const id of known) {
    const manifest = await readManifest(blobs, id).catch(() => undefined);
    if (manifest?.sha256 === sha256) return id;
  }
  return undefined;
}

import { mkdir, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { invalidParam, MlopsError } from '../core/index.js';
import { materializeFile, storeFile, type BlobStore } from '../blobs/index.js';
import type { ArtifactRecord, FileInfo } from './entities.js';
import { safeArtifactPath } from './artifact-path.js';
import type { TrackingStore } from './tracking-store.js';

/** What artifact operations need: metadata in the tracking store, bytes in the one byte store. */
export interface ArtifactContext {
  readonly store: TrackingStore;
  readonly blobs: BlobStore;
}

/**
 * Stores a file or a directory (recursively) under `artifactPath/<its name>` of the run, as
 * MLflow's `log_artifact` does. Bytes go to the byte store once, whoever else stores them.
 */
export async function logArtifact(
  ctx: ArtifactContext,
  runId: string,
  localPath: string,
  artifactPath = '',
): Promise<ArtifactRecord[]> {
  const dest = joinArtifact(safeArtifactPath(artifactPath), basename(resolve(localPath)));
  return logTree(ctx, runId, localPath, dest);
}

/** Stores the contents of directory `localDir` directly under `artifactPath` (MLflow's `log_artifacts`). */
export async function logArtifacts(
  ctx: ArtifactContext,
  runId: string,
  localDir: string,
  artifactPath = '',
): Promise<ArtifactRecord[]> {
  return logTree(ctx, runId, localDir, safeArtifactPath(artifactPath));
}

async function logTree(
  ctx: ArtifactContext,
  runId: string,
  localPath: string,
  dest: string,
): Promise<ArtifactRecord[]> {
  await ctx.store.getRun(runId); // fail before storing bytes for an unknown run
  const files = await collectFiles(localPath, dest);
  const records: ArtifactRecord[] = [];
  for (const file of files) {
    const stored = await storeFile(ctx.blobs, file.source, { flush: false });
    records.push({ path: file.path, manifestId: stored.manifestId, size: stored.size });
  }
  await ctx.blobs.flush(); // the bytes are durable before any record names them
  await ctx.store.recordArtifacts(runId, records);
  return records;
}

async function collectFiles(
  localPath: string,
  dest: string,
): Promise<{ source: string; path: string }[]> {
  const stat = await statOrThrow(localPath);
  if (stat.isFile()) {
    if (dest === '')
      throw invalidParam(`Cannot store file ${localPath} as the artifact root itself.`);
    return [{ source: localPath, path: dest }];
  }
  if (!stat.isDirectory()) throw invalidParam(`${localPath} is neither a file nor a directory.`);
  const out: { source: string; path: string }[] = [];
  for (const entry of await readdir(localPath, { withFileTypes: true, recursive: true })) {
    const full = join(entry.parentPath, entry.name);
    if (entry.isSymbolicLink()) {
      throw invalidParam(
        `Refusing to log symlink ${full}: artifacts must be regular files inside the logged directory.`,
        { path: full },
      );
    }
    if (!entry.isFile()) continue;
    const rel = relative(localPath, full).split(sep).join('/');
    out.push({ source: full, path: joinArtifact(dest, safeArtifactPath(rel)) });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** The direct children of `path` in the run's artifact tree (directories derived from file paths). */
export async function listArtifacts(
  store: TrackingStore,
  runId: string,
  path = '',
): Promise<FileInfo[]> {
  const prefix = safeArtifactPath(path);
  return artifactChildren(await store.listArtifactRecords(runId, prefix), prefix);
}

/**
 * The direct children of `prefix` among `records` (all under it), directories derived from the
 * file paths; a file has no children (MLflow answers the same).
 */
export function artifactChildren(records: readonly ArtifactRecord[], prefix: string): FileInfo[] {
  const children = new Map<string, FileInfo>();
  for (const record of records) {
    if (record.path === prefix) return [];
    const rest = prefix === '' ? record.path : record.path.slice(prefix.length + 1);
    const [head, ...tail] = rest.split('/');
    const childPath = joinArtifact(prefix, head ?? '');
    if (tail.length > 0) children.set(childPath, { path: childPath, isDir: true });
    else children.set(childPath, { path: childPath, isDir: false, fileSize: record.size });
  }
  return [...children.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/**
 * Copies the artifact file or directory at `path` into `destDir` (keeping its relative layout)
 * and returns the local path of what was downloaded.
 */
export async function downloadArtifacts(
  ctx: ArtifactContext,
  runId: string,
  path: string,
  destDir: string,
): Promise<string> {
  const prefix = safeArtifactPath(path);
  const records = await ctx.store.listArtifactRecords(runId, prefix);
  if (records.length === 0) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `No artifact '${prefix}' in run ${runId}. See \`mlops artifacts list ${runId}\`.`,
    );
  }
  await mkdir(resolve(destDir), { recursive: true });
  const root = await realpath(resolve(destDir));
  for (const record of records) {
    const target = resolve(root, ...record.path.split('/'));
    // Resolve links already in the destination: a symlinked folder must not carry a write outside.
    await mkdir(dirname(target), { recursive: true });
    const parent = await realpath(dirname(target));
    if (parent !== root && !parent.startsWith(root + sep)) {
      throw invalidParam(
        `Refusing to write artifact '${record.path}': ${dirname(target)} leads outside ${root} through a symlink.`,
      );
    }
    await materializeFile(ctx.blobs, record.manifestId, join(parent, basename(target)));
  }
  return prefix === '' ? root : resolve(root, ...prefix.split('/'));
}

function joinArtifact(a: string, b: string): string {
  return a === '' ? b : b === '' ? a : `${a}/${b}`;
}

async function statOrThrow(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    throw invalidParam(
      `Cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? String(err)}.`,
    );
  }
}

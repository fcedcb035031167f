import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MlopsError, invalidParam } from '../../core/index.js';
import { EMPTY_LOCK, LOCK_FILE, parseLockFile, type LockFile } from '../lock/index.js';

/** The revision name for the files as they are now (not a git revision). */
export const WORKSPACE = 'workspace';

/** Reads a stored file by its manifest id (the app layer builds one on the byte store). */
export type ReadStored = (manifest: string) => Promise<Buffer>;

/** A revision as the user named it, and the commit it resolved to (null: the working tree). */
export interface RevisionRef {
  readonly rev: string;
  readonly commit: string | null;
}

/** The workspace's files at one revision: the working tree or a git commit. */
export interface Revision extends RevisionRef {
  /** The bytes of workspace-relative `path`; undefined when absent at this revision. */
  read(path: string): Promise<Buffer | undefined>;
}

/**
 * Opens `rev` of the workspace at `root`: `workspace` reads the working tree, anything else is
 * resolved by git (`RESOURCE_DOES_NOT_EXIST` naming it when git knows no such commit). `HEAD` in
 * a repository without commits is an empty revision, as in a fresh project.
 */
export async function openRevision(root: string, rev: string): Promise<Revision> {
  if (rev === WORKSPACE) return { rev, commit: null, read: (path) => readWorkingFile(root, path) };
  if (rev === '' || rev.startsWith('-') || /[\0\n\r]/.test(rev)) {
    throw invalidParam(`'${rev}' is not a git revision (e.g. HEAD~1, a tag, a commit id).`);
  }
  const prefix = await runGit(root, ['rev-parse', '--show-prefix']);
  if (prefix.code !== 0) {
    throw new MlopsError(
      'INVALID_STATE',
      `Revision '${rev}' is read from git, but ${root} is not in a git repository (${firstLine(prefix.stderr)}). Compare with the working tree only, or run \`git init\` and commit.`,
    );
  }
  const resolved = await runGit(root, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
  if (resolved.code !== 0) {
    if (rev === 'HEAD') return { rev, commit: null, read: () => Promise.resolve(undefined) };
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `Unknown revision '${rev}': git has no commit by that name. Use a branch, a tag, a commit id or HEAD~N (see \`git log --oneline\`).`,
      { details: { rev } },
    );
  }
  const commit = resolved.stdout.toString('utf8').trim();
  const base = prefix.stdout.toString('utf8').trim();
  return { rev, commit, read: (path) => readCommittedFile(root, `${commit}:${base}${path}`) };
}

/** `mlops.lock` at the revision (an empty lock when it has none). */
export async function readLockAt(revision: Revision): Promise<LockFile> {
  const bytes = await revision.read(LOCK_FILE);
  if (bytes === undefined) return EMPTY_LOCK;
  const shown = revision.commit === null ? LOCK_FILE : `${revision.rev}:${LOCK_FILE}`;
  return parseLockFile(bytes.toString('utf8'), shown);
}

/**
 * A metric or plot file at the revision: from the working tree or git, else (at a commit, for a
 * cached out that git does not hold) from the byte store by the lock's manifest id.
 */
export async function readOutAt(
  revision: Revision,
  path: string,
  manifest: string | undefined,
  readStored: ReadStored | undefined,
): Promise<Buffer | undefined> {
  const bytes = await revision.read(path);
  if (bytes !== undefined || revision.commit === null) return bytes;
  if (manifest === undefined || readStored === undefined) return undefined;
  try {
    return await readStored(manifest);
  } catch (err) {
    if (MlopsError.is(err) && err.code === 'BLOB_NOT_FOUND') return undefined;
    throw err;
  }
}

/** `rev (abc123def456)`, or the bare name for the working tree. */
export function revisionLabel(ref: RevisionRef): string {
  return ref.commit === null ? ref.rev : `${ref.rev} (${ref.commit.slice(0, 12)})`;
}

async function readWorkingFile(root: string, path: string): Promise<Buffer | undefined> {
  try {
    return await readFile(join(root, path));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR') return undefined;
    throw new MlopsError('IO_ERROR', `Cannot read ${path}: ${(err as Error).message}.`, {
      cause: err,
    });
  }
}

async function readCommittedFile(root: string, spec: string): Promise<Buffer | undefined> {
  const result = await runGit(root, ['cat-file', 'blob', spec]);
  // The commit exists, so a failure means the path is absent there (or is a directory).
  return result.code === 0 ? result.stdout : undefined;
}

interface GitOutput {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number;
}

function runGit(cwd: string, args: readonly string[]): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--no-pager', ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new MlopsError(
              'INVALID_STATE',
              'Comparing revisions needs git, which is not installed.',
            )
          : new MlopsError('IO_ERROR', `Cannot run git: ${err.message}`, { cause: err }),
      ),
    );
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr, code: code ?? -1 }));
  });
}

function firstLine(text: string): string {
  return text.trim().split('\n')[0] ?? '';
}

/**
 * The commits, reachable from any ref, that changed `mlops.lock` (each version of the lock is
 * introduced by one of them); none outside git.
 */
export async function lockCommits(root: string): Promise<string[]> {
  const out = await runGit(root, ['rev-list', '--all', '--', LOCK_FILE]);
  if (out.code !== 0) return [];
  return out.stdout.toString('utf8').split('\n').filter(Boolean);
}

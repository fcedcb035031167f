import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { MlopsError, invalidParam } from '../core/index.js';
import { POINTER_SUFFIX } from './pointer.js';

const run = promisify(execFile);

/** Runs git in `cwd`; failures become errors that say what to do. */
async function git(cwd: string, args: readonly string[], what: string): Promise<string> {
  try {
    const { stdout } = await run('git', [...args], { cwd, maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (err) {
    const e = err as { code?: unknown; stderr?: string };
    if (e.code === 'ENOENT') {
      throw new MlopsError('INVALID_STATE', `--rev needs git, which is not installed.`, {
        cause: err,
      });
    }
    const stderr = (e.stderr ?? '').trim();
    if (/not a git repository/i.test(stderr)) {
      throw new MlopsError(
        'INVALID_STATE',
        `--rev reads pointers from git, but ${cwd} is not in a git repository.`,
        { cause: err },
      );
    }
    if (/does not exist in|exists on disk, but not in/i.test(stderr)) {
      throw new MlopsError('RESOURCE_DOES_NOT_EXIST', `${what} is not in that revision.`, {
        cause: err,
      });
    }
    if (/invalid object name|unknown revision|bad revision|not a valid object name/i.test(stderr)) {
      throw invalidParam(`${what}: git does not know that revision (${firstLine(stderr)}).`);
    }
    throw new MlopsError('IO_ERROR', `git failed reading ${what}: ${firstLine(stderr)}`, {
      cause: err,
    });
  }
}

function checkRev(rev: string): void {
  if (rev === '' || rev.startsWith('-') || /[\0\n:]/.test(rev)) {
    throw invalidParam(`--rev '${rev}' is not a git revision (e.g. HEAD~1, a tag, a commit id).`);
  }
}

/** The text of pointer `<rel>.mlops` at git revision `rev` (`git show rev:./rel.mlops`). */
export async function showPointerAtRev(root: string, rev: string, rel: string): Promise<string> {
  checkRev(rev);
  const pointer = `${rel}${POINTER_SUFFIX}`;
  return git(root, ['show', `${rev}:./${pointer}`], `Pointer ${pointer} at ${rev}`);
}

/** Workspace-relative data paths of every pointer committed under `root` at `rev`. */
export async function pointersAtRev(root: string, rev: string): Promise<string[]> {
  checkRev(rev);
  const out = await git(
    root,
    ['ls-tree', '-r', '-z', '--name-only', rev, '--', '.'],
    `Revision ${rev}`,
  );
  return out
    .split('\0')
    .filter((p) => p.endsWith(POINTER_SUFFIX) && !p.split('/').some((s) => s === '.mlops'))
    .map((p) => p.slice(0, -POINTER_SUFFIX.length))
    .sort();
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

import { spawn } from 'node:child_process';
import { MlopsError, invalidParam } from '../../core/index.js';
import { POINTER_SUFFIX } from '../pointer.js';

/** What git printed, and how it ended. */
interface GitOutput {
  readonly stdout: Buffer;
  readonly stderr: string;
  readonly code: number;
}

/** Runs git in `cwd` (literal pathspecs, no pager), feeding `input` to its stdin. */
function spawnGit(cwd: string, args: readonly string[], input?: string): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', ['--literal-pathspecs', '--no-pager', ...args], {
      cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
    });
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr, code: code ?? -1 }));
    child.stdin.on('error', () => undefined); // git exited early; its stderr says why
    child.stdin.end(input ?? '');
  });
}

/** git's stdout; a failure becomes an MlopsError that says what to do (`what` names the read). */
export async function git(
  cwd: string,
  args: readonly string[],
  what: string,
  input?: string,
): Promise<Buffer> {
  let result: GitOutput;
  try {
    result = await spawnGit(cwd, args, input);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') {
      throw new MlopsError('INVALID_STATE', `${what} needs git, which is not installed.`, {
        cause: err,
      });
    }
    throw new MlopsError('IO_ERROR', `Cannot run git for ${what}: ${String(err)}`, { cause: err });
  }
  if (result.code === 0) return result.stdout;
  const stderr = result.stderr.trim();
  if (/not a git repository/i.test(stderr)) {
    throw new MlopsError(
      'INVALID_STATE',
      `${what} reads git history, but ${cwd} is not in a git repository.`,
    );
  }
  if (
    /unknown revision|bad revision|invalid object name|not a valid object name|needed a single revision|ambiguous argument/i.test(
      stderr,
    )
  ) {
    throw invalidParam(`${what}: git does not know that revision (${firstLine(stderr)}).`);
  }
  throw new MlopsError('IO_ERROR', `git failed for ${what}: ${firstLine(stderr)}`);
}

/** Where the workspace sits in git: its path inside the repository (`''` at the top, else `a/b/`). */
export interface GitWorkspace {
  readonly prefix: string;
  /** False in a repository without commits yet. */
  readonly hasHead: boolean;
}

/** The git repository holding `root`, or the reason there is none (git missing, not a repo). */
export async function gitWorkspace(root: string): Promise<GitWorkspace | { reason: string }> {
  let result: GitOutput;
  try {
    result = await spawnGit(root, ['rev-parse', '--show-prefix']);
  } catch (err) {
    if ((err as { code?: unknown }).code === 'ENOENT') return { reason: 'git is not installed' };
    throw err;
  }
  if (result.code !== 0) {
    if (/not a git repository/i.test(result.stderr)) {
      return { reason: `${root} is not in a git repository` };
    }
    throw new MlopsError('IO_ERROR', `git failed in ${root}: ${firstLine(result.stderr.trim())}`);
  }
  const prefix = result.stdout.toString('utf8').trim();
  const head = await spawnGit(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  return { prefix, hasHead: head.code === 0 };
}

/** Like `gitWorkspace`, but not being in a repository is `INVALID_STATE` naming `what`. */
export async function requireGitWorkspace(root: string, what: string): Promise<GitWorkspace> {
  const ws = await gitWorkspace(root);
  if ('reason' in ws) {
    throw new MlopsError('INVALID_STATE', `${what} reads git history, but ${ws.reason}.`);
  }
  return ws;
}

/** Refuses text that git would read as an option or that cannot name a revision. */
export function checkRev(rev: string): void {
  if (rev === '' || rev.startsWith('-') || /[\0\n\r]/.test(rev)) {
    throw invalidParam(`'${rev}' is not a git revision (e.g. HEAD~1, a tag, a commit id).`);
  }
}

/** The full commit id `rev` names. */
export async function resolveCommit(root: string, rev: string): Promise<string> {
  checkRev(rev);
  const out = await git(root, ['rev-parse', '--verify', `${rev}^{commit}`], `Revision '${rev}'`);
  return out.toString('utf8').trim();
}

/** One commit that changed a path. */
export interface PathCommit {
  readonly commit: string;
  /** Author date, ISO 8601 with the author's offset. */
  readonly date: string;
  readonly author: string;
  readonly subject: string;
}

/** Commits reachable from HEAD that changed `pathspec` (relative to `root`), newest first. */
export async function commitsTouching(root: string, pathspec: string): Promise<PathCommit[]> {
  const out = await git(
    root,
    ['log', '-z', '--no-renames', '--format=%H%x1f%aI%x1f%an <%ae>%x1f%s', 'HEAD', '--', pathspec],
    `The history of ${pathspec}`,
  );
  return parseLogRecords(out.toString('utf8'));
}

/** Parses `git log -z --format=%H%x1f%aI%x1f%an <%ae>%x1f%s` output. */
export function parseLogRecords(text: string): PathCommit[] {
  const out: PathCommit[] = [];
  for (const record of text.split('\0')) {
    const trimmed = record.replace(/^\n+/, '');
    if (trimmed === '') continue;
    const [commit = '', date = '', author = '', ...subject] = trimmed.split('\x1f');
    out.push({ commit, date, author, subject: subject.join('\x1f').trimEnd() });
  }
  return out;
}

/** A pointer file committed in a tree: its data path (workspace-relative) and git blob id. */
export interface CommittedPointer {
  readonly path: string;
  readonly blob: string;
}

/** Every pointer file in the workspace part of `commit`'s tree, sorted by path. */
export async function pointerBlobsAt(
  root: string,
  prefix: string,
  commit: string,
): Promise<CommittedPointer[]> {
  const out = await git(
    root,
    ['ls-tree', '-r', '-z', '--full-name', commit, '--', '.'],
    `Revision ${commit}`,
  );
  return parseLsTree(out.toString('utf8'), prefix);
}

/** Parses `git ls-tree -r -z --full-name` output, keeping pointer files under `prefix`. */
export function parseLsTree(text: string, prefix: string): CommittedPointer[] {
  const out: CommittedPointer[] = [];
  for (const record of text.split('\0')) {
    const tab = record.indexOf('\t');
    if (tab < 0) continue;
    const [, type, blob] = record.slice(0, tab).split(' ');
    const path = pointerPath(record.slice(tab + 1), prefix);
    if (type === 'blob' && blob !== undefined && path !== undefined) out.push({ path, blob });
  }
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * The git blob ids of every version of every pointer file under the workspace in any commit
 * reachable from any ref: the new side of each change `git log --all -m --root --raw` lists.
 * (A version unchanged from a parent is listed where that parent's line introduced it.)
 */
export async function pointerBlobsInAllCommits(
  root: string,
  prefix: string,
): Promise<CommittedPointer[]> {
  const out = await git(
    root,
    [
      'log',
      '--all',
      '-m',
      '--root',
      '--raw',
      '--no-renames',
      '--no-abbrev',
      '-z',
      '--format=%x01%H',
      '--',
      '.',
    ],
    'gc --all-commits',
  );
  return parseRawLog(out.toString('utf8'), prefix);
}

/** Parses `git log --raw -z` output into the pointer blobs its changes add (one per blob). */
export function parseRawLog(text: string, prefix: string): CommittedPointer[] {
  const tokens = text.split('\0');
  const seen = new Map<string, CommittedPointer>();
  for (let i = 0; i < tokens.length; i++) {
    const token = (tokens[i] ?? '').replace(/^\n+/, '');
    if (!token.startsWith(':')) continue;
    const fields = token.slice(1).split(' ');
    const blob = fields[3] ?? '';
    const status = fields[4] ?? '';
    const path = pointerPath(tokens[++i] ?? '', prefix);
    if (status.startsWith('D') || /^0+$/.test(blob) || path === undefined) continue;
    if (!seen.has(blob)) seen.set(blob, { path, blob });
  }
  return [...seen.values()];
}

/** The workspace-relative data path of repo path `full` when it is a pointer under `prefix`. */
function pointerPath(full: string, prefix: string): string | undefined {
  if (!full.startsWith(prefix) || !full.endsWith(POINTER_SUFFIX)) return undefined;
  const rel = full.slice(prefix.length);
  const name = rel.split('/').pop() ?? '';
  if (name === POINTER_SUFFIX || rel.split('/').slice(0, -1).includes('.mlops')) return undefined;
  return rel.slice(0, -POINTER_SUFFIX.length);
}

/**
 * The contents of git objects (`<blob id>` or `<commit>:<repo path>`) in one `git cat-file
 * --batch`; undefined for an object that does not exist (a path absent at that commit).
 */
export async function readObjects(
  root: string,
  specs: readonly string[],
): Promise<(Buffer | undefined)[]> {
  if (specs.length === 0) return [];
  for (const spec of specs) {
    if (/[\n\r]/.test(spec)) throw invalidParam(`Cannot read ${JSON.stringify(spec)} from git.`);
  }
  const out = await git(
    root,
    ['cat-file', '--batch'],
    'Reading pointers from git',
    specs.map((s) => `${s}\n`).join(''),
  );
  return parseCatFileBatch(out, specs.length);
}

/** Parses `git cat-file --batch` output for `count` requests. */
export function parseCatFileBatch(out: Buffer, count: number): (Buffer | undefined)[] {
  const objects: (Buffer | undefined)[] = [];
  let at = 0;
  for (let n = 0; n < count; n++) {
    const eol = out.indexOf(0x0a, at);
    if (eol < 0) throw new MlopsError('IO_ERROR', 'git cat-file --batch ended early.');
    const header = out.subarray(at, eol).toString('utf8');
    at = eol + 1;
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) {
      objects.push(undefined); // `<spec> missing` or `<spec> ambiguous`
      continue;
    }
    const size = Number(match[2]);
    objects.push(match[1] === 'blob' ? out.subarray(at, at + size) : undefined);
    at += size + 1;
  }
  return objects;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

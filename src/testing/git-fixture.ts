import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A fixed author and no system config, so commits work on any machine. */
const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** Runs `git args...` in `cwd` as the test author; returns what it printed. */
export function runGit(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' });
}

/** A temporary git repository for tests (the workspace may sit in a subdirectory of it). */
export interface GitFixture {
  /** The workspace root. */
  readonly root: string;
  write(files: Record<string, string>): Promise<void>;
  remove(path: string): Promise<void>;
  commit(message: string): void;
  dispose(): Promise<void>;
}

export interface GitFixtureOptions {
  /** Where the workspace sits in the repository (default: its top). */
  readonly subdir?: string;
  /** Files (workspace paths) to write and commit as `v1` before returning. */
  readonly committed?: Record<string, string>;
}

/** A fresh repository in a temporary directory. */
export async function gitFixture(options: GitFixtureOptions = {}): Promise<GitFixture> {
  const repo = await mkdtemp(join(tmpdir(), 'mlops-git-'));
  const root = join(repo, options.subdir ?? '');
  runGit(repo, 'init', '-q');
  await mkdir(root, { recursive: true });
  const fixture: GitFixture = {
    root,
    async write(files) {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), text);
      }
    },
    remove: (path) => rm(join(root, path), { force: true }),
    commit(message) {
      runGit(repo, 'add', '-A');
      runGit(repo, 'commit', '-q', '--allow-empty', '-m', message);
    },
    dispose: () => rm(repo, { recursive: true, force: true }),
  };
  if (options.committed !== undefined) {
    await fixture.write(options.committed);
    fixture.commit('v1');
  }
  return fixture;
}

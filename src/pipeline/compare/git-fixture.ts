import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { stringify } from 'yaml';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Ada',
  GIT_AUTHOR_EMAIL: 'ada@example.com',
  GIT_COMMITTER_NAME: 'Ada',
  GIT_COMMITTER_EMAIL: 'ada@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

/** A stage entry for `lockText`: only what comparing reads. */
export interface FixtureStage {
  readonly params?: Record<string, Record<string, unknown>>;
  readonly outs?: readonly { path: string; kind?: 'metric' | 'plot'; manifest?: string }[];
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

export async function gitFixture(subdir = ''): Promise<GitFixture> {
  const repo = await mkdtemp(join(tmpdir(), 'mlops-compare-'));
  const root = join(repo, subdir);
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: GIT_ENV });
  git('init', '-q');
  await mkdir(root, { recursive: true });
  return {
    root,
    async write(files) {
      for (const [path, text] of Object.entries(files)) {
        await mkdir(dirname(join(root, path)), { recursive: true });
        await writeFile(join(root, path), text);
      }
    },
    remove: (path) => rm(join(root, path), { force: true }),
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
    },
    dispose: () => rm(repo, { recursive: true, force: true }),
  };
}

/** `mlops.lock` text with the given stages (hashes are placeholders). */
export function lockText(stages: Record<string, FixtureStage>): string {
  const sha = 'a'.repeat(64);
  const entries = Object.entries(stages).map(([name, s]) => [
    name,
    {
      cmd: ['true'],
      deps: [],
      params: s.params ?? {},
      outs: (s.outs ?? []).map((o) => ({ sha256: sha, size: 1, ...o })),
    },
  ]);
  return stringify({ schema: '1', stages: Object.fromEntries(entries) });
}

import { execFile } from 'node:child_process';

export interface GitInfo {
  readonly commit: string;
  readonly branch?: string;
  readonly repoUrl?: string;
}

/** The commit (and branch, origin) of the git work tree at `cwd`, or undefined outside one. */
export async function gitInfo(cwd = process.cwd()): Promise<GitInfo | undefined> {
  // Two git processes at once (one for commit and branch) rather than three in sequence.
  const [heads, repoUrl] = await Promise.all([
    git(cwd, ['rev-parse', 'HEAD', '--abbrev-ref', 'HEAD']),
    git(cwd, ['config', '--get', 'remote.origin.url']),
  ]);
  const [commit, branch] = (heads ?? '').split('\n');
  if (!commit) return undefined;
  return {
    commit,
    ...(branch && branch !== 'HEAD' ? { branch } : {}),
    ...(repoUrl ? { repoUrl } : {}),
  };
}

function git(cwd: string, args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', args, { cwd, timeout: 5000 }, (err, stdout) => {
      resolve(err ? undefined : stdout.trim() || undefined);
    });
  });
}

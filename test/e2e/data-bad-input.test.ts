// Bad input to the data commands: each is refused with the documented exit code (docs/errors.md),
// a message that names the file, line, field or remote and says what to do, and no change to the
// workspace, its pointers, the cache or the remotes.
import { mkdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { S3TestServer } from '../../src/testing/index.js';
import { CLI, runNode, type Result } from './cli-harness.js';
import { closedPort, s3Workspace, snapshot } from './data-harness.js';

const CSV = 'Date,Close\n2023-01-03,89.7\n2023-01-04,88.7\n2023-01-05,86.8\n';

describe('mlops data refuses bad input and changes nothing (built CLI, s3rver)', () => {
  let s3: S3TestServer;
  let root: string;
  let ws: string;
  let cleanup: () => Promise<void>;
  let env: Record<string, string>;
  let deadPort: number;

  beforeAll(async () => {
    ({ s3, root, dir: ws, env, cleanup } = await s3Workspace());
    await mkdir(join(root, 'elsewhere'));
    await writeFile(join(root, 'elsewhere', 'x.csv'), CSV);
    await writeFile(join(root, 'outside.csv'), CSV);
    await writeFile(join(root, 'a-file'), 'not a directory\n');
    await mkdir(join(root, 'home'));
    deadPort = await closedPort();

    await writeFile(join(ws, 'data', 'prices.csv'), CSV);
    await ok('data', 'add', 'data/prices.csv');
    const s3Remote = ['--endpoint', s3.endpoint, '--region', s3.region];
    await ok('data', 'remote', 'add', 'origin', `s3://${s3.bucket}/bad-input`, ...s3Remote);
    await ok('data', 'remote', 'modify', 'origin', '--default');
    await ok('data', 'remote', 'add', 'backup', '../backup');
    await ok('data', 'remote', 'add', 'blocked', '../a-file/remote');
    await ok('data', 'remote', 'add', 'nowhere', '../nowhere');
    await ok(
      'data',
      'remote',
      'add',
      'dead',
      `s3://${s3.bucket}/bad-input`,
      '--endpoint',
      `http://127.0.0.1:${deadPort}`,
    );
    await ok('data', 'push');
    await ok('data', 'push', '-r', 'backup');
  });
  afterAll(() => cleanup?.());

  async function ok(...args: string[]): Promise<string> {
    const out = await runNode([CLI, ...args], ws, env);
    expect(out.code, out.stderr).toBe(0);
    return out.stdout;
  }

  /** Deletes the cache and the workspace copy (the remotes keep the data). */
  const loseLocalCopies = async () => {
    await rm(join(ws, '.mlops', 'blobs'), { recursive: true, force: true });
    await rm(join(ws, 'data', 'prices.csv'));
  };

  /** What a refused command must leave as it was: the workspace (pointers, data, cache) and remotes. */
  const state = async () => ({
    workspace: await snapshot(ws),
    backup: await snapshot(join(root, 'backup')),
  });

  /**
   * Runs `args`, expects exit `code` and every one of `messages` on stderr, and that nothing
   * changed: no file in the workspace or the local remote, no write request to S3.
   */
  async function refused(
    args: string[],
    code: number,
    messages: readonly (string | RegExp)[],
    extraEnv: Record<string, string | undefined> = {},
  ): Promise<Result> {
    const before = await state();
    await s3.clearRequests();
    const out = await runNode([CLI, ...args], ws, { ...env, ...extraEnv });
    expect(out.code, `${args.join(' ')}: ${out.stderr}`).toBe(code);
    for (const message of messages) {
      if (typeof message === 'string') expect(out.stderr).toContain(message);
      else expect(out.stderr).toMatch(message);
    }
    expect(await state()).toEqual(before);
    const writes = (await s3.requests()).filter((r) => !['GET', 'HEAD'].includes(r.method));
    expect(writes).toEqual([]);
    return out;
  }

  it('refuses a path outside the workspace, relative or absolute', async () => {
    await refused(['data', 'add', '../outside.csv'], 2, [
      `Path '../outside.csv' is outside the workspace ${ws}`,
      'copy or move it there first',
    ]);
    await refused(['data', 'add', join(root, 'outside.csv')], 2, [
      `Path '${join(root, 'outside.csv')}' is outside the workspace ${ws}`,
    ]);
    await refused(['data', 'status', '../outside.csv'], 2, ["'../outside.csv' is outside"]);
  });

  it('refuses a symlink that points out of the workspace, and a path under one', async () => {
    await symlink(join('..', '..', 'outside.csv'), join(ws, 'data', 'link.csv'));
    await symlink(join('..', '..', 'elsewhere'), join(ws, 'data', 'linked'));
    const cases = [
      ['data/link.csv', join(root, 'outside.csv')],
      ['data/linked', join(root, 'elsewhere')],
      ['data/linked/x.csv', join(root, 'elsewhere', 'x.csv')],
    ] as const;
    for (const [path, target] of cases) {
      await refused(['data', 'add', path], 2, [
        `Path '${path}' is a symlink (or lies under one) that resolves to ${target}, outside the workspace ${ws}`,
        'copy the data into the workspace instead',
      ]);
    }
    await rm(join(ws, 'data', 'link.csv'));
    await rm(join(ws, 'data', 'linked'));
  });

  describe('a pointer file edited by hand', () => {
    const pointerFile = () => join(ws, 'data', 'prices.csv.mlops');
    let good: string;
    beforeAll(async () => {
      good = await readFile(pointerFile(), 'utf8');
    });
    afterAll(async () => {
      await writeFile(pointerFile(), good);
    });

    const commands = [
      ['data', 'status'],
      ['data', 'status', '--remote'],
      ['data', 'checkout'],
      ['data', 'checkout', 'data/prices.csv'],
      ['data', 'push'],
      ['data', 'push', '-r', 'backup'],
      ['data', 'pull', '-r', 'backup'],
      ['data', 'gc'],
    ];
    /** `verify` reports the pointer (file, line, cause) on stdout, then fails. */
    const verify = async (detail: string) => {
      const out = await refused(['data', 'verify'], 2, [
        '1 invalid pointer file',
        'git checkout --',
      ]);
      expect(out.stdout).toContain(detail);
    };

    it('into invalid YAML: every command names the file and line and changes nothing', async () => {
      // Line 2 becomes a nested mapping on one line, which YAML does not allow.
      await writeFile(pointerFile(), good.replace('hash: sha256', 'hash: sha256: yes'));
      await writeFile(join(ws, 'data', 'prices.csv'), CSV + '2023-01-06,87.1\n'); // checkout would overwrite
      for (const args of commands) {
        await refused(args, 2, [
          'Invalid pointer file data/prices.csv.mlops, line 2: not valid YAML',
          /restore it with `git checkout -- data\/prices\.csv\.mlops`/,
        ]);
      }
      await verify('Invalid pointer file data/prices.csv.mlops, line 2: not valid YAML');
      await writeFile(join(ws, 'data', 'prices.csv'), CSV);
    });

    it('into a bad field value: the message names the field and what it must be', async () => {
      await writeFile(pointerFile(), good.replace(/^sha256: .*$/m, 'sha256: 12345'));
      for (const args of commands) {
        await refused(args, 2, [
          'Invalid pointer file data/prices.csv.mlops, line 3',
          "field 'sha256'",
          '64 lower-case hex characters',
        ]);
      }
      await verify("Invalid pointer file data/prices.csv.mlops, line 3: field 'sha256'");
    });
  });

  it('an unknown remote name is exit 3, naming the known remotes', async () => {
    const known = 'known remotes: backup, blocked, dead, nowhere, origin (default)';
    for (const args of [
      ['data', 'push', '-r', 'nope'],
      ['data', 'pull', '--remote', 'nope'],
      ['data', 'fetch', '-r', 'nope'],
      ['data', 'status', '--remote', 'nope'],
    ]) {
      await refused(args, 3, [`Unknown remote 'nope': ${known}`, 'mlops data remote list']);
    }
    await refused(['data', 'push'], 3, [`MLOPS_REMOTE names an unknown remote 'nope': ${known}`], {
      MLOPS_REMOTE: 'nope',
    });
  });

  /**
   * `push -r <remote>` with the cache full, then, with the cache and workspace copy gone so that
   * they need the remote, `pull`, `fetch` and `status --remote`: each refused the same way.
   */
  async function refusedRemote(
    remote: string,
    code: number,
    messages: readonly (string | RegExp)[],
    extraEnv: Record<string, string | undefined> = {},
  ): Promise<Result[]> {
    const outs = [await refused(['data', 'push', '-r', remote], code, messages, extraEnv)];
    await loseLocalCopies();
    for (const command of ['pull', 'fetch']) {
      outs.push(await refused(['data', command, '-r', remote], code, messages, extraEnv));
    }
    outs.push(await refused(['data', 'status', '--remote', remote], code, messages, extraEnv));
    await ok('data', 'pull');
    return outs;
  }

  it('an S3 endpoint nobody listens on is exit 6, saying what to check', async () => {
    await refusedRemote('dead', 6, [
      `Cannot reach the S3 endpoint http://127.0.0.1:${deadPort}`,
      `s3://${s3.bucket}/bad-input`,
      'Check the remote URL and --endpoint',
    ]);
  });

  it('missing S3 credentials (no AWS variables, empty HOME) are exit 6, saying where to set them', async () => {
    const noCredentials: Record<string, string | undefined> = { HOME: join(root, 'home') };
    for (const name of [...Object.keys(process.env), ...Object.keys(env)]) {
      if (name.startsWith('AWS_')) noCredentials[name] = undefined;
    }
    await refusedRemote(
      'origin',
      6,
      [
        'No AWS credentials found',
        `s3://${s3.bucket}/bad-input`,
        'Set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or AWS_PROFILE',
      ],
      noCredentials,
    );
  });

  it('a local remote directory that does not exist is exit 6 for reading, naming it', async () => {
    await loseLocalCopies();
    for (const command of ['pull', 'fetch']) {
      await refused(['data', command, '-r', 'nowhere'], 6, [
        `Remote 'nowhere' is the directory ${join(root, 'nowhere')}, which does not exist`,
        'push to it first',
      ]);
    }
    await ok('data', 'pull');
  });

  it('a local remote directory that cannot be created is exit 6, naming it and the cause', async () => {
    const outs = await refusedRemote('blocked', 6, [
      "remote 'blocked'",
      join(root, 'a-file', 'remote'),
      'not a directory',
    ]);
    // The errno once, not `ENOTDIR: ENOTDIR: not a directory`.
    for (const out of outs) expect(out.stderr).not.toMatch(/(E[A-Z]+): \1:/);
  });
});

import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectCode } from '../../testing/index.js';
import { addRemote, modifyRemote, removeRemote } from './edit-remotes.js';
import {
  loadRemotes,
  remoteConfigFiles,
  selectRemote,
  type RemoteConfigFiles,
} from './remote-config.js';
import { remoteLocation } from './remote-url.js';

const PROJECT = `# Project settings
name: demo # the project name
stages:
  train:
    cmd: node train.js # keep this comment
`;

describe('remote configuration', () => {
  let root: string;
  let files: RemoteConfigFiles;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mlops-remotes-'));
    files = remoteConfigFiles(root, join(root, '.mlops'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  const project = () => readFile(files.project, 'utf8');
  const local = () => readFile(files.local, 'utf8');

  it('adds, modifies and removes remotes, keeping the other keys and comments', async () => {
    await writeFile(files.project, PROJECT);
    const added = await addRemote(files, 'origin', {
      url: 's3://my-bucket/data',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      default: true,
    });
    expect(added).toEqual({
      name: 'origin',
      url: 's3://my-bucket/data',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      isDefault: true,
      definedIn: 'project',
    });
    await addRemote(files, 'backup', { url: '../backup' });
    let text = await project();
    expect(text.startsWith(PROJECT)).toBe(true);
    expect(text).toContain('  origin:\n    url: s3://my-bucket/data\n');

    const config = await loadRemotes(files);
    expect(config.defaultName).toBe('origin');
    expect(config.remotes.map((r) => r.name)).toEqual(['backup', 'origin']);

    // --default moves the flag; '' removes a setting.
    await modifyRemote(files, 'backup', { default: true, profile: 'team' });
    await modifyRemote(files, 'origin', { endpoint: '', url: 's3://other-bucket' });
    const after = await loadRemotes(files);
    expect(after.defaultName).toBe('backup');
    expect(after.remotes).toEqual([
      { name: 'backup', url: '../backup', profile: 'team', isDefault: true, definedIn: 'project' },
      {
        name: 'origin',
        url: 's3://other-bucket',
        region: 'us-east-1',
        isDefault: false,
        definedIn: 'project',
      },
    ]);

    await removeRemote(files, 'origin');
    await removeRemote(files, 'backup');
    text = await project();
    expect(text).toBe(PROJECT);
    expect((await loadRemotes(files)).remotes).toEqual([]);
  });

  it('creates mlops.yaml when missing, with a header and no credentials', async () => {
    await addRemote(files, 'origin', { url: 's3://bucket/prefix', default: true });
    const text = await project();
    expect(text).toMatch(/^# mlops project settings/);
    expect(text).toContain('remotes:\n  origin:\n    url: s3://bucket/prefix\n    default: true\n');
  });

  it('merges .mlops/config.local.yaml over mlops.yaml, field by field', async () => {
    await addRemote(files, 'origin', { url: 's3://bucket/a', region: 'us-east-1', default: true });
    await modifyRemote(files, 'origin', { endpoint: 'http://127.0.0.1:9000' }, { local: true });
    await addRemote(files, 'mine', { url: '/tmp/mine' }, { local: true });
    expect(await project()).not.toContain('endpoint');
    expect(await local()).toContain('endpoint: http://127.0.0.1:9000');
    // Creating the local file also git-ignores .mlops/.
    expect(await readFile(join(root, '.mlops', '.gitignore'), 'utf8')).toContain('*');

    let config = await loadRemotes(files);
    expect(config.remotes).toEqual([
      { name: 'mine', url: '/tmp/mine', isDefault: false, definedIn: 'local' },
      {
        name: 'origin',
        url: 's3://bucket/a',
        endpoint: 'http://127.0.0.1:9000',
        region: 'us-east-1',
        isDefault: true,
        definedIn: 'project+local',
      },
    ]);

    // A local default wins over the project's on this machine.
    await modifyRemote(files, 'mine', { default: true }, { local: true });
    config = await loadRemotes(files);
    expect(config.defaultName).toBe('mine');
    expect(selectRemote(config, undefined, {}).name).toBe('mine');

    // A local-only remote is changed with --local only.
    await expectCode(
      modifyRemote(files, 'mine', { region: 'eu-west-1' }),
      'INVALID_PARAMETER_VALUE',
    );
    await removeRemote(files, 'mine', { local: true });
    await removeRemote(files, 'origin');
    expect((await loadRemotes(files)).remotes).toEqual([]);
    expect(await local()).toMatch(/^# mlops settings for this machine only/);
    expect(await local()).not.toContain('{}');
  });

  it('refuses credential keys in either file, without echoing their values', async () => {
    await writeFile(
      files.project,
      'remotes:\n  origin:\n    url: s3://bucket/x\n    secret_access_key: TOPSECRET\n',
    );
    const err = await expectCode(loadRemotes(files), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toContain("mlops.yaml, line 4: remote 'origin' has 'secret_access_key'");
    expect(err.message).toContain('AWS_ACCESS_KEY_ID');
    expect(err.message).not.toContain('TOPSECRET');

    await writeFile(files.project, 'remotes:\n  origin:\n    url: s3://bucket/x\n');
    await mkdir(join(root, '.mlops'), { recursive: true });
    for (const key of ['access_key_id', 'aws_secret', 'session_token', 'password']) {
      await writeFile(files.local, `remotes:\n  origin:\n    ${key}: abc\n`);
      const e = await expectCode(loadRemotes(files), 'INVALID_PARAMETER_VALUE');
      expect(e.message).toContain(`.mlops/config.local.yaml, line 3: remote 'origin' has '${key}'`);
    }
    await rm(files.local);
    // Credentials inside URLs are refused too.
    const inUrl = await expectCode(
      addRemote(files, 'leak', { url: 's3://AKIA:SECRET@bucket/x' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(inUrl.message).not.toContain('SECRET@');
    await expectCode(
      addRemote(files, 'leak', { url: 's3://bucket/x', endpoint: 'http://user:pw@host:9000' }),
      'INVALID_PARAMETER_VALUE',
    );
    expect(await project()).not.toContain('leak');
  });

  it('refuses unknown settings, bad values and invalid YAML, naming file and line', async () => {
    await writeFile(files.project, 'remotes:\n  origin:\n    url: s3://bucket/x\n    jobs: 4\n');
    const unknown = await expectCode(loadRemotes(files), 'INVALID_PARAMETER_VALUE');
    expect(unknown.message).toContain("line 4: remote 'origin' has an unknown setting 'jobs'");

    await writeFile(files.project, 'remotes:\n  origin:\n    url: [\n');
    const yaml = await expectCode(loadRemotes(files), 'INVALID_PARAMETER_VALUE');
    expect(yaml.message).toMatch(/^Invalid mlops\.yaml, line \d+: not valid YAML/);

    await writeFile(
      files.project,
      'remotes:\n  a:\n    url: /x\n    default: true\n  b:\n    url: /y\n    default: true\n',
    );
    const two = await expectCode(loadRemotes(files), 'INVALID_PARAMETER_VALUE');
    expect(two.message).toContain('several remotes as default (a, b)');

    await rm(files.project);
    await expectCode(addRemote(files, 'x', { url: 'gs://bucket/x' }), 'UNSUPPORTED_URI');
    await expectCode(addRemote(files, 'bad name', { url: '/x' }), 'INVALID_PARAMETER_VALUE');
    await expectCode(
      addRemote(files, 'x', { url: 's3://bucket', endpoint: 'ftp://h' }),
      'INVALID_PARAMETER_VALUE',
    );
    await addRemote(files, 'x', { url: '/x' });
    await expectCode(addRemote(files, 'x', { url: '/y' }), 'RESOURCE_ALREADY_EXISTS');
    await expectCode(modifyRemote(files, 'x', {}), 'INVALID_PARAMETER_VALUE');
    await expectCode(modifyRemote(files, 'y', { url: '/z' }), 'RESOURCE_DOES_NOT_EXIST');
    await expectCode(removeRemote(files, 'y'), 'RESOURCE_DOES_NOT_EXIST');
  });

  describe('selectRemote', () => {
    it('names the known remotes when the name is unknown', async () => {
      await addRemote(files, 'origin', { url: 's3://bucket/a', default: true });
      await addRemote(files, 'backup', { url: '/b' });
      const config = await loadRemotes(files);
      const err = await expectCode(
        Promise.resolve().then(() => selectRemote(config, 'orign', {})),
        'RESOURCE_DOES_NOT_EXIST',
      );
      expect(err.message).toContain(
        "Unknown remote 'orign': known remotes: backup, origin (default)",
      );
      expect(selectRemote(config, undefined, {}).name).toBe('origin');
      expect(selectRemote(config, 'backup', {}).name).toBe('backup');
    });

    it('says how to set a default when there is none', async () => {
      const none = await expectCode(
        Promise.resolve().then(async () => selectRemote(await loadRemotes(files), undefined, {})),
        'INVALID_PARAMETER_VALUE',
      );
      expect(none.message).toContain('no remotes are configured');
      expect(none.message).toContain('mlops data remote add');

      await addRemote(files, 'backup', { url: '/b' });
      const config = await loadRemotes(files);
      const err = await expectCode(
        Promise.resolve().then(() => selectRemote(config, undefined, {})),
        'INVALID_PARAMETER_VALUE',
      );
      expect(err.message).toContain('No default remote: known remotes: backup');
      expect(err.message).toContain('--remote <name>');
      expect(err.message).toContain('mlops data remote modify <name> --default');
    });

    it('takes MLOPS_REMOTE as a remote name or a one-off URL', async () => {
      await addRemote(files, 'origin', { url: 's3://bucket/a', default: true });
      await addRemote(files, 'backup', { url: '/b' });
      const config = await loadRemotes(files);
      expect(selectRemote(config, undefined, { MLOPS_REMOTE: 'backup' }).name).toBe('backup');
      expect(selectRemote(config, undefined, { MLOPS_REMOTE: 's3://elsewhere/x' }).url).toBe(
        's3://elsewhere/x',
      );
      expect(selectRemote(config, 'origin', { MLOPS_REMOTE: 'backup' }).name).toBe('origin');
      await expectCode(
        Promise.resolve().then(() => selectRemote(config, undefined, { MLOPS_REMOTE: 'nope' })),
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });

  it('resolves directory remotes against the workspace root', () => {
    expect(remoteLocation('../backup', '/work/ws')).toEqual({ kind: 'local', dir: '/work/backup' });
    expect(remoteLocation('file:///srv/cache', '/work/ws')).toEqual({
      kind: 'local',
      dir: '/srv/cache',
    });
    expect(remoteLocation('s3://bucket/p', '/work/ws')).toEqual({
      kind: 's3',
      url: 's3://bucket/p',
    });
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { expectCode, gitFixture, type GitFixture } from '../../testing/index.js';
import { lockText } from './lock-fixture.js';
import { paramsDiff } from './params-diff.js';

const PARAMS_V1 = 'preset: full\ntrain:\n  epochs: 5\n  lr: 0.1\n';
const LOCK_V1 = lockText({
  train: { params: { 'params.yaml': { preset: 'full', 'train.epochs': 5, 'train.lr': 0.1 } } },
});

describe('paramsDiff', () => {
  let repo: GitFixture;
  afterEach(() => repo.dispose());

  async function committedV1(subdir = ''): Promise<GitFixture> {
    repo = await gitFixture({
      subdir,
      committed: { 'params.yaml': PARAMS_V1, 'mlops.lock': LOCK_V1 },
    });
    return repo;
  }

  it('compares the working params files with the HEAD lock, changed keys only', async () => {
    await committedV1();
    await repo.write({ 'params.yaml': 'preset: full\ntrain:\n  epochs: 10\n  lr: 0.1\n' });
    const diff = await paramsDiff({ root: repo.root });
    expect(diff.a).toMatchObject({ rev: 'HEAD', commit: expect.stringMatching(/^[0-9a-f]{40}$/) });
    expect(diff.b).toEqual({ rev: 'workspace', commit: null });
    expect(diff.rows).toEqual([
      { file: 'params.yaml', key: 'train.epochs', old: 5, new: 10, status: 'modified' },
    ]);
  });

  it('lists unchanged params with all, sorted by key', async () => {
    await committedV1();
    const diff = await paramsDiff({ root: repo.root, all: true });
    expect(diff.rows.map((r) => [r.key, r.status])).toEqual([
      ['preset', 'unchanged'],
      ['train.epochs', 'unchanged'],
      ['train.lr', 'unchanged'],
    ]);
  });

  it('compares two commits by their locks: modified, added and deleted keys', async () => {
    await committedV1();
    await repo.write({
      'mlops.lock': lockText({
        train: { params: { 'params.yaml': { preset: 'full', 'train.epochs': 8 } } },
        evaluate: { params: { 'eval.json': { horizon: 5 } } },
      }),
    });
    repo.commit('v2');
    const diff = await paramsDiff({ root: repo.root, a: 'HEAD~1', b: 'HEAD' });
    expect(diff.rows).toEqual([
      { file: 'params.yaml', key: 'train.epochs', old: 5, new: 8, status: 'modified' },
      { file: 'params.yaml', key: 'train.lr', old: 0.1, new: null, status: 'deleted' },
      { file: 'eval.json', key: 'horizon', old: null, new: 5, status: 'added' },
    ]);
  });

  it('reads workspace values of keys either lock tracks, from YAML and JSON files', async () => {
    await committedV1('project');
    await repo.write({
      'params.yaml': 'preset: quick\ntrain: {epochs: 5, lr: 0.1}\n',
      'eval.json': '{"window": {"size": [1, 2]}, "a": {"b": {"c": true}}}',
      'mlops.lock': lockText({
        train: { params: { 'params.yaml': { preset: 'full' } } },
        evaluate: { params: { 'eval.json': { 'window.size': [1], 'a.b.c': false } } },
      }),
    });
    const diff = await paramsDiff({ root: repo.root });
    expect(diff.rows).toEqual([
      { file: 'params.yaml', key: 'preset', old: 'full', new: 'quick', status: 'modified' },
      { file: 'eval.json', key: 'a.b.c', old: null, new: true, status: 'added' },
      { file: 'eval.json', key: 'window.size', old: null, new: [1, 2], status: 'added' },
    ]);
  });

  it('reports a key that left the params file as deleted', async () => {
    await committedV1();
    await repo.write({ 'params.yaml': 'preset: full\ntrain:\n  epochs: 5\n' });
    const diff = await paramsDiff({ root: repo.root });
    expect(diff.rows).toEqual([
      { file: 'params.yaml', key: 'train.lr', old: 0.1, new: null, status: 'deleted' },
    ]);
  });

  it('treats HEAD of a repository without commits as empty', async () => {
    repo = await gitFixture();
    await repo.write({ 'params.yaml': PARAMS_V1, 'mlops.lock': LOCK_V1 });
    const diff = await paramsDiff({ root: repo.root });
    expect(diff.a).toEqual({ rev: 'HEAD', commit: null });
    expect(diff.rows.map((r) => r.status)).toEqual(['added', 'added', 'added']);
  });

  it('names an unknown revision', async () => {
    await committedV1();
    const err = await expectCode(
      paramsDiff({ root: repo.root, a: 'v9.9' }),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(err.message).toContain("'v9.9'");
  });

  it('names a params file that is not a mapping', async () => {
    await committedV1();
    await repo.write({ 'params.yaml': '- just\n- a list\n' });
    const err = await expectCode(paramsDiff({ root: repo.root }), 'INVALID_PARAMETER_VALUE');
    expect(err.message).toMatch(/params\.yaml holds a list; expected a params file/);
  });
});

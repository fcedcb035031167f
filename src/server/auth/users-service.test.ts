import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../storage/index.js';
import { expectCode } from '../../testing/index.js';
import { SqlAuthStore } from './sql-auth-store.js';
import { createTokenAt, createUserAt, grantAt, listUsersAt } from './users-service.js';

describe('users service (what `mlops users` runs)', () => {
  let dir: string;
  let uri: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlops-users-'));
    uri = `sqlite:${dir}/x.db`;
    const database = await openDatabase(uri);
    await database.db
      .insertInto('experiments')
      .values([
        {
          name: 'goog-lstm',
          artifact_location: '',
          lifecycle_stage: 'active',
          creation_time: 0,
          last_update_time: 0,
        },
        // A name made of digits, to check an id wins over it.
        {
          name: '0',
          artifact_location: '',
          lifecycle_stage: 'active',
          creation_time: 0,
          last_update_time: 0,
        },
      ])
      .execute();
    await database.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const withStore = async <T>(fn: (store: SqlAuthStore) => Promise<T>): Promise<T> => {
    const database = await openDatabase(uri);
    try {
      return await fn(new SqlAuthStore(database));
    } finally {
      await database.close();
    }
  };

  it('creates and lists users', async () => {
    expect(await createUserAt(uri, 'alice', 'alice password')).toMatchObject({
      username: 'alice',
      isAdmin: false,
    });
    await createUserAt(uri, 'root', 'root password', { admin: true });
    expect((await listUsersAt(uri)).map((u) => [u.username, u.isAdmin])).toEqual([
      ['alice', false],
      ['root', true],
    ]);
    await expectCode(createUserAt(uri, 'alice', 'alice password'), 'RESOURCE_ALREADY_EXISTS');
  });

  it('issues tokens with an optional lifetime in days', async () => {
    const before = Date.now();
    const issued = await createTokenAt(uri, 'alice', { name: 'ci', expiresDays: 30 });
    expect(issued).toMatchObject({ username: 'alice', name: 'ci' });
    expect(issued.expiresAt).toBeGreaterThanOrEqual(before + 30 * 86_400_000);
    expect(await withStore((s) => s.verifyToken(issued.token))).toMatchObject({
      username: 'alice',
    });

    expect((await createTokenAt(uri, 'alice')).expiresAt).toBeNull();
    await expectCode(createTokenAt(uri, 'alice', { expiresDays: 0 }), 'INVALID_PARAMETER_VALUE');
    await expectCode(createTokenAt(uri, 'alice', { expiresDays: NaN }), 'INVALID_PARAMETER_VALUE');
    await expectCode(createTokenAt(uri, 'nobody'), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('grants on an experiment named by id or by name', async () => {
    expect(await grantAt(uri, 'alice', 'goog-lstm', 'edit')).toEqual({
      username: 'alice',
      experimentId: '1',
      experimentName: 'goog-lstm',
      permission: 'EDIT',
    });
    // '0' is both the Default experiment's id and another experiment's name: the id wins.
    expect(await grantAt(uri, 'alice', '0', 'READ')).toMatchObject({
      experimentId: '0',
      experimentName: 'Default',
    });
    expect(await withStore((s) => s.grantsOf('alice'))).toEqual(
      new Map([
        ['0', 'READ'],
        ['1', 'EDIT'],
      ]),
    );
  });

  it('names what it cannot find or parse', async () => {
    const missing = await expectCode(
      grantAt(uri, 'alice', 'no-such', 'READ'),
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(missing.message).toContain("'no-such'");
    await expectCode(grantAt(uri, 'alice', '999', 'READ'), 'RESOURCE_DOES_NOT_EXIST');
    await expectCode(grantAt(uri, 'nobody', 'goog-lstm', 'READ'), 'RESOURCE_DOES_NOT_EXIST');
    const bad = await expectCode(
      grantAt(uri, 'alice', 'goog-lstm', 'WRITE'),
      'INVALID_PARAMETER_VALUE',
    );
    expect(bad.message).toContain('READ, EDIT, MANAGE');
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../storage/index.js';
import { expectCode, freshPostgresUrl, postgresUnavailable } from '../../testing/index.js';
import { SqlAuthStore } from './sql-auth-store.js';
import { tokenHash } from './tokens.js';

// Skips (with the reason) when PostgreSQL is unreachable; MLOPS_TEST_PG_URL overrides the server.
const pgSkip = await postgresUnavailable();

interface Opened {
  database: Database;
  cleanup(): Promise<void>;
}

async function openSqlite(): Promise<Opened> {
  const dir = mkdtempSync(join(tmpdir(), 'mlops-auth-'));
  const database = await openDatabase(`sqlite:${dir}/x.db`);
  return {
    database,
    cleanup: async () => {
      await database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function openPostgres(): Promise<Opened> {
  const { url, drop } = freshPostgresUrl('auth_test');
  const database = await openDatabase(url, { autoUpgrade: true });
  return {
    database,
    cleanup: async () => {
      await database.close();
      await drop();
    },
  };
}

const PW = 'first password';

function authStoreCases(open: () => Promise<Opened>): void {
  let opened: Opened;
  let database: Database;
  let clock = 1_000_000;
  const now = () => clock;
  let store: SqlAuthStore;

  beforeAll(async () => {
    opened = await open();
    database = opened.database;
    store = new SqlAuthStore(database, { now });
  });
  afterAll(() => opened.cleanup());

  it('creates, reads and lists users', async () => {
    const alice = await store.createUser('alice', PW);
    expect(alice).toEqual({ username: 'alice', isAdmin: false, createdAt: clock });
    await store.createUser('root@example.com', PW, { admin: true });
    expect(await store.getUser('alice')).toEqual(alice);
    expect(await store.getUser('nobody')).toBeUndefined();
    expect((await store.listUsers()).map((u) => [u.username, u.isAdmin])).toEqual([
      ['alice', false],
      ['root@example.com', true],
    ]);
    const row = await database.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'alice')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
  });

  it('refuses taken names, bad names and short passwords', async () => {
    const taken = await expectCode(store.createUser('alice', PW), 'RESOURCE_ALREADY_EXISTS');
    expect(taken.message).toContain("'alice'");
    for (const name of ['', '-lead', 'a b', 'a:b', 'x'.repeat(65)]) {
      await expectCode(store.createUser(name, PW), 'INVALID_PARAMETER_VALUE');
    }
    await expectCode(store.createUser('bob', 'short'), 'INVALID_PARAMETER_VALUE');
    expect(await store.getUser('bob')).toBeUndefined();
  });

  it('verifies passwords without telling who exists', async () => {
    expect(await store.verifyPassword('alice', PW)).toEqual({ username: 'alice', isAdmin: false });
    expect(await store.verifyPassword('alice', 'wrong password')).toBeUndefined();
    expect(await store.verifyPassword('nobody', PW)).toBeUndefined();
    expect(await store.verifyPassword('root@example.com', PW)).toEqual({
      username: 'root@example.com',
      isAdmin: true,
    });
  });

  it('caches successful checks for a while, and forgets them when the password changes', async () => {
    await store.createUser('carol', PW);
    expect(await store.verifyPassword('carol', PW)).toBeDefined();
    // Another process changes the hash behind this store's back: the cache still answers...
    await database.db
      .updateTable('users')
      .set({ password_hash: 'scrypt$2$1$1$AA==$AAAAAAAAAAAAAAAAAAAAAA==' })
      .where('username', '=', 'carol')
      .execute();
    expect(await store.verifyPassword('carol', PW)).toBeDefined();
    // ...until the entry expires.
    clock += 60_001;
    expect(await store.verifyPassword('carol', PW)).toBeUndefined();

    // A change through this store takes effect at once.
    await store.setPassword('carol', PW);
    expect(await store.verifyPassword('carol', PW)).toBeDefined();
    await store.setPassword('carol', 'second password');
    expect(await store.verifyPassword('carol', PW)).toBeUndefined();
    expect(await store.verifyPassword('carol', 'second password')).toBeDefined();
    await expectCode(store.setPassword('nobody', 'second password'), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('issues tokens that verify until they expire or are revoked', async () => {
    const token = await store.createToken('alice', { name: 'laptop' });
    expect(token).toMatch(/^mlops_/);
    expect(await store.verifyToken(token)).toEqual({ username: 'alice', isAdmin: false });
    const row = await database.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('username', '=', 'alice')
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ token_hash: tokenHash(token), name: 'laptop', expires_at: null });

    const brief = await store.createToken('alice', { expiresAt: clock + 1000 });
    expect(await store.verifyToken(brief)).toBeDefined();
    clock += 1000;
    expect(await store.verifyToken(brief)).toBeUndefined();

    expect(await store.verifyToken(token + 'x')).toBeUndefined();
    expect(await store.verifyToken('not-a-token')).toBeUndefined();
    expect(await store.revokeToken(token)).toBe(true);
    expect(await store.verifyToken(token)).toBeUndefined();
    expect(await store.revokeToken(token)).toBe(false);
  });

  it('refuses tokens for unknown users or with a past expiry', async () => {
    await expectCode(store.createToken('nobody'), 'RESOURCE_DOES_NOT_EXIST');
    await expectCode(store.createToken('alice', { expiresAt: clock }), 'INVALID_PARAMETER_VALUE');
  });

  it('grants, replaces and revokes permissions per experiment', async () => {
    expect(await store.permissionOf('alice', '1')).toBeUndefined();
    await store.grant('1', 'alice', 'READ');
    expect(await store.permissionOf('alice', '1')).toBe('READ');
    await store.grant('1', 'alice', 'MANAGE'); // an upsert, not a second row
    expect(await store.permissionOf('alice', '1')).toBe('MANAGE');
    await store.grant('2', 'alice', 'NO_PERMISSIONS');
    await store.grant('3', 'alice', 'EDIT');
    await store.grant('3', 'carol', 'READ');
    expect(await store.grantsOf('alice')).toEqual(
      new Map([
        ['1', 'MANAGE'],
        ['2', 'NO_PERMISSIONS'],
        ['3', 'EDIT'],
      ]),
    );
    expect(await store.readableExperimentIds('alice')).toEqual(new Set(['1', '3']));
    expect(await store.permissionOf('carol', '1')).toBeUndefined();

    await store.revoke('1', 'alice');
    expect(await store.permissionOf('alice', '1')).toBeUndefined();
    await expectCode(store.revoke('1', 'alice'), 'RESOURCE_DOES_NOT_EXIST');
    await expectCode(store.grant('1', 'nobody', 'READ'), 'RESOURCE_DOES_NOT_EXIST');
    await expectCode(store.grant('exp-name', 'alice', 'READ'), 'INVALID_PARAMETER_VALUE');
  });

  it('deletes a user with its tokens and grants, and stops accepting its password', async () => {
    await store.createUser('dave', PW);
    const token = await store.createToken('dave');
    await store.grant('3', 'dave', 'EDIT');
    expect(await store.verifyPassword('dave', PW)).toBeDefined(); // now cached
    await store.deleteUser('dave');
    expect(await store.verifyPassword('dave', PW)).toBeUndefined();
    expect(await store.verifyToken(token)).toBeUndefined();
    expect(await store.grantsOf('dave')).toEqual(new Map());
    await expectCode(store.deleteUser('dave'), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('creates the admin once and then leaves it alone', async () => {
    const first = await store.ensureAdmin('admin password');
    expect(first).toMatchObject({ created: true, user: { username: 'admin', isAdmin: true } });
    const again = await store.ensureAdmin('another password');
    expect(again).toEqual({ created: false, user: first.user });
    // The first password still works: a restart with another one does not reset it.
    expect(await store.verifyPassword('admin', 'admin password')).toBeDefined();
    expect(await store.verifyPassword('admin', 'another password')).toBeUndefined();

    const ops = await store.ensureAdmin('ops password', 'ops');
    expect(ops.user).toMatchObject({ username: 'ops', isAdmin: true });
  });

  it('refuses an empty or short admin password, even when the admin exists', async () => {
    await expectCode(store.ensureAdmin(''), 'INVALID_PARAMETER_VALUE');
    await expectCode(store.ensureAdmin('1234'), 'INVALID_PARAMETER_VALUE');
    await expectCode(store.ensureAdmin('', 'newadmin'), 'INVALID_PARAMETER_VALUE');
    expect(await store.getUser('newadmin')).toBeUndefined();
  });
}

describe('SqlAuthStore on SQLite', () => authStoreCases(openSqlite));
describe.skipIf(pgSkip)('SqlAuthStore on PostgreSQL', () => authStoreCases(openPostgres));

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../storage/index.js';
import { expectCode } from '../../testing/index.js';
import { authenticate } from './authenticate.js';
import { SqlAuthStore } from './sql-auth-store.js';

const basic = (userPass: string) => `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;

describe('authenticate', () => {
  let dir: string;
  let database: Database;
  let store: SqlAuthStore;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlops-authn-'));
    database = await openDatabase(`sqlite:${dir}/x.db`);
    store = new SqlAuthStore(database);
    await store.createUser('alice', 'pass:with colon');
    await store.createUser('root', 'root password', { admin: true });
    token = await store.createToken('alice');
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('accepts HTTP Basic as MLflow clients send it', async () => {
    expect(await authenticate(basic('alice:pass:with colon'), store)).toEqual({
      username: 'alice',
      isAdmin: false,
    });
    expect(await authenticate(basic('root:root password'), store)).toEqual({
      username: 'root',
      isAdmin: true,
    });
    // The scheme is case-insensitive (RFC 9110).
    expect(
      await authenticate(basic('alice:pass:with colon').replace('Basic', 'basic'), store),
    ).toBeDefined();
  });

  it('accepts a bearer token', async () => {
    expect(await authenticate(`Bearer ${token}`, store)).toEqual({
      username: 'alice',
      isAdmin: false,
    });
  });

  it('answers 401 with the same words for a wrong password and an unknown user', async () => {
    const wrong = await expectCode(
      authenticate(basic('alice:nope nope'), store),
      'UNAUTHENTICATED',
    );
    const unknown = await expectCode(
      authenticate(basic('mallory:pass:with colon'), store),
      'UNAUTHENTICATED',
    );
    expect(wrong.status).toBe(401);
    expect(unknown.message).toBe(wrong.message);
    expect(wrong.message).toContain('MLFLOW_TRACKING_USERNAME');
    await expectCode(authenticate(`Bearer ${token}x`, store), 'UNAUTHENTICATED');
  });

  it('answers 401 to missing and malformed headers, without echoing them', async () => {
    for (const header of [
      undefined,
      '',
      '   ',
      'Basic',
      'Basic !!!not-base64',
      basic('no-colon'),
      basic(':only-password'),
      'Bearer',
      'Digest username="alice"',
      '<script>alert(1)</script>',
    ]) {
      const err = await expectCode(authenticate(header, store), 'UNAUTHENTICATED');
      expect(err.status).toBe(401);
      expect(err.message).not.toContain('script');
      expect(err.message).toContain('mlops users token');
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqlRegistryStore } from '../../registry/index.js';
import { openDatabase, type Database } from '../../storage/index.js';
import { expectCode } from '../../testing/index.js';
import { SqlAuthStore } from './sql-auth-store.js';
import { SqlModelPermissions } from './sql-model-permissions.js';

describe('SqlModelPermissions', () => {
  let dir: string;
  let database: Database;
  let grants: SqlModelPermissions;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mlops-model-perms-'));
    database = await openDatabase(`sqlite:${dir}/x.db`);
    grants = new SqlModelPermissions(database);
    const users = new SqlAuthStore(database);
    await users.createUser('ann', 'a-long-password-1');
    await users.createUser('ben', 'a-long-password-2');
  });
  afterAll(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('grants, replaces, reads and revokes', async () => {
    expect(await grants.grant('m', 'ann', 'READ')).toEqual({
      name: 'm',
      username: 'ann',
      permission: 'READ',
    });
    await grants.grant('m', 'ann', 'EDIT');
    await grants.grant('other', 'ann', 'MANAGE');
    expect(await grants.permissionOf('ann', 'm')).toBe('EDIT');
    expect(await grants.permissionOf('ben', 'm')).toBeUndefined();
    expect([...(await grants.grantsOf('ann'))].sort()).toEqual([
      ['m', 'EDIT'],
      ['other', 'MANAGE'],
    ]);
    await grants.revoke('m', 'ann');
    await expectCode(grants.get('m', 'ann'), 'RESOURCE_DOES_NOT_EXIST');
    await expectCode(grants.revoke('m', 'ann'), 'RESOURCE_DOES_NOT_EXIST');
    const err = await expectCode(grants.grant('m', 'nobody', 'READ'), 'RESOURCE_DOES_NOT_EXIST');
    expect(err.message).toContain('nobody');
  });

  it("follow the registry's rename and die with its delete and with the user", async () => {
    const registry = new SqlRegistryStore(database);
    await registry.createRegisteredModel({ name: 'ren' });
    await grants.grant('ren', 'ann', 'MANAGE');
    await grants.grant('ren', 'ben', 'READ');
    await registry.renameRegisteredModel('ren', 'ren2');
    expect(await grants.permissionOf('ann', 'ren')).toBeUndefined();
    expect(await grants.permissionOf('ann', 'ren2')).toBe('MANAGE');
    await registry.deleteRegisteredModel('ren2');
    await registry.createRegisteredModel({ name: 'ren2' });
    expect(await grants.permissionOf('ann', 'ren2')).toBeUndefined();
    expect(await grants.permissionOf('ben', 'ren2')).toBeUndefined();
    await grants.grant('ren2', 'ben', 'EDIT');
    await new SqlAuthStore(database).deleteUser('ben');
    expect((await grants.grantsOf('ben')).size).toBe(0);
  });
});

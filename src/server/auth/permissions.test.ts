import { describe, expect, it } from 'vitest';
import { MlopsError } from '../../core/index.js';
import { effectivePermission, readableScope } from './authorize.js';
import { parsePermission, permissionAllows, PERMISSIONS, type Permission } from './permissions.js';

const alice = { username: 'alice', isAdmin: false };
const root = { username: 'root', isAdmin: true };

describe('permissions', () => {
  it('order NO_PERMISSIONS < READ < EDIT < MANAGE', () => {
    const table = PERMISSIONS.map((have) =>
      PERMISSIONS.map((need) => permissionAllows(have, need)),
    );
    expect(table).toEqual([
      [true, false, false, false],
      [true, true, false, false],
      [true, true, true, false],
      [true, true, true, true],
    ]);
    expect(permissionAllows(undefined, 'READ')).toBe(false);
    expect(permissionAllows(undefined, 'NO_PERMISSIONS')).toBe(false);
  });

  it('parse in any case, including MLflow NO_PERMISSIONS', () => {
    expect(parsePermission('edit')).toBe('EDIT');
    expect(parsePermission(' Manage ')).toBe('MANAGE');
    expect(parsePermission('NO_PERMISSIONS')).toBe('NO_PERMISSIONS');
  });

  it('name the allowed values when the word is unknown', () => {
    try {
      parsePermission('WRITE');
      expect.unreachable();
    } catch (err) {
      expect(MlopsError.is(err) && err.code).toBe('INVALID_PARAMETER_VALUE');
      expect((err as Error).message).toContain('NO_PERMISSIONS, READ, EDIT, MANAGE');
    }
  });
});

describe('effective permission', () => {
  it('is MANAGE for admins, else the grant, else the default', () => {
    expect(effectivePermission(root, 'NO_PERMISSIONS', 'NO_PERMISSIONS')).toBe('MANAGE');
    expect(effectivePermission(alice, 'EDIT', 'READ')).toBe('EDIT');
    expect(effectivePermission(alice, undefined, 'READ')).toBe('READ');
    // An explicit NO_PERMISSIONS grant overrides a default that would let the user read.
    expect(effectivePermission(alice, 'NO_PERMISSIONS', 'READ')).toBe('NO_PERMISSIONS');
  });

  it('scopes listings by the default and the grants that differ from it', () => {
    const grants = new Map<string, Permission>([
      ['1', 'READ'],
      ['2', 'NO_PERMISSIONS'],
      ['3', 'MANAGE'],
    ]);
    expect(readableScope(alice, grants, 'READ')).toEqual({
      kind: 'all-except',
      ids: new Set(['2']),
    });
    expect(readableScope(alice, grants, 'NO_PERMISSIONS')).toEqual({
      kind: 'only',
      ids: new Set(['1', '3']),
    });
    expect(readableScope(root, grants, 'NO_PERMISSIONS')).toEqual({
      kind: 'all-except',
      ids: new Set(),
    });
  });
});

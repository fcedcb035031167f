// Per-registered-model permissions of `mlops server --auth` (default NO_PERMISSIONS): READ views a
// model and its versions, EDIT registers versions (with READ on the run's experiment), updates and
// tags them, MANAGE moves or deletes aliases, renames, deletes and grants. Creators manage what
// they create; grants follow a rename and die with a delete. The tests run in order: Alice grants
// Bob READ, then EDIT, then MANAGE.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantAt } from '../../src/server/index.js';
import { basic, createAuthWorld, type AuthWorld } from './server-attacks-auth-world.js';
import { API, json, ok, refused, type Reply } from './server-attacks-harness.js';

const MODEL = 'alice-forecaster';

describe('server: registered-model permissions (auth on, default NO_PERMISSIONS)', () => {
  let world: AuthWorld;
  let ADMIN: Record<string, string>;
  const call = (who: Record<string, string>, method: string, path: string, body?: unknown) =>
    json(world.bed.url, method, `${API}${path}`, body, who);
  const names = async (who: Record<string, string>): Promise<string[]> =>
    (
      ok<{ registered_models?: { name: string }[] }>(
        await call(who, 'GET', '/registered-models/search?max_results=1000'),
      ).registered_models ?? []
    ).map((m) => m.name);
  const versionNames = async (who: Record<string, string>): Promise<string[]> =>
    (
      ok<{ model_versions?: { name: string }[] }>(await call(who, 'GET', '/model-versions/search'))
        .model_versions ?? []
    ).map((v) => v.name);
  const grant = (name: string, username: string, permission: string) =>
    call(world.ALICE, 'POST', '/registered-models/permissions/create', {
      name,
      username,
      permission,
    });

  /** What Bob tries at each level, by the permission it needs. */
  const reads = () => [
    ['GET', `/registered-models/get?name=${MODEL}`],
    ['GET', `/model-versions/get?name=${MODEL}&version=1`],
    ['GET', `/registered-models/alias?name=${MODEL}&alias=champion`],
    ['GET', `/registered-models/get-latest-versions?name=${MODEL}`],
    ['POST', '/registered-models/get-latest-versions', { name: MODEL }],
    ['GET', `/model-versions/get-download-uri?name=${MODEL}&version=1`],
  ];
  const edits = () => [
    ['POST', '/registered-models/set-tag', { name: MODEL, key: 'k', value: 'bob' }],
    ['PATCH', '/registered-models/update', { name: MODEL, description: 'bob was here' }],
    ['POST', '/model-versions/set-tag', { name: MODEL, version: '1', key: 'k', value: 'bob' }],
    ['PATCH', '/model-versions/update', { name: MODEL, version: '1', description: 'bob' }],
    ['POST', '/model-versions/transition-stage', { name: MODEL, version: '1', stage: 'None' }],
  ];
  const manages = () => [
    ['POST', '/registered-models/alias', { name: MODEL, alias: 'champion', version: '2' }],
    ['DELETE', '/registered-models/alias', { name: MODEL, alias: 'champion' }],
    ['DELETE', '/model-versions/delete', { name: MODEL, version: '1' }],
    ['POST', '/registered-models/rename', { name: MODEL, new_name: 'bob-took-it' }],
    ['DELETE', '/registered-models/delete', { name: MODEL }],
    [
      'POST',
      '/registered-models/permissions/create',
      { name: MODEL, username: 'bob', permission: 'MANAGE' },
    ],
  ];
  const replay = async (calls: unknown[][]): Promise<Reply[]> => {
    const replies: Reply[] = [];
    for (const [method, path, body] of calls) {
      replies.push(await call(world.BOB, method as string, path as string, body));
    }
    return replies;
  };
  const denied = async (calls: unknown[][]) => {
    for (const reply of await replay(calls)) refused(reply, [403], 'PERMISSION_DENIED');
  };
  const register = (who: Record<string, string>) =>
    call(who, 'POST', '/model-versions/create', {
      name: MODEL,
      source: `runs:/${world.rA}/model`,
      run_id: world.rA,
    });

  beforeAll(async () => {
    world = await createAuthWorld();
    ADMIN = basic('admin', world.adminPassword);
    ok(await call(world.ALICE, 'POST', '/registered-models/create', { name: MODEL }));
    ok(await register(world.ALICE));
    ok(await register(world.ALICE));
    ok(
      await call(world.ALICE, 'POST', '/registered-models/alias', {
        name: MODEL,
        alias: 'champion',
        version: '1',
      }),
    );
  });
  afterAll(async () => world?.close());

  it('the creator manages the model: her grant is MANAGE', async () => {
    const { registered_model_permission } = ok<{
      registered_model_permission: { name: string; user_id: string; permission: string };
    }>(
      await call(
        world.ALICE,
        'GET',
        `/registered-models/permissions/get?name=${MODEL}&username=alice`,
      ),
    );
    expect(registered_model_permission).toMatchObject({ name: MODEL, permission: 'MANAGE' });
  });

  it('without a grant Bob gets 403 on every read, write and delete, and searches skip the model', async () => {
    await denied([...reads(), ...edits(), ...manages()]);
    refused(await register(world.BOB), [403], 'PERMISSION_DENIED');
    expect(await names(world.BOB)).not.toContain(MODEL);
    expect(await versionNames(world.BOB)).not.toContain(MODEL);
    refused(
      await call(
        world.BOB,
        'GET',
        `/registered-models/permissions/get?name=${MODEL}&username=alice`,
      ),
      [403],
      'PERMISSION_DENIED',
    );
    const { registered_model } = ok<{ registered_model: { description?: string; tags?: unknown } }>(
      await call(world.ALICE, 'GET', `/registered-models/get?name=${MODEL}`),
    );
    expect(registered_model.description).toBeUndefined();
    expect(registered_model.tags).toBeUndefined();
  });

  it("Bob's own model is his to manage, but he cannot register Alice's run into it", async () => {
    ok(await call(world.BOB, 'POST', '/registered-models/create', { name: 'bob-model' }));
    expect(await names(world.BOB)).toEqual(['bob-model']);
    refused(
      await call(world.BOB, 'POST', '/model-versions/create', {
        name: 'bob-model',
        source: `runs:/${world.rA}/model`,
      }),
      [403],
      'PERMISSION_DENIED',
    );
    expect(await names(world.ALICE)).not.toContain('bob-model');
  });

  it('READ lets Bob view, not change', async () => {
    ok(await grant(MODEL, 'bob', 'READ'));
    for (const reply of await replay(reads())) ok(reply);
    expect(await names(world.BOB)).toContain(MODEL);
    expect(await versionNames(world.BOB)).toContain(MODEL);
    await denied([...edits(), ...manages()]);
    refused(await register(world.BOB), [403], 'PERMISSION_DENIED');
  });

  it("EDIT lets Bob update and tag; registering also needs READ on the run's experiment", async () => {
    ok(
      await call(world.ALICE, 'PATCH', '/registered-models/permissions/update', {
        name: MODEL,
        username: 'bob',
        permission: 'EDIT',
      }),
    );
    for (const reply of await replay(edits())) ok(reply);
    refused(await register(world.BOB), [403], 'PERMISSION_DENIED');
    await grantAt(world.bed.dbUri, 'bob', world.eA, 'READ');
    expect(ok<{ model_version: { version: string } }>(await register(world.BOB))).toMatchObject({
      model_version: { version: '3' },
    });
    await denied(manages());
  });

  it('MANAGE lets Bob move aliases; grants follow a rename', async () => {
    ok(await grant(MODEL, 'bob', 'MANAGE'));
    const [setAlias] = await replay([manages()[0]!]);
    ok(setAlias!);
    const renamed = `${MODEL}-v2`;
    ok(
      await call(world.BOB, 'POST', '/registered-models/rename', {
        name: MODEL,
        new_name: renamed,
      }),
    );
    for (const user of ['alice', 'bob']) {
      ok(
        await call(
          world.ALICE,
          'GET',
          `/registered-models/permissions/get?name=${renamed}&username=${user}`,
        ),
      );
    }
    refused(
      await call(ADMIN, 'GET', `/registered-models/permissions/get?name=${MODEL}&username=bob`),
      [404],
      'RESOURCE_DOES_NOT_EXIST',
    );
    ok(
      await call(world.BOB, 'POST', '/registered-models/rename', {
        name: renamed,
        new_name: MODEL,
      }),
    );
  });

  it('grants die with the model: a model created later under the name starts without them', async () => {
    ok(await call(world.BOB, 'DELETE', '/registered-models/delete', { name: MODEL }));
    ok(await call(ADMIN, 'POST', '/registered-models/create', { name: MODEL }));
    refused(await call(world.BOB, 'GET', `/registered-models/get?name=${MODEL}`), [403]);
    refused(await call(world.ALICE, 'GET', `/registered-models/get?name=${MODEL}`), [403]);
    // The admin created it: admins need no grant, and get none.
    refused(
      await call(ADMIN, 'GET', `/registered-models/permissions/get?name=${MODEL}&username=admin`),
      [404],
    );
  });

  it('the permission routes check their input and the grant they change', async () => {
    refused(await grant('bob-model', 'bob', 'MANAGE'), [403], 'PERMISSION_DENIED');
    const byBob = (body: unknown) =>
      call(world.BOB, 'POST', '/registered-models/permissions/create', body);
    refused(
      await byBob({ name: 'bob-model', username: 'nobody', permission: 'READ' }),
      [404],
      'RESOURCE_DOES_NOT_EXIST',
    );
    const bad = await byBob({ name: 'bob-model', username: 'alice', permission: 'OWNER' });
    refused(bad, [400], 'INVALID_PARAMETER_VALUE');
    expect(bad.body).toContain('OWNER');
    refused(
      await byBob({ name: 'bob-model', username: 'alice' }),
      [400],
      'INVALID_PARAMETER_VALUE',
    );
    refused(
      await byBob({ name: 'no-such-model', username: 'alice', permission: 'READ' }),
      [403, 404],
    );
    ok(await byBob({ name: 'bob-model', username: 'alice', permission: 'READ' }));
    expect(await names(world.ALICE)).toContain('bob-model');
    ok(
      await call(world.BOB, 'DELETE', '/registered-models/permissions/delete', {
        name: 'bob-model',
        username: 'alice',
      }),
    );
    expect(await names(world.ALICE)).not.toContain('bob-model');
    refused(
      await call(world.BOB, 'DELETE', '/registered-models/permissions/delete', {
        name: 'bob-model',
        username: 'alice',
      }),
      [404],
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('admins see and change every model', async () => {
    expect(await names(ADMIN)).toEqual(expect.arrayContaining([MODEL, 'bob-model']));
    ok(
      await call(ADMIN, 'POST', '/registered-models/set-tag', {
        name: 'bob-model',
        key: 'k',
        value: 'v',
      }),
    );
  });
});

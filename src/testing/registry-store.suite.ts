import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RegistryStore } from '../registry/index.js';
import { expectCode } from './expect-code.js';
import { versionAndAliasCases, type RegistrySuiteContext } from './registry-store-cases.js';

export interface RegistryStoreFixture {
  readonly store: RegistryStore;
  cleanup(): Promise<void>;
}

/**
 * The RegistryStore contract, written only against the interface. Every implementation runs it
 * (SQLite, PostgreSQL); see test/conformance/.
 */
export function registryStoreSuite(
  name: string,
  factory: () => Promise<RegistryStoreFixture>,
): void {
  describe(`RegistryStore conformance: ${name}`, () => {
    let fixture: RegistryStoreFixture;
    let store: RegistryStore;
    let seq = 0;
    const unique = (base: string) => `${base}-${Date.now()}-${seq++}`;
    const newModel = async (base = 'model') => {
      const model = await store.createRegisteredModel({ name: unique(base) });
      return model.name;
    };

    const ctx: RegistrySuiteContext = {
      store: undefined as unknown as RegistryStore,
      unique,
      newModel,
    };
    beforeAll(async () => {
      fixture = await factory();
      store = fixture.store;
      ctx.store = store;
    });
    afterAll(async () => {
      await fixture?.cleanup();
    });

    describe('registered models', () => {
      it('creates and gets a model with description and tags', async () => {
        const name = unique('goog');
        const created = await store.createRegisteredModel({
          name,
          description: 'LSTM forecaster',
          tags: [
            { key: 'team', value: 'quant' },
            { key: 'team', value: 'ml' },
          ],
        });
        expect(created).toMatchObject({
          name,
          description: 'LSTM forecaster',
          tags: { team: 'ml' },
          aliases: [],
        });
        expect(created.latestVersions).toBeUndefined();
        expect(created.creationTimestamp).toBeGreaterThan(0);
        expect(created.lastUpdatedTimestamp).toBe(created.creationTimestamp);
        expect(await store.getRegisteredModel(name)).toEqual(created);
      });

      it('refuses duplicate names, also under concurrency', async () => {
        const name = unique('dup');
        await store.createRegisteredModel({ name });
        await expectCode(store.createRegisteredModel({ name }), 'RESOURCE_ALREADY_EXISTS');
        const racer = unique('race');
        const results = await Promise.allSettled(
          [1, 2, 3, 4].map(() => store.createRegisteredModel({ name: racer })),
        );
        expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
        for (const r of results) {
          if (r.status === 'rejected') {
            expect((r.reason as { code?: string }).code).toBe('RESOURCE_ALREADY_EXISTS');
          }
        }
      });

      it('refuses bad names and tags', async () => {
        for (const bad of ['', '   ', 'a/b', 'x'.repeat(257)]) {
          await expectCode(store.createRegisteredModel({ name: bad }), 'INVALID_PARAMETER_VALUE');
        }
        await store.createRegisteredModel({ name: unique('x'.repeat(200)) });
        await expectCode(
          store.createRegisteredModel({
            name: unique('t'),
            tags: [{ key: 'k'.repeat(251), value: '' }],
          }),
          'INVALID_PARAMETER_VALUE',
        );
        await expectCode(
          store.createRegisteredModel({
            name: unique('t'),
            tags: [{ key: 'k', value: 'v'.repeat(5001) }],
          }),
          'INVALID_PARAMETER_VALUE',
        );
        await expectCode(
          store.createRegisteredModel({ name: unique('t'), tags: [{ key: 'bad:key', value: '' }] }),
          'INVALID_PARAMETER_VALUE',
        );
      });

      it('answers unknown models with RESOURCE_DOES_NOT_EXIST naming the model', async () => {
        const err = await expectCode(
          store.getRegisteredModel('no-such-model'),
          'RESOURCE_DOES_NOT_EXIST',
        );
        expect(err.message).toContain('no-such-model');
        await expectCode(
          store.updateRegisteredModel('no-such-model', { description: 'x' }),
          'RESOURCE_DOES_NOT_EXIST',
        );
        await expectCode(store.deleteRegisteredModel('no-such-model'), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(
          store.renameRegisteredModel('no-such-model', unique('n')),
          'RESOURCE_DOES_NOT_EXIST',
        );
        await expectCode(
          store.setRegisteredModelTag('no-such-model', 'k', 'v'),
          'RESOURCE_DOES_NOT_EXIST',
        );
        await expectCode(store.getLatestVersions('no-such-model'), 'RESOURCE_DOES_NOT_EXIST');
      });

      it('updates the description and bumps last-updated', async () => {
        const name = await newModel();
        const before = await store.getRegisteredModel(name);
        await new Promise((r) => setTimeout(r, 5));
        const after = await store.updateRegisteredModel(name, { description: 'new' });
        expect(after.description).toBe('new');
        expect(after.lastUpdatedTimestamp).toBeGreaterThan(before.lastUpdatedTimestamp);
        expect(after.creationTimestamp).toBe(before.creationTimestamp);
        expect((await store.updateRegisteredModel(name, {})).description).toBe('new');
      });

      it('sets, overwrites and deletes model tags', async () => {
        const name = await newModel();
        await store.setRegisteredModelTag(name, 'stage', 'dev');
        await store.setRegisteredModelTag(name, 'stage', 'prod');
        expect((await store.getRegisteredModel(name)).tags).toEqual({ stage: 'prod' });
        await store.deleteRegisteredModelTag(name, 'stage');
        expect((await store.getRegisteredModel(name)).tags).toEqual({});
        const err = await expectCode(
          store.deleteRegisteredModelTag(name, 'stage'),
          'RESOURCE_DOES_NOT_EXIST',
        );
        expect(err.message).toContain('stage');
        await expectCode(
          store.setRegisteredModelTag(name, 'k', 'v'.repeat(5001)),
          'INVALID_PARAMETER_VALUE',
        );
      });

      it('renames a model, keeping versions, tags and aliases', async () => {
        const name = await newModel('ren');
        await store.setRegisteredModelTag(name, 'team', 'quant');
        await store.createModelVersion({
          name,
          source: 's3://b/1',
          tags: [{ key: 'k', value: 'v' }],
        });
        await store.createModelVersion({ name, source: 's3://b/2' });
        await store.setAlias(name, 'champion', '1');
        const newName = unique('renamed');
        const renamed = await store.renameRegisteredModel(name, newName);
        expect(renamed).toMatchObject({
          name: newName,
          tags: { team: 'quant' },
          aliases: [{ alias: 'champion', version: '1' }],
        });
        await expectCode(store.getRegisteredModel(name), 'RESOURCE_DOES_NOT_EXIST');
        const v1 = await store.getModelVersion(newName, '1');
        expect(v1).toMatchObject({ name: newName, tags: { k: 'v' }, aliases: ['champion'] });
        expect((await store.getVersionByAlias(newName, 'champion')).version).toBe('1');
        // Numbering continues after the rename.
        expect(
          (await store.createModelVersion({ name: newName, source: 's3://b/3' })).version,
        ).toBe('3');
        const other = await newModel('taken');
        await expectCode(store.renameRegisteredModel(newName, other), 'RESOURCE_ALREADY_EXISTS');
        await expectCode(store.renameRegisteredModel(newName, 'a/b'), 'INVALID_PARAMETER_VALUE');
        expect((await store.renameRegisteredModel(newName, newName)).name).toBe(newName);
      });

      it('deletes a model with its versions, tags and aliases; the name is free again', async () => {
        const name = await newModel('del');
        await store.setRegisteredModelTag(name, 'a', 'b');
        await store.createModelVersion({
          name,
          source: 's3://b/1',
          tags: [{ key: 'k', value: 'v' }],
        });
        await store.setAlias(name, 'prod', '1');
        await store.deleteRegisteredModel(name);
        await expectCode(store.getRegisteredModel(name), 'RESOURCE_DOES_NOT_EXIST');
        await expectCode(store.getModelVersion(name, '1'), 'RESOURCE_DOES_NOT_EXIST');
        expect((await store.searchModelVersions({ filter: `name = '${name}'` })).items).toEqual([]);
        const again = await store.createRegisteredModel({ name });
        expect(again).toMatchObject({ tags: {}, aliases: [] });
        const v = await store.createModelVersion({ name, source: 's3://b/new' });
        expect(v).toMatchObject({ version: '1', tags: {}, aliases: [] });
      });
    });

    describe('search registered models', () => {
      it('filters by name =, LIKE and ILIKE, orders and pages', async () => {
        const prefix = unique('Srch').replace(/-/g, '_');
        const names = ['b', 'a', 'c', 'd', 'e'].map((s) => `${prefix}_${s}`);
        for (const n of names) await store.createRegisteredModel({ name: n });
        const other = await newModel('zzz');

        const eq = await store.searchRegisteredModels({ filter: `name = '${names[0]}'` });
        expect(eq.items.map((m) => m.name)).toEqual([names[0]]);
        expect(eq.nextPageToken).toBeUndefined();

        const like = await store.searchRegisteredModels({ filter: `name LIKE '${prefix}%'` });
        expect(like.items.map((m) => m.name)).toEqual([...names].sort());
        expect(like.items.map((m) => m.name)).not.toContain(other);

        const caseSensitive = await store.searchRegisteredModels({
          filter: `name LIKE '${prefix.toLowerCase()}%'`,
        });
        expect(caseSensitive.items).toEqual([]);
        const ilike = await store.searchRegisteredModels({
          filter: `name ILIKE '${prefix.toLowerCase()}%'`,
        });
        expect(ilike.items).toHaveLength(5);
        const underscore = await store.searchRegisteredModels({
          filter: `name like "${prefix}__"`,
        });
        expect(underscore.items).toHaveLength(5);
        const both = await store.searchRegisteredModels({
          filter: `name LIKE '${prefix}%' AND name = '${names[2]}'`,
        });
        expect(both.items.map((m) => m.name)).toEqual([names[2]]);

        const desc = await store.searchRegisteredModels({
          filter: `name LIKE '${prefix}%'`,
          orderBy: ['name DESC'],
        });
        expect(desc.items.map((m) => m.name)).toEqual([...names].sort().reverse());
        const byCreation = await store.searchRegisteredModels({
          filter: `name LIKE '${prefix}%'`,
          orderBy: ['creation_timestamp ASC'],
        });
        expect(byCreation.items.map((m) => m.name)).toHaveLength(5);

        const seen: string[] = [];
        let token: string | undefined;
        let pages = 0;
        do {
          const page = await store.searchRegisteredModels({
            filter: `name LIKE '${prefix}%'`,
            maxResults: 2,
            ...(token !== undefined ? { pageToken: token } : {}),
          });
          seen.push(...page.items.map((m) => m.name));
          token = page.nextPageToken;
          pages++;
        } while (token !== undefined);
        expect(pages).toBe(3);
        expect(seen).toEqual([...names].sort());
      });

      it('refuses other filters, orderings, page sizes and tokens', async () => {
        for (const filter of [
          "tags.team = 'x'",
          "name != 'x'",
          "name = 'x' OR name = 'y'",
          'name = x',
          "description LIKE 'x%'",
          "name = 'x' AND",
        ]) {
          const err = await expectCode(
            store.searchRegisteredModels({ filter }),
            'INVALID_PARAMETER_VALUE',
          );
          expect(err.message).toContain('filter');
        }
        await expectCode(
          store.searchRegisteredModels({ orderBy: ['tags.x'] }),
          'INVALID_PARAMETER_VALUE',
        );
        await expectCode(
          store.searchRegisteredModels({ maxResults: 0 }),
          'INVALID_PARAMETER_VALUE',
        );
        await expectCode(
          store.searchRegisteredModels({ maxResults: 1001 }),
          'INVALID_PARAMETER_VALUE',
        );
        await expectCode(
          store.searchRegisteredModels({ pageToken: 'garbage!' }),
          'INVALID_PARAMETER_VALUE',
        );
        expect(
          (await store.searchRegisteredModels({ maxResults: 1000 })).items.length,
        ).toBeLessThanOrEqual(1000);
      });
    });

    versionAndAliasCases(ctx);
  });
}

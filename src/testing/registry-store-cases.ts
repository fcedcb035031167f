import { describe, expect, it } from 'vitest';
import type { RegistryStore } from '../registry/index.js';
import { expectCode } from './expect-code.js';

/** What the shared cases need from the suite: the store (set in beforeAll) and two helpers. */
export interface RegistrySuiteContext {
  store: RegistryStore;
  unique(base: string): string;
  newModel(base?: string): Promise<string>;
}

/** Model versions, their search, and aliases: the second half of the RegistryStore contract. */
export function versionAndAliasCases(ctx: RegistrySuiteContext): void {
  describe('model versions', () => {
    it('creates versions 1, 2, ... with their fields', async () => {
      const name = await ctx.newModel('mv');
      const v1 = await ctx.store.createModelVersion({
        name,
        source: 'mlflow-artifacts:/1/abc/artifacts/model',
        runId: 'abc',
        description: 'first',
        tags: [{ key: 'k', value: 'v' }],
        packageHash: 'sha256:00ff',
      });
      expect(v1).toEqual({
        name,
        version: '1',
        creationTimestamp: v1.creationTimestamp,
        lastUpdatedTimestamp: v1.creationTimestamp,
        description: 'first',
        source: 'mlflow-artifacts:/1/abc/artifacts/model',
        runId: 'abc',
        status: 'READY',
        tags: { k: 'v' },
        aliases: [],
        packageHash: 'sha256:00ff',
        archived: false,
        currentStage: 'None',
      });
      const v2 = await ctx.store.createModelVersion({ name, source: 's3://b/2' });
      expect(v2.version).toBe('2');
      expect(v2.runId).toBeUndefined();
      expect(v2.description).toBeUndefined();
      expect(await ctx.store.getModelVersion(name, '1')).toEqual(v1);
      const model = await ctx.store.getRegisteredModel(name);
      expect(model.latestVersions?.map((v) => v.version)).toEqual(['2']);
      expect(model.lastUpdatedTimestamp).toBeGreaterThanOrEqual(v2.creationTimestamp);
    });

    it('hands out distinct versions to concurrent creators', async () => {
      const name = await ctx.newModel('conc');
      const created = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          ctx.store.createModelVersion({ name, source: `s3://b/${i}` }),
        ),
      );
      const versions = created.map((v) => Number(v.version)).sort((a, b) => a - b);
      expect(versions).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    });

    it('never reuses the number of a deleted version', async () => {
      const name = await ctx.newModel('reuse');
      await ctx.store.createModelVersion({ name, source: 's3://b/1' });
      await ctx.store.createModelVersion({ name, source: 's3://b/2' });
      await ctx.store.deleteModelVersion(name, '2');
      expect((await ctx.store.createModelVersion({ name, source: 's3://b/3' })).version).toBe('3');
    });

    it('refuses bad input and unknown models or versions', async () => {
      const name = await ctx.newModel('bad');
      await expectCode(
        ctx.store.createModelVersion({ name: 'no-such-model', source: 's' }),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await expectCode(
        ctx.store.createModelVersion({ name, source: '' }),
        'INVALID_PARAMETER_VALUE',
      );
      await expectCode(
        ctx.store.createModelVersion({ name, source: 's', tags: [{ key: '', value: 'v' }] }),
        'INVALID_PARAMETER_VALUE',
      );
      await ctx.store.createModelVersion({ name, source: 's' });
      const err = await expectCode(ctx.store.getModelVersion(name, '7'), 'RESOURCE_DOES_NOT_EXIST');
      expect(err.message).toContain('7');
      await expectCode(ctx.store.getModelVersion(name, 'one'), 'INVALID_PARAMETER_VALUE');
      await expectCode(ctx.store.getModelVersion(name, '0'), 'INVALID_PARAMETER_VALUE');
      await expectCode(ctx.store.getModelVersion('no-such-model', '1'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(
        ctx.store.updateModelVersion(name, '7', { description: 'x' }),
        'RESOURCE_DOES_NOT_EXIST',
      );
      await expectCode(ctx.store.deleteModelVersion(name, '7'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(ctx.store.archiveModelVersion(name, '7'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(
        ctx.store.setModelVersionTag(name, '7', 'k', 'v'),
        'RESOURCE_DOES_NOT_EXIST',
      );
    });

    it('updates the description of a version', async () => {
      const name = await ctx.newModel('upd');
      const v = await ctx.store.createModelVersion({ name, source: 's' });
      await new Promise((r) => setTimeout(r, 5));
      const updated = await ctx.store.updateModelVersion(name, '1', { description: 'better' });
      expect(updated.description).toBe('better');
      expect(updated.lastUpdatedTimestamp).toBeGreaterThan(v.lastUpdatedTimestamp);
    });

    it('sets, overwrites and deletes version tags', async () => {
      const name = await ctx.newModel('vtag');
      await ctx.store.createModelVersion({ name, source: 's' });
      await ctx.store.createModelVersion({ name, source: 's' });
      await ctx.store.setModelVersionTag(name, '1', 'k', 'a');
      await ctx.store.setModelVersionTag(name, '1', 'k', 'b');
      expect((await ctx.store.getModelVersion(name, '1')).tags).toEqual({ k: 'b' });
      expect((await ctx.store.getModelVersion(name, '2')).tags).toEqual({});
      await ctx.store.deleteModelVersionTag(name, '1', 'k');
      expect((await ctx.store.getModelVersion(name, '1')).tags).toEqual({});
      await expectCode(ctx.store.deleteModelVersionTag(name, '1', 'k'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(
        ctx.store.setModelVersionTag(name, '1', 'k', 'v'.repeat(5001)),
        'INVALID_PARAMETER_VALUE',
      );
      await expectCode(
        ctx.store.setModelVersionTag(name, '1', 'k'.repeat(251), 'v'),
        'INVALID_PARAMETER_VALUE',
      );
    });

    it('deletes a version with its tags and aliases', async () => {
      const name = await ctx.newModel('vdel');
      await ctx.store.createModelVersion({ name, source: 's', tags: [{ key: 'k', value: 'v' }] });
      await ctx.store.createModelVersion({ name, source: 's' });
      await ctx.store.setAlias(name, 'champ', '1');
      await ctx.store.setAlias(name, 'other', '2');
      await ctx.store.deleteModelVersion(name, '1');
      await expectCode(ctx.store.getModelVersion(name, '1'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(ctx.store.getVersionByAlias(name, 'champ'), 'RESOURCE_DOES_NOT_EXIST');
      expect((await ctx.store.getRegisteredModel(name)).aliases).toEqual([
        { alias: 'other', version: '2' },
      ]);
    });

    it('archives and restores, and latest versions skip archived ones', async () => {
      const name = await ctx.newModel('arch');
      expect(await ctx.store.getLatestVersions(name)).toEqual([]);
      await ctx.store.createModelVersion({ name, source: 's' });
      await ctx.store.createModelVersion({ name, source: 's' });
      expect((await ctx.store.getLatestVersions(name)).map((v) => v.version)).toEqual(['2']);
      const archived = await ctx.store.archiveModelVersion(name, '2');
      expect(archived).toMatchObject({ archived: true, currentStage: 'Archived' });
      expect((await ctx.store.getLatestVersions(name)).map((v) => v.version)).toEqual(['1']);
      expect(
        (await ctx.store.getRegisteredModel(name)).latestVersions?.map((v) => v.version),
      ).toEqual(['1']);
      await ctx.store.archiveModelVersion(name, '1');
      expect(await ctx.store.getLatestVersions(name)).toEqual([]);
      expect((await ctx.store.getRegisteredModel(name)).latestVersions).toBeUndefined();
      const restored = await ctx.store.restoreModelVersion(name, '2');
      expect(restored).toMatchObject({ archived: false, currentStage: 'None' });
      expect((await ctx.store.getLatestVersions(name)).map((v) => v.version)).toEqual(['2']);
    });
  });

  describe('search model versions', () => {
    it('filters by name and run_id, and pages', async () => {
      const name = await ctx.newModel('svs');
      const other = await ctx.newModel('svs-other');
      const runId = ctx.unique('run');
      for (let i = 0; i < 5; i++) {
        await ctx.store.createModelVersion({
          name,
          source: `s${i}`,
          ...(i % 2 === 0 ? { runId } : {}),
        });
      }
      await ctx.store.createModelVersion({ name: other, source: 'x', runId });

      const all = await ctx.store.searchModelVersions({ filter: `name = '${name}'` });
      expect(all.items.map((v) => v.version)).toEqual(['5', '4', '3', '2', '1']);
      const byRun = await ctx.store.searchModelVersions({ filter: `run_id = '${runId}'` });
      expect(byRun.items.map((v) => `${v.name}:${v.version}`).sort()).toEqual(
        [`${name}:1`, `${name}:3`, `${name}:5`, `${other}:1`].sort(),
      );
      const both = await ctx.store.searchModelVersions({
        filter: `name = '${name}' AND run_id = '${runId}'`,
      });
      expect(both.items.map((v) => v.version)).toEqual(['5', '3', '1']);

      const seen: string[] = [];
      let token: string | undefined;
      do {
        const page = await ctx.store.searchModelVersions({
          filter: `name = '${name}'`,
          maxResults: 2,
          ...(token !== undefined ? { pageToken: token } : {}),
        });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((v) => v.version));
        token = page.nextPageToken;
      } while (token !== undefined);
      expect(seen).toEqual(['5', '4', '3', '2', '1']);
    });

    it('refuses other filters and page sizes', async () => {
      for (const filter of [
        "name LIKE 'x%'",
        "source_path = 'x'",
        "tags.k = 'v'",
        "run_id != 'x'",
      ]) {
        await expectCode(ctx.store.searchModelVersions({ filter }), 'INVALID_PARAMETER_VALUE');
      }
      await expectCode(
        ctx.store.searchModelVersions({ maxResults: 200_001 }),
        'INVALID_PARAMETER_VALUE',
      );
      await expectCode(ctx.store.searchModelVersions({ maxResults: 0 }), 'INVALID_PARAMETER_VALUE');
    });
  });

  describe('aliases', () => {
    it('sets, moves, resolves and deletes aliases', async () => {
      const name = await ctx.newModel('alias');
      await ctx.store.createModelVersion({ name, source: 's' });
      await ctx.store.createModelVersion({ name, source: 's' });
      await ctx.store.setAlias(name, 'champion', '1');
      await ctx.store.setAlias(name, 'challenger', '2');
      expect((await ctx.store.getVersionByAlias(name, 'champion')).version).toBe('1');
      expect((await ctx.store.getRegisteredModel(name)).aliases).toEqual([
        { alias: 'challenger', version: '2' },
        { alias: 'champion', version: '1' },
      ]);
      await ctx.store.setAlias(name, 'champion', '2');
      const v2 = await ctx.store.getVersionByAlias(name, 'champion');
      expect(v2.version).toBe('2');
      expect(v2.aliases).toEqual(['challenger', 'champion']);
      expect((await ctx.store.getModelVersion(name, '1')).aliases).toEqual([]);
      await ctx.store.deleteAlias(name, 'champion');
      const err = await expectCode(
        ctx.store.getVersionByAlias(name, 'champion'),
        'RESOURCE_DOES_NOT_EXIST',
      );
      expect(err.message).toContain('champion');
      await expectCode(ctx.store.deleteAlias(name, 'champion'), 'RESOURCE_DOES_NOT_EXIST');
    });

    it('refuses reserved and malformed aliases and unknown targets', async () => {
      const name = await ctx.newModel('alias-bad');
      await ctx.store.createModelVersion({ name, source: 's' });
      for (const alias of [
        '',
        'latest',
        'LaTeSt',
        'v1',
        'V42',
        'has space',
        'a/b',
        'x'.repeat(256),
      ]) {
        const err = await expectCode(
          ctx.store.setAlias(name, alias, '1'),
          'INVALID_PARAMETER_VALUE',
        );
        expect(err.message.toLowerCase()).toContain('alias');
      }
      await ctx.store.setAlias(name, 'x'.repeat(255), '1');
      await ctx.store.setAlias(name, 'v1-candidate', '1');
      await ctx.store.setAlias(name, 'version', '1');
      await expectCode(ctx.store.setAlias(name, 'prod', '9'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(ctx.store.setAlias('no-such-model', 'prod', '1'), 'RESOURCE_DOES_NOT_EXIST');
      await expectCode(
        ctx.store.getVersionByAlias('no-such-model', 'prod'),
        'RESOURCE_DOES_NOT_EXIST',
      );
    });
  });
}

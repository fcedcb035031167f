import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { collectGarbage } from '../blobs/index.js';
import { connect } from './connect.js';
import { gcRoots } from './gc-roots.js';

describe('gc roots from tracking', () => {
  let dir: string;
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('keeps every run artifact and deletes only unreferenced blobs', async () => {
    dir = await mkdtemp(join(tmpdir(), 'mlops-gc-'));
    const client = await connect(undefined, { cwd: dir });
    try {
      await writeFile(join(dir, 'model.json'), '{"units":50}');
      const runId = await client.withRun({ cwd: dir }, async (run) => {
        await run.logArtifact(join(dir, 'model.json'), 'model');
        return run.id;
      });
      const orphan = await client.blobs.put(new TextEncoder().encode('nobody refers to me'));
      const dry = await collectGarbage(client.blobs, gcRoots(client), { dryRun: true });
      expect(dry.deleted).toBe(1);
      expect(await client.blobs.has(orphan)).toBe(true);
      const report = await collectGarbage(client.blobs, gcRoots(client));
      expect(report).toMatchObject({
        deleted: 1,
        kept: 2,
        roots: { 'tracking: run artifacts': 1 },
      });
      expect(await client.blobs.has(orphan)).toBe(false);
      const out = await client.downloadArtifacts(runId, 'model', join(dir, 'out'));
      expect(await readFile(join(out, 'model.json'), 'utf8')).toBe('{"units":50}');
    } finally {
      await client.close();
    }
  });
});

import { access, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalBlobStore } from '../../src/blobs/index.js';
import { DIST_INDEX, mlops, runNode, tempWorkspace } from './cli-harness.js';
import { blobsOfFile, flipByte, git, readPointerIds } from './data-harness.js';

const V1 = 'Date,Close\n2023-01-03,89.7\n2023-01-04,88.7\n';
const V2 = V1 + '2023-01-05,86.8\n2023-01-06,87.1\n2023-01-09,88.0\n';

/** Logs a run with an artifact and a lineage edge from dataset version argv[2] to the run. */
const TRAIN = `
  const { connect } = await import(${JSON.stringify(DIST_INDEX)});
  const { writeFile } = await import('node:fs/promises');
  await writeFile('model.json', '{"units":50}');
  const client = await connect();
  const runId = await client.withRun({}, async (run) => {
    await run.logArtifact(process.cwd() + '/model.json', 'model');
    return run.id;
  });
  await client.lineage.record([
    { src: { type: 'dataset', id: 'data/prices.csv@' + process.argv[2] }, dst: { type: 'run', id: runId }, relation: 'input' },
  ]);
  await client.close();
  console.log(runId);`;

describe('mlops data log | diff | gc | verify (built CLI)', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let v1: { sha256: string; manifest: string };
  let v2: { sha256: string; manifest: string };
  let runId: string;
  beforeAll(async () => ({ dir, cleanup } = await tempWorkspace()));
  afterAll(() => cleanup());

  const csv = () => join(dir, 'data', 'prices.csv');
  const ok = async (...args: string[]) => {
    const out = await mlops(dir, ...args);
    expect(out.code, out.stderr).toBe(0);
    return out.stdout;
  };
  const json = async <T>(...args: string[]) => JSON.parse(await ok(...args, '--json')) as T;
  const blobFile = (h: string) => join(dir, '.mlops', 'blobs', h.slice(0, 2), h.slice(2));
  const exists = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );
  const pointer = () => readPointerIds(`${csv()}.mlops`);
  /** A stored file's manifest id, then its chunk hashes. */
  const blobsOf = (manifest: string) =>
    blobsOfFile(new LocalBlobStore(join(dir, '.mlops', 'blobs')), manifest);

  it('shows only the working-tree version outside git, and says so', async () => {
    await mkdir(join(dir, 'data'), { recursive: true });
    await writeFile(csv(), V1);
    await ok('data', 'add', 'data/prices.csv');
    v1 = await pointer();
    const log = await json<{ git: boolean; note: string; versions: unknown[] }>(
      'data',
      'log',
      'data/prices.csv',
    );
    expect(log.git).toBe(false);
    expect(log.versions).toMatchObject([{ change: 'uncommitted', sha256: v1.sha256 }]);
    expect(await ok('data', 'log', 'data/prices.csv')).toContain('not in a git repository');
  });

  it('logs two committed versions with dates, sizes and the runs that used them', async () => {
    git(dir, 'init', '-q');
    await writeFile(join(dir, '.gitignore'), '/.mlops/\n/model.json\n/data/prices.csv\n');
    git(dir, 'add', '.gitignore', 'data/prices.csv.mlops');
    git(dir, 'commit', '-q', '-m', 'data v1');
    await writeFile(csv(), V2);
    await ok('data', 'add', 'data/prices.csv');
    v2 = await pointer();
    git(dir, 'add', 'data/prices.csv.mlops');
    git(dir, 'commit', '-q', '-m', 'data v2');
    await writeFile(join(dir, 'train.mjs'), TRAIN);
    const train = await runNode(['train.mjs', v1.sha256], dir);
    expect(train.code, train.stderr).toBe(0);
    runId = train.stdout.trim();

    const log = await json<{ versions: Record<string, unknown>[] }>(
      'data',
      'log',
      'data/prices.csv',
    );
    expect(log.versions).toMatchObject([
      { change: 'modified', subject: 'data v2', sha256: v2.sha256, size: V2.length, runs: [] },
      { change: 'added', subject: 'data v1', sha256: v1.sha256, size: V1.length, runs: [runId] },
    ]);
    for (const v of log.versions) expect(v['date']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);

    const text = await ok('data', 'log', 'data/prices.csv');
    expect(text).toContain('data/prices.csv: 2 versions');
    expect(text).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d.*modified\s+[0-9a-f]{12}\s+\d+/);
    expect(text).toMatch(
      new RegExp(`added\\s+${v1.sha256.slice(0, 12)}\\s+${V1.length}.*${runId}`),
    );
  });

  it('diffs the two versions: bytes before and after, and rows appended', async () => {
    const diff = await json<{ entries: Record<string, unknown>[] }>(
      'data',
      'diff',
      'HEAD~1',
      'HEAD',
    );
    expect(diff.entries).toEqual([
      expect.objectContaining({
        path: 'data/prices.csv',
        status: 'modified',
        sizeBefore: V1.length,
        sizeAfter: V2.length,
        rows: { kind: 'append', linesBefore: 3, linesAfter: 6, rowsAdded: 3, rowsRemoved: 0 },
      }),
    ]);
    const text = await ok('data', 'diff', 'HEAD~1');
    expect(text).toMatch(/Comparing HEAD~1 \([0-9a-f]{12}\) with working tree/);
    expect(text).toMatch(/data\/prices\.csv\s+modified\s+\d+\s+\d+\s+\+3 rows \(appended\)/);
    const same = await json<{ entries: Record<string, unknown>[] }>('data', 'diff', 'HEAD');
    expect(same.entries).toMatchObject([{ status: 'unchanged' }]);

    const bad = await mlops(dir, 'data', 'diff', 'no-such-rev');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('no-such-rev');
  });

  it('gc keeps what a listed revision names, deletes it otherwise, and keeps run artifacts', async () => {
    const v1Blobs = await blobsOf(v1.manifest);
    const v2Blobs = await blobsOf(v2.manifest);
    const unique = v1Blobs.filter((h) => !v2Blobs.includes(h));
    expect(unique.length).toBeGreaterThan(0);

    const dry = await json<{ dryRun: boolean; deleted: number }>('data', 'gc', '--dry-run');
    expect(dry).toMatchObject({ dryRun: true, deleted: unique.length });
    const kept = await json<{ deleted: number; roots: Record<string, number> }>(
      'data',
      'gc',
      '--rev',
      'HEAD~1',
    );
    expect(kept.deleted).toBe(0);
    expect(kept.roots).toMatchObject({
      'tracking: run artifacts': 1,
      'data: pointers in the working tree': 1,
      'data: pointers at git revisions': 1,
    });
    for (const h of unique) expect(await exists(blobFile(h))).toBe(true);

    const swept = await ok('data', 'gc');
    expect(swept).toMatch(new RegExp(`Deleted ${unique.length} blobs \\(\\d+ B freed\\)`));
    for (const h of unique) expect(await exists(blobFile(h))).toBe(false);
    for (const h of v2Blobs) expect(await exists(blobFile(h))).toBe(true);

    const back = await mlops(dir, 'data', 'checkout', 'data/prices.csv', '--rev', 'HEAD~1');
    expect(back.code).toBe(3);
    expect(back.stderr).toContain('BLOB_NOT_FOUND');
    expect(await readFile(csv(), 'utf8')).toBe(V2);

    await ok('artifacts', 'download', runId, 'model', '-d', join(dir, 'out'));
    expect(await readFile(join(dir, 'out', 'model', 'model.json'), 'utf8')).toBe('{"units":50}');
    const log = await json<{ versions: { cached: boolean }[] }>('data', 'log', 'data/prices.csv');
    expect(log.versions.map((v) => v.cached)).toEqual([true, false]);
  });

  it('verify passes on an intact store and detects a flipped byte in a chunk', async () => {
    expect(await ok('data', 'verify')).toContain('Every blob is intact');
    const [, chunk = ''] = await blobsOf(v2.manifest);
    const original = await flipByte(blobFile(chunk), 7);

    const out = await mlops(dir, 'data', 'verify');
    expect(out.code).toBe(6);
    expect(out.stderr).toContain('BLOB_CORRUPT');
    expect(out.stdout).toContain(chunk);
    expect(out.stdout).toMatch(/data\/prices\.csv\s+chunk\s+corrupt/);
    const report = await mlops(dir, 'data', 'verify', '--json');
    expect(report.code).toBe(6);
    expect(JSON.parse(report.stdout)).toMatchObject({ ok: false, corrupt: [chunk] });

    await writeFile(blobFile(chunk), original);
    expect((await mlops(dir, 'data', 'verify')).code).toBe(0);
  });

  it('shows examples in help', async () => {
    const help = await ok('data', 'gc', '--help');
    expect(help).toContain('--rev <rev>');
    expect(help).toContain('--all-commits');
    expect(help).toContain('mlops data gc --rev v1.0 --rev main');
  });
});

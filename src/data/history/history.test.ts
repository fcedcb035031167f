import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalBlobStore, readManifest } from '../../blobs/index.js';
import type { LineageEdge, LineageStore, NodeRef } from '../../lineage/index.js';
import { expectCode, runGit } from '../../testing/index.js';
import { addData } from '../add-data.js';
import type { DataContext } from '../data-context.js';
import { readPointerFile } from '../pointer.js';
import { diffData } from './data-diff.js';
import { dataLog } from './data-log.js';
import { datasetNodeIds, lineageRunLookup } from './dataset-runs.js';
import { dataRevisionRoots } from './revision-roots.js';
import { verifyData } from './verify-data.js';

const V1 = 'Date,Close\n2023-01-03,89.7\n2023-01-04,88.7\n';
const V2 = V1 + '2023-01-05,86.8\n2023-01-06,87.1\n';

/** Edges from dataset nodes, answered from a list (the only query `lineageRunLookup` makes). */
function fakeLineage(edges: readonly { from: string; run: string; at: number }[]): LineageStore {
  const asEdge = (e: { from: string; run: string; at: number }): LineageEdge => ({
    src: { type: 'dataset', id: e.from },
    dst: { type: 'run', id: e.run },
    relation: 'input',
    attrs: {},
    createdAt: e.at,
  });
  return {
    record: () => Promise.resolve(),
    edgesFrom: (node: NodeRef) =>
      Promise.resolve(
        edges.filter((e) => node.type === 'dataset' && e.from === node.id).map(asEdge),
      ),
    edgesTo: () => Promise.resolve([]),
    neighborhood: (node: NodeRef) => Promise.resolve({ nodes: [node], edges: [] }),
  };
}

describe('data history in a git repository', () => {
  let root: string;
  let blobs: LocalBlobStore;
  let ctx: DataContext;
  const git = (...args: string[]) => runGit(root, ...args);
  const csv = () => join(root, 'data', 'prices.csv');
  const sha = async (rel: string) =>
    (await readPointerFile(join(root, `${rel}.mlops`), rel)).sha256;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'mlops-data-history-'));
    blobs = new LocalBlobStore(join(root, '.mlops', 'blobs'));
    ctx = { root, stateDir: join(root, '.mlops'), blobs };
    await mkdir(join(root, 'data', 'images'), { recursive: true });
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** v1: prices.csv and images/ (a.bin, b.bin); v2: rows appended, b.bin changed, c.bin added. */
  async function twoVersions(): Promise<void> {
    git('init', '-q');
    await writeFile(join(root, '.gitignore'), '/.mlops/\n');
    await writeFile(csv(), V1);
    await writeFile(join(root, 'data/images/a.bin'), 'aaa');
    await writeFile(join(root, 'data/images/b.bin'), 'bbb');
    await addData(ctx, ['data/prices.csv', 'data/images']);
    git('add', '-A');
    git('commit', '-q', '-m', 'data v1');
    await writeFile(csv(), V2);
    await writeFile(join(root, 'data/images/b.bin'), 'BBB');
    await writeFile(join(root, 'data/images/c.bin'), 'ccc');
    await addData(ctx, ['data/prices.csv', 'data/images']);
    git('add', '-A');
    git('commit', '-q', '-m', 'data v2');
  }

  it('logs the committed versions newest first, then an uncommitted one, with runs', async () => {
    await twoVersions();
    const v2 = await sha('data/prices.csv');
    await writeFile(csv(), V2 + '2023-01-09,88.0\n');
    await addData(ctx, ['data/prices.csv']);
    const v3 = await sha('data/prices.csv');
    const v1 = (await dataLog(ctx, 'data/prices.csv')).versions[2]?.sha256 ?? '';
    const lineage = fakeLineage([
      { from: `data/prices.csv@${v1}`, run: 'run-b', at: 2 },
      { from: `prices.csv@${v1}`, run: 'run-a', at: 1 },
      { from: `other.csv@${v1}`, run: 'run-x', at: 0 },
      { from: `data/prices.csv@${v2}`, run: 'run-c', at: 3 },
    ]);
    const log = await dataLog(ctx, 'data/prices.csv.mlops', {
      runsUsing: lineageRunLookup(lineage, root),
    });
    expect(log.git).toBe(true);
    expect(log.versions.map((v) => [v.change, v.subject, v.size, v.runs])).toEqual([
      ['uncommitted', null, Buffer.byteLength(V2) + 16, []],
      ['modified', 'data v2', Buffer.byteLength(V2), ['run-c']],
      ['added', 'data v1', Buffer.byteLength(V1), ['run-a', 'run-b']],
    ]);
    expect(log.versions[0]).toMatchObject({ sha256: v3, commit: null, cached: true });
    expect(log.versions[1]).toMatchObject({ author: 'Ada <ada@example.com>', cached: true });
    expect(log.versions[1]?.date).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    expect(log.versions[1]?.commit).toBe(git('rev-parse', 'HEAD').trim());

    const dir = await dataLog(ctx, 'data/images');
    expect(dir.versions.map((v) => [v.change, v.files])).toEqual([
      ['modified', 3],
      ['added', 2],
    ]);
  });

  it('shows a removal, and refuses a path that was never versioned', async () => {
    await twoVersions();
    git('rm', '-q', 'data/prices.csv.mlops');
    git('commit', '-q', '-m', 'drop prices');
    const log = await dataLog(ctx, 'data/prices.csv');
    expect(log.versions.map((v) => [v.change, v.sha256 === null])).toEqual([
      ['removed', true],
      ['modified', false],
      ['added', false],
    ]);
    await expectCode(dataLog(ctx, 'data/nothing.csv'), 'RESOURCE_DOES_NOT_EXIST');
  });

  it('shows only the working-tree version outside git, and says so', async () => {
    await writeFile(csv(), V1);
    await addData(ctx, ['data/prices.csv']);
    const log = await dataLog(ctx, 'data/prices.csv');
    expect(log.git).toBe(false);
    expect(log.note).toContain('not in a git repository');
    expect(log.versions).toMatchObject([{ change: 'uncommitted', size: Buffer.byteLength(V1) }]);
  });

  it('diffs two revisions and a revision against the working tree', async () => {
    await twoVersions();
    const diff = await diffData(ctx, 'HEAD~1', 'HEAD');
    expect(diff.from.commit).toBe(git('rev-parse', 'HEAD~1').trim());
    expect(diff.entries).toMatchObject([
      {
        path: 'data/images',
        status: 'modified',
        kind: 'directory',
        filesBefore: 2,
        filesAfter: 3,
        fileChanges: { added: ['c.bin'], removed: [], changed: ['b.bin'], unchanged: 1 },
      },
      {
        path: 'data/prices.csv',
        status: 'modified',
        sizeBefore: Buffer.byteLength(V1),
        sizeAfter: Buffer.byteLength(V2),
        rows: { kind: 'append', rowsAdded: 2, rowsRemoved: 0 },
      },
    ]);

    await writeFile(join(root, 'data/new.csv'), 'x\n');
    await addData(ctx, ['data/new.csv']);
    await rm(join(root, 'data/images.mlops'));
    const work = await diffData(ctx, 'HEAD');
    expect(work.to).toEqual({ rev: 'working tree', commit: null });
    expect(work.entries.map((e) => [e.path, e.status])).toEqual([
      ['data/images', 'removed'],
      ['data/new.csv', 'added'],
      ['data/prices.csv', 'unchanged'],
    ]);
    await expectCode(diffData(ctx, 'no-such-branch'), 'INVALID_PARAMETER_VALUE');
  });

  it('says when the bytes to count rows are not in the local cache', async () => {
    await twoVersions();
    const old = await readPointerFile(join(root, 'data/prices.csv.mlops'), 'p');
    await blobs.delete(old.manifest);
    const diff = await diffData(ctx, 'HEAD~1', 'HEAD');
    expect(diff.entries[1]).toMatchObject({
      status: 'modified',
      note: 'bytes not in the local cache',
    });
    expect(diff.entries[1]?.rows).toBeUndefined();
  });

  it('refuses diff outside git', async () => {
    await expectCode(diffData(ctx, 'HEAD'), 'INVALID_STATE');
  });

  it('yields the roots of listed revisions and of every commit', async () => {
    await twoVersions();
    const v1 = await collect(dataRevisionRoots(root, blobs, { revs: ['HEAD~1'] }));
    const v2 = await collect(dataRevisionRoots(root, blobs, { revs: ['HEAD'] }));
    // prices manifest + listing manifest + two file manifests.
    expect(v1).toHaveLength(4);
    expect(v2).toHaveLength(5);
    git('checkout', '-q', '-b', 'side');
    await writeFile(csv(), 'side\n');
    await addData(ctx, ['data/prices.csv']);
    git('commit', '-q', '-am', 'side');
    const side = (await readPointerFile(join(root, 'data/prices.csv.mlops'), 'p')).manifest;
    git('checkout', '-q', '-');
    const all = new Set(await collect(dataRevisionRoots(root, blobs, { allCommits: true })));
    for (const r of [...v1, ...v2, side]) expect(all.has(r)).toBe(true);
    expect(await collect(dataRevisionRoots(root, blobs, {}))).toEqual([]);
    await expectCode(
      collect(dataRevisionRoots(root, blobs, { revs: ['nope'] })),
      'INVALID_PARAMETER_VALUE',
    );
  });

  it('verify finds a flipped chunk byte, a missing chunk and an invalid pointer', async () => {
    await writeFile(csv(), V1);
    await writeFile(join(root, 'data/images/a.bin'), 'aaa');
    await addData(ctx, ['data/prices.csv', 'data/images']);
    expect(await verifyData(ctx)).toMatchObject({ ok: true, pointers: 2, problems: [] });

    const pointer = await readPointerFile(join(root, 'data/prices.csv.mlops'), 'p');
    const chunk = (await readManifest(blobs, pointer.manifest)).chunks[0]?.hash ?? '';
    const bytes = await readFile(blobs.pathOf(chunk));
    bytes[3] = (bytes[3] ?? 0) ^ 0x01;
    await writeFile(blobs.pathOf(chunk), bytes);
    const corrupt = await verifyData(ctx);
    expect(corrupt.ok).toBe(false);
    expect(corrupt.corrupt).toEqual([chunk]);
    expect(corrupt.problems).toEqual([
      { path: 'data/prices.csv', what: 'chunk', problem: 'corrupt', hash: chunk },
    ]);

    await rm(blobs.pathOf(chunk));
    await writeFile(join(root, 'data/x.csv.mlops'), 'mlops: [\n');
    const missing = await verifyData(ctx);
    expect(missing.corrupt).toEqual([]);
    expect(missing.problems).toMatchObject([
      { path: 'data/prices.csv', what: 'chunk', problem: 'missing', hash: chunk },
      { path: 'data/x.csv', what: 'pointer', problem: 'invalid' },
    ]);
  });
});

describe('datasetNodeIds', () => {
  it('lists every trailing part of the absolute path, shortest first', () => {
    expect(datasetNodeIds('/work/ws', 'data/prices.csv', 'abc')).toEqual([
      'prices.csv@abc',
      'data/prices.csv@abc',
      'ws/data/prices.csv@abc',
      'work/ws/data/prices.csv@abc',
    ]);
  });
});

async function collect(roots: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const r of roots) out.push(r);
  return out;
}

// Acceptance: the CLI works unchanged against `mlops server` (MLOPS_TRACKING_URI=http://...), with
// SQLite and PostgreSQL behind it and artifact bytes on an S3-compatible server (s3rver) or in a
// directory. Runs are created by the CLI itself (`mlops forecast train`) and by the built SDK in a
// child script, as a user's training code would; everything is read back with the CLI. The client
// workspace must stay empty: no .mlops/mlops.db, no .mlops/blobs.
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  freshPostgresUrl,
  postgresUnavailable,
  startS3Server,
  type S3TestServer,
} from '../../src/testing/index.js';
import { DIST_INDEX, runNode, tempWorkspace, type Result } from './cli-harness.js';
import { mlopsWith, pricesCsv, startMlopsServer, type ServerProcess } from './server-harness.js';

const TIMEOUT = 120_000;
const pgSkip = await postgresUnavailable();

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const blobTail = (hash: string) => `${hash.slice(0, 2)}/${hash.slice(2)}`;

/** The SDK half: the built package, configured only by MLOPS_TRACKING_URI. */
const LOG_KNOWN_RUN = `
const { connect, withRun } = await import(${JSON.stringify(DIST_INDEX)});
const client = await connect();
const id = await withRun(client, { experiment: 'remote-exp', name: 'known', tags: { model: 'lstm-50' } }, async (run) => {
  await run.logParams({ units: 50, window: 60 });
  for (let epoch = 0; epoch < 5; epoch++) run.logMetric('loss', 1 / (epoch + 1), epoch);
  run.logMetric('rmse', 2.9);
  await run.logArtifact('bundle');
  return run.id;
});
await client.close();
console.log(JSON.stringify({ id }));
`;

/** The SDK with MLOPS_ARTIFACT_URI=s3://...: metadata through the server, bytes to the bucket. */
const LOG_DIRECT = `
const { connect, withRun } = await import(${JSON.stringify(DIST_INDEX)});
const client = await connect();
const id = await withRun(client, { experiment: 'direct-exp' }, async (run) => {
  await run.logArtifact('direct.bin');
  return run.id;
});
await client.close();
console.log(JSON.stringify({ id }));
`;

interface Combo {
  readonly name: string;
  readonly skip: boolean;
  readonly s3: boolean;
  readonly backend: (serverDir: string) => { uri: string; drop(): Promise<void> };
}

const COMBOS: readonly Combo[] = [
  {
    name: 'SQLite, artifacts on S3 (s3rver)',
    skip: false,
    s3: true,
    backend: (dir) => ({ uri: `sqlite:${join(dir, 'mlops.db')}`, drop: async () => {} }),
  },
  {
    name: 'PostgreSQL, artifacts in a directory',
    skip: pgSkip !== undefined,
    s3: false,
    backend: () => {
      const pg = freshPostgresUrl('server_remote_cli');
      return { uri: pg.url, drop: () => pg.drop() };
    },
  },
];

interface RunJson {
  run: {
    info: { runId: string; runName: string; status: string; experimentId: string };
    data: {
      params: Record<string, string>;
      metrics: { key: string; value: number }[];
      tags: Record<string, string>;
    };
  };
  artifacts: { path: string; manifestId: string; size: number }[];
}

for (const combo of COMBOS) {
  describe.skipIf(combo.skip)(
    `the CLI against mlops server: ${combo.name}`,
    { timeout: TIMEOUT },
    () => remoteCliSuite(combo),
  );
}

function remoteCliSuite(combo: Combo): void {
  let root: string;
  let ws: string;
  let serverDir: string;
  let artifactsDir: string;
  let cleanup: () => Promise<void>;
  let s3: S3TestServer | undefined;
  let db: { uri: string; drop(): Promise<void> };
  let server: ServerProcess;
  let env: Record<string, string>;
  let trainedRun: string;
  let knownRun: string;
  const small = Buffer.from(JSON.stringify({ units: 50, note: 'small file, one chunk' }));
  const big = randomBytes(700_000); // several content-defined chunks

  const cli = (...args: string[]): Promise<Result> => mlopsWith(ws, env, ...args);
  const ok = async (...args: string[]): Promise<Result> => {
    const out = await cli(...args);
    expect(out.code, `mlops ${args.join(' ')}: ${out.stderr}`).toBe(0);
    return out;
  };
  const json = async <T>(...args: string[]): Promise<T> =>
    JSON.parse((await ok(...args, '--json')).stdout) as T;

  beforeAll(async () => {
    const temp = await tempWorkspace();
    root = await realpath(temp.dir);
    ws = join(root, 'ws');
    serverDir = join(root, 'server');
    artifactsDir = join(serverDir, 'artifacts');
    await mkdir(ws);
    await mkdir(serverDir);
    db = combo.backend(serverDir);
    let serverEnv: Record<string, string> = {};
    let destination = artifactsDir;
    if (combo.s3) {
      s3 = await startS3Server();
      destination = `s3://${s3.bucket}/artifacts`;
      serverEnv = {
        ...s3.env,
        MLOPS_S3_ENDPOINT_URL: s3.endpoint,
        AWS_EC2_METADATA_DISABLED: 'true',
      };
    }
    cleanup = async () => {
      await server?.stop();
      await s3?.stop();
      await db.drop();
      await temp.cleanup();
    };
    server = await startMlopsServer(
      ['--backend-store-uri', db.uri, '--artifacts-destination', destination],
      serverDir,
      serverEnv,
    );
    // The client knows the server only: no database, no bucket, no credentials.
    env = { MLOPS_TRACKING_URI: server.url, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };
    await writeFile(join(ws, 'prices.csv'), pricesCsv());
    await mkdir(join(ws, 'bundle', 'weights'), { recursive: true });
    await writeFile(join(ws, 'bundle', 'config.json'), small);
    await writeFile(join(ws, 'bundle', 'weights', 'big.bin'), big);
    await writeFile(join(ws, 'log.mjs'), LOG_KNOWN_RUN);
  }, TIMEOUT);
  afterAll(() => cleanup?.(), TIMEOUT);

  it('creates and lists an experiment', async () => {
    const created = await ok('experiments', 'create', 'remote-exp', '--tag', 'team=quant');
    expect(created.stdout).toMatch(/Created experiment 'remote-exp' with id \d+/);
    const { experiments } = await json<{
      experiments: { name: string; tags: Record<string, string> }[];
    }>('experiments', 'list');
    expect(experiments.map((e) => e.name).sort()).toEqual(['Default', 'remote-exp']);
    expect(experiments.find((e) => e.name === 'remote-exp')?.tags).toEqual({ team: 'quant' });
  });

  it('creates runs: the CLI trains one, the SDK in a child process logs another', async () => {
    const train = 'forecast train --data prices.csv --model linear -e remote-exp';
    trainedRun = (await json<{ run_id: string }>(...train.split(' '))).run_id;
    expect(trainedRun).toMatch(/^[0-9a-f]{32}$/);
    const logged = await runNode(['log.mjs'], ws, env);
    expect(logged.code, logged.stderr).toBe(0);
    knownRun = (JSON.parse(logged.stdout) as { id: string }).id;
  });

  it('lists and searches runs with a filter', async () => {
    type Page = { runs: { info: { runId: string } }[]; next_page_token?: string };
    const search = (filter: string) =>
      json<Page>('runs', 'search', '-e', 'remote-exp', '--filter', filter);
    const byFilter = async (filter: string) => (await search(filter)).runs.map((r) => r.info.runId);
    expect(
      await byFilter("metrics.rmse < 3 and params.units = '50' and tags.model LIKE 'lstm%'"),
    ).toEqual([knownRun]);
    expect(await byFilter("params.model = 'linear'")).toEqual([trainedRun]);
    expect(await byFilter("attributes.status = 'FINISHED'")).toHaveLength(2);
    const table = await ok('runs', 'list', '-e', 'remote-exp');
    expect(table.stdout).toContain(knownRun);
    expect(table.stdout).toContain(trainedRun);
    const first = await json<Page>('runs', 'list', '-e', 'remote-exp', '--max-results', '1');
    expect(first.next_page_token).toBeTruthy();
    const token = first.next_page_token ?? '';
    const second = await json<Page>('runs', 'list', '-e', 'remote-exp', '--page-token', token);
    expect([...first.runs, ...second.runs].map((r) => r.info.runId).sort()).toEqual(
      [knownRun, trainedRun].sort(),
    );
  });

  it('shows a run with params, metrics, tags and artifacts', async () => {
    const shown = await json<RunJson>('runs', 'show', knownRun);
    expect(shown.run.info).toMatchObject({ runName: 'known', status: 'FINISHED' });
    expect(shown.run.data.params).toEqual({ units: '50', window: '60' });
    expect(shown.run.data.metrics.map((m) => [m.key, m.value]).sort()).toEqual([
      ['loss', 0.2],
      ['rmse', 2.9],
    ]);
    expect(shown.run.data.tags['model']).toBe('lstm-50');
    expect(shown.artifacts.map((a) => [a.path, a.size])).toEqual([
      ['bundle/config.json', small.length],
      ['bundle/weights/big.bin', big.length],
    ]);
    const text = await ok('runs', 'show', trainedRun);
    expect(text.stdout).toContain('model/model.onnx');
    const missing = await cli('runs', 'show', 'f'.repeat(32));
    expect(missing.code).toBe(3);
    expect(missing.stderr).toContain('RESOURCE_DOES_NOT_EXIST');
  });

  it('lists and downloads artifacts byte for byte', async () => {
    const { files } = await json<{ files: unknown[] }>('artifacts', 'list', knownRun, 'bundle');
    expect(files).toEqual([
      { path: 'bundle/config.json', isDir: false, fileSize: small.length },
      { path: 'bundle/weights', isDir: true },
    ]);
    await ok('artifacts', 'download', knownRun, 'bundle', '-d', 'out');
    expect(await readFile(join(ws, 'out', 'bundle', 'config.json'))).toEqual(small);
    expect(sha256(await readFile(join(ws, 'out', 'bundle', 'weights', 'big.bin')))).toBe(
      sha256(big),
    );
    type Files = { files: { path: string; fileSize: number }[] };
    const model = await json<Files>('artifacts', 'list', trainedRun, 'model');
    expect(model.files.map((f) => f.path)).toContain('model/model.onnx');
    await ok('artifacts', 'download', trainedRun, 'model', '-d', 'trained');
    for (const f of model.files) {
      expect((await readFile(join(ws, 'trained', ...f.path.split('/')))).length).toBe(f.fileSize);
    }
  });

  it('shows the lineage around both runs', async () => {
    const known = await json<{ edges: { relation: string; attrs: { path?: string } }[] }>(
      'lineage',
      `runs:/${knownRun}`,
    );
    expect(known.edges.map((e) => [e.relation, e.attrs.path]).sort()).toEqual([
      ['output', 'bundle/config.json'],
      ['output', 'bundle/weights/big.bin'],
    ]);
    const text = await ok('lineage', `runs:/${trainedRun}`);
    expect(text.stdout).toMatch(/data:\/prices\.csv@[0-9a-f]+ --input--> runs:\//);
    expect(text.stdout).toContain('--output--> artifact:');
  });

  it('deletes and restores a run through the server', async () => {
    await ok('runs', 'delete', trainedRun);
    const deleted = await json<{ runs: unknown[] }>('runs', 'list', '--view', 'deleted');
    expect(deleted.runs).toHaveLength(1);
    await ok('runs', 'restore', trainedRun);
    const active = await json<{ runs: unknown[] }>('runs', 'list', '-e', 'remote-exp');
    expect(active.runs).toHaveLength(2);
  });

  it("puts the bytes where the server was told, none in the client's or the server's workspace", async () => {
    const { artifacts } = await json<RunJson>('runs', 'show', knownRun);
    const expected = [
      ...artifacts.map((a) => blobTail(a.manifestId)),
      blobTail(sha256(small)), // a file under the minimum chunk size is one chunk
    ];
    let stored: string[];
    if (s3) {
      const client = new S3Client(s3.clientConfig);
      const listed = await client.send(
        new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'artifacts/' }),
      );
      client.destroy();
      stored = (listed.Contents ?? []).map((o) => (o.Key ?? '').slice('artifacts/'.length));
      expect(existsSync(artifactsDir)).toBe(false);
    } else {
      stored = (await readdir(artifactsDir, { recursive: true })).filter((p) =>
        /^[0-9a-f]{2}\/[0-9a-f]{62}$/.test(p.split('\\').join('/')),
      );
    }
    expect(stored).toEqual(expect.arrayContaining(expected));
    expect(stored.length).toBeGreaterThan(expected.length); // big.bin's chunks, the model's
    expect(existsSync(join(ws, '.mlops'))).toBe(false);
    expect(existsSync(join(serverDir, '.mlops'))).toBe(false);
  });

  // Only the setup whose server writes to S3 has a bucket to write to directly.
  if (combo.s3) {
    it('reads through the server what an SDK client wrote straight to the bucket', async () => {
      const direct = {
        ...env,
        ...s3?.env,
        MLOPS_S3_ENDPOINT_URL: s3?.endpoint ?? '',
        MLOPS_ARTIFACT_URI: `s3://${s3?.bucket}/artifacts`,
      };
      await writeFile(join(ws, 'direct.bin'), big.subarray(0, 50_000));
      await writeFile(join(ws, 'direct.mjs'), LOG_DIRECT);
      const logged = await runNode(['direct.mjs'], ws, direct);
      expect(logged.code, logged.stderr).toBe(0);
      const { id } = JSON.parse(logged.stdout) as { id: string };
      await ok('artifacts', 'download', id, 'direct.bin', '-d', 'direct-out');
      expect(await readFile(join(ws, 'direct-out', 'direct.bin'))).toEqual(big.subarray(0, 50_000));
      expect(existsSync(join(ws, '.mlops'))).toBe(false);
    });
  }
}

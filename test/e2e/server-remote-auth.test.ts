// Acceptance: `mlops server --auth` with users made by `mlops users create|token|grant` on the
// server's own database. The CLI works with a token (MLOPS_TRACKING_TOKEN, MLFLOW_TRACKING_TOKEN)
// and with Basic credentials (MLFLOW_TRACKING_USERNAME/PASSWORD); a user granted READ can read
// another user's experiment but every write fails with exit code 9 and PERMISSION_DENIED, and
// leaves nothing behind; no or wrong credentials fail with exit code 9 and UNAUTHENTICATED.
import { mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIST_INDEX, runNode, tempWorkspace, type Result } from './cli-harness.js';
import {
  mlopsWith,
  mlopsWithStdin,
  pricesCsv,
  startMlopsServer,
  type ServerProcess,
} from './server-harness.js';

const TIMEOUT = 120_000;
const ALICE_PW = 'alice-correct-horse';
const BOB_PW = 'bob-battery-staple';
const TRAIN_PERSISTENCE = 'forecast train --data prices.csv --model persistence -e alice-exp'.split(
  ' ',
);
type Runs = { runs: unknown[] };
type Experiments = { experiments: { name: string }[] };

/** Bob's attempts to write through the SDK; prints each one's error code (or 'ok'). */
const BOB_WRITES = `
const { connect } = await import(${JSON.stringify(DIST_INDEX)});
const [runId, experimentId] = process.argv.slice(2);
const client = await connect();
const codes = {};
const attempt = async (name, fn) => {
  try { await fn(); codes[name] = 'ok'; } catch (err) { codes[name] = err.code ?? String(err); }
};
await attempt('setTag', () => client.store.logBatch(runId, { tags: [{ key: 'bob', value: 'was here' }] }));
await attempt('logMetric', () => client.store.logBatch(runId, { metrics: [{ key: 'bob', value: 1, step: 0, timestamp: 1 }] }));
await attempt('updateRun', () => client.store.updateRun(runId, { status: 'FAILED' }));
await attempt('setExperimentTag', () => client.store.setExperimentTag(experimentId, 'bob', 'x'));
await attempt('startRun', () => client.startRun({ experiment: { id: experimentId } }));
await client.close();
console.log(JSON.stringify(codes));
`;

describe('the CLI against mlops server --auth', { timeout: TIMEOUT }, () => {
  let root: string;
  let ws: string;
  let cleanup: () => Promise<void>;
  let server: ServerProcess;
  let backend: string;
  let aliceToken: string;
  let bobToken: string;
  let aliceRun: string;
  let experimentId: string;

  const as = (creds: Record<string, string>) => ({
    MLOPS_TRACKING_URI: server.url,
    MLOPS_TRACKING_TOKEN: '',
    MLFLOW_TRACKING_TOKEN: '',
    MLFLOW_TRACKING_USERNAME: '',
    MLFLOW_TRACKING_PASSWORD: '',
    ...creds,
  });
  const alice = () => as({ MLOPS_TRACKING_TOKEN: aliceToken });
  const aliceBasic = () =>
    as({ MLFLOW_TRACKING_USERNAME: 'alice', MLFLOW_TRACKING_PASSWORD: ALICE_PW });
  const bob = () => as({ MLFLOW_TRACKING_USERNAME: 'bob', MLFLOW_TRACKING_PASSWORD: BOB_PW });
  const ok = async (env: Record<string, string>, ...args: string[]): Promise<Result> => {
    const out = await mlopsWith(ws, env, ...args);
    expect(out.code, `mlops ${args.join(' ')}: ${out.stderr}`).toBe(0);
    return out;
  };
  const json = async <T>(env: Record<string, string>, ...args: string[]): Promise<T> =>
    JSON.parse((await ok(env, ...args, '--json')).stdout) as T;
  const refused = async (
    env: Record<string, string>,
    code: 'PERMISSION_DENIED' | 'UNAUTHENTICATED',
    ...args: string[]
  ) => {
    const out = await mlopsWith(ws, env, ...args);
    expect(out.code, `mlops ${args.join(' ')}: ${out.stdout} ${out.stderr}`).toBe(9);
    expect(out.stderr).toContain(`error [${code}]`);
    expect(out.stderr).not.toContain('internal error');
    return out;
  };
  const users = (...args: string[]) =>
    mlopsWith(
      ws,
      { MLOPS_NEW_USER_PASSWORD: BOB_PW },
      'users',
      ...args,
      '--backend-store-uri',
      backend,
    );

  beforeAll(async () => {
    const temp = await tempWorkspace();
    root = await realpath(temp.dir);
    ws = join(root, 'ws');
    await mkdir(ws);
    await mkdir(join(root, 'server'));
    backend = `sqlite:${join(root, 'server', 'auth.db')}`;
    cleanup = async () => {
      await server?.stop();
      await temp.cleanup();
    };
    server = await startMlopsServer(
      [...'--auth --default-permission NO_PERMISSIONS'.split(' '), '--backend-store-uri', backend],
      join(root, 'server'),
      { MLOPS_ADMIN_PASSWORD: 'admin-password-123' },
    );
    expect(server.proc.stdout).toContain('(auth on)');
    await writeFile(join(ws, 'prices.csv'), pricesCsv());
    await writeFile(join(ws, 'bob-writes.mjs'), BOB_WRITES);
  }, TIMEOUT);
  afterAll(() => cleanup?.(), TIMEOUT);

  it('creates users and tokens on the server database while it runs', async () => {
    const stdin = ['users', 'create', 'alice', '--password-stdin', '--backend-store-uri', backend];
    const created = await mlopsWithStdin(ws, `${ALICE_PW}\n`, {}, ...stdin);
    expect(created.code, created.stderr).toBe(0);
    expect((await users('create', 'bob')).code).toBe(0);
    const token = await users('token', 'alice', '--name', 'ci');
    expect(token.code, token.stderr).toBe(0);
    aliceToken = token.stdout.trim();
    bobToken = (await users('token', 'bob')).stdout.trim();
    expect(aliceToken).toMatch(/^\S{20,}$/);
    expect(bobToken).not.toBe(aliceToken);
    const listed = await users('list', '--json');
    const names = (JSON.parse(listed.stdout) as { users: { username: string }[] }).users;
    expect(names.map((u) => u.username).sort()).toEqual(['admin', 'alice', 'bob']);
  });

  it('lets alice create, log and read with a token', async () => {
    await ok(alice(), 'experiments', 'create', 'alice-exp');
    const train = 'forecast train --data prices.csv --model linear -e alice-exp'.split(' ');
    aliceRun = (await json<{ run_id: string }>(alice(), ...train)).run_id;
    type Shown = { run: { info: { experimentId: string; userId: string } } };
    const shown = await json<Shown>(alice(), 'runs', 'show', aliceRun);
    experimentId = shown.run.info.experimentId;
    expect(shown.run.info.userId).toBe('alice');
    await ok(alice(), 'artifacts', 'download', aliceRun, 'model', '-d', 'alice-out');
    expect((await ok(alice(), 'lineage', `runs:/${aliceRun}`)).stdout).toContain('--input-->');
    // MLflow's variable name works too.
    const mlflowToken = as({ MLFLOW_TRACKING_TOKEN: aliceToken });
    const viaMlflow = await json<Experiments>(mlflowToken, 'experiments', 'list');
    expect(viaMlflow.experiments.map((e) => e.name)).toContain('alice-exp');
  });

  it('lets alice log and read with Basic credentials', async () => {
    await ok(aliceBasic(), ...TRAIN_PERSISTENCE);
    const filter = ['--filter', "params.model = 'linear'"];
    const { runs } = await json<Runs>(aliceBasic(), 'runs', 'search', '-e', 'alice-exp', ...filter);
    expect(runs).toHaveLength(1);
    const all = await json<Runs>(aliceBasic(), 'runs', 'list', '-e', 'alice-exp');
    expect(all.runs).toHaveLength(2);
  });

  it("keeps alice's experiment from bob until he is granted READ", async () => {
    await refused(bob(), 'PERMISSION_DENIED', 'runs', 'show', aliceRun);
    const { experiments } = await json<Experiments>(bob(), 'experiments', 'list');
    expect(experiments.map((e) => e.name)).not.toContain('alice-exp');
    const granted = await users(...'grant bob --experiment alice-exp --permission READ'.split(' '));
    expect(granted.code, granted.stderr).toBe(0);
    expect(granted.stdout).toContain('READ');
  });

  it('lets bob (READ) list, show, download and follow lineage, by password and by token', async () => {
    for (const env of [bob(), as({ MLOPS_TRACKING_TOKEN: bobToken })]) {
      const { runs } = await json<Runs>(env, 'runs', 'list', '-e', 'alice-exp');
      expect(runs).toHaveLength(2);
      await ok(env, 'runs', 'show', aliceRun);
      await ok(env, 'lineage', `runs:/${aliceRun}`);
    }
    await ok(bob(), 'artifacts', 'download', aliceRun, 'model', '-d', 'bob-out');
    for (const name of ['model.onnx', 'forecaster.json']) {
      expect(await readFile(join(ws, 'bob-out', 'model', name))).toEqual(
        await readFile(join(ws, 'alice-out', 'model', name)),
      );
    }
  });

  it('refuses every write bob (READ) attempts, with exit code 9, and keeps the data as it was', async () => {
    await refused(bob(), 'PERMISSION_DENIED', ...TRAIN_PERSISTENCE);
    await refused(bob(), 'PERMISSION_DENIED', 'runs', 'delete', aliceRun);
    await refused(bob(), 'PERMISSION_DENIED', 'experiments', 'rename', 'alice-exp', 'bobs');
    await refused(bob(), 'PERMISSION_DENIED', 'experiments', 'delete', 'alice-exp');
    const sdk = await runNode(
      ['bob-writes.mjs', aliceRun, experimentId],
      ws,
      as({ MLOPS_TRACKING_TOKEN: bobToken }),
    );
    expect(sdk.code, sdk.stderr).toBe(0);
    expect(JSON.parse(sdk.stdout)).toEqual({
      setTag: 'PERMISSION_DENIED',
      logMetric: 'PERMISSION_DENIED',
      updateRun: 'PERMISSION_DENIED',
      setExperimentTag: 'PERMISSION_DENIED',
      startRun: 'PERMISSION_DENIED',
    });

    const { run } = await json<{
      run: {
        info: { status: string; lifecycleStage: string };
        data: { tags: Record<string, string>; metrics: { key: string }[] };
      };
    }>(alice(), 'runs', 'show', aliceRun);
    expect(run.info).toMatchObject({ status: 'FINISHED', lifecycleStage: 'active' });
    expect(run.data.tags['bob']).toBeUndefined();
    expect(run.data.metrics.map((m) => m.key)).not.toContain('bob');
    const { runs } = await json<Runs>(alice(), ...'runs list -e alice-exp --view all'.split(' '));
    expect(runs).toHaveLength(2);
    const { experiments } = await json<{
      experiments: { name: string; tags: Record<string, string> }[];
    }>(alice(), 'experiments', 'list');
    expect(experiments.find((e) => e.name === 'alice-exp')?.tags['bob']).toBeUndefined();
  });

  it('refuses missing and wrong credentials with exit code 9 and UNAUTHENTICATED', async () => {
    await refused(as({}), 'UNAUTHENTICATED', 'runs', 'list');
    await refused(as({}), 'UNAUTHENTICATED', 'experiments', 'create', 'anonymous');
    await refused(
      as({ MLFLOW_TRACKING_USERNAME: 'alice', MLFLOW_TRACKING_PASSWORD: 'wrong-password' }),
      'UNAUTHENTICATED',
      'runs',
      'show',
      aliceRun,
    );
    await refused(
      as({ MLFLOW_TRACKING_USERNAME: 'nobody', MLFLOW_TRACKING_PASSWORD: ALICE_PW }),
      'UNAUTHENTICATED',
      'experiments',
      'list',
    );
    const wrongToken = await refused(
      as({ MLOPS_TRACKING_TOKEN: aliceToken.slice(0, -4) + 'xxxx' }),
      'UNAUTHENTICATED',
      'runs',
      'list',
    );
    expect(wrongToken.stderr).not.toContain(aliceToken.slice(0, 12));
    const names = await json<Experiments>(alice(), 'experiments', 'list');
    expect(names.experiments.map((e) => e.name)).not.toContain('anonymous');
  });
});

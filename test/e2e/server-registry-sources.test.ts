// MLflow's model-version source CVE class (reference mlflow.md §5.1: CVE-2023-1177, -2356, -2780,
// -6909, CVE-2024-1558, -1593, -3573, CVE-2025-11201, CVE-2026-2614) replayed against
// `mlops server`: a version's source resolves only inside the artifact store (a run's or a logged
// model's own tree). Every refused form is answered 400 (404 for a run that does not exist) with a
// message naming the source, and registers nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  attackBed,
  experimentWithRun,
  json,
  ok,
  refused,
  type AttackBed,
} from './server-attacks-harness.js';

interface Version {
  name: string;
  version: string;
  source: string;
  run_id?: string;
}

describe('server: model version sources resolve only inside the artifact store', () => {
  let bed: AttackBed;
  const model = 'src-model';
  let runA = '';
  let runB = '';
  let rootA = '';
  let rootB = '';
  let expB = '';
  let localRun = '';
  let localRoot = '';
  let loggedModel = '';

  const create = (source: string, runId?: string, modelId?: string) =>
    json(bed.url, 'POST', `${API}/model-versions/create`, {
      name: model,
      source,
      ...(runId !== undefined ? { run_id: runId } : {}),
      ...(modelId !== undefined ? { model_id: modelId } : {}),
    });
  const accepted = async (source: string, runId?: string, modelId?: string) =>
    ok<{ model_version: Version }>(await create(source, runId, modelId)).model_version;
  const versions = async () =>
    ok<{ model_versions?: Version[] }>(
      await json(bed.url, 'GET', `${API}/model-versions/search?filter=name%3D'${model}'`),
    ).model_versions ?? [];

  beforeAll(async () => {
    bed = await attackBed();
    const a = await experimentWithRun(bed.url, 'exp-a');
    const b = await experimentWithRun(bed.url, 'exp-b');
    runA = a.runId;
    rootA = a.artifactUri;
    runB = b.runId;
    rootB = b.artifactUri;
    expB = b.experimentId;
    // An experiment whose artifacts live in a local directory, outside the artifact store.
    const local = await experimentWithRun(bed.url, 'exp-local', {}, bed.dir);
    localRun = local.runId;
    localRoot = local.artifactUri;
    loggedModel = ok<{ model: { info: { model_id: string } } }>(
      await json(bed.url, 'POST', `${API}/logged-models`, {
        experiment_id: a.experimentId,
        name: 'm',
        source_run_id: runA,
      }),
    ).model.info.model_id;
    ok(await json(bed.url, 'POST', `${API}/registered-models/create`, { name: model }));
  });
  afterAll(async () => bed?.close());

  it('accepts runs:/ URIs of existing runs, normalised, with the run id filled in', async () => {
    expect(await accepted(`runs:/${runA}/model`, runA)).toMatchObject({
      source: `runs:/${runA}/model`,
      run_id: runA,
    });
    expect(await accepted(`runs:/${runA}/model/`)).toMatchObject({
      source: `runs:/${runA}/model`,
      run_id: runA,
    });
    expect(await accepted(`runs:/${runA}/my%20model`)).toMatchObject({ run_id: runA });
  });

  it("accepts the run's own artifact URIs, with or without run_id", async () => {
    expect(await accepted(`${rootA}/model`, runA)).toMatchObject({
      source: `${rootA}/model`,
      run_id: runA,
    });
    expect(await accepted(`${rootA}/model`)).toMatchObject({ run_id: runA });
    expect(await accepted(rootA, runA)).toMatchObject({ source: rootA });
  });

  it('accepts a logged model of the same run (MLflow 3.x models:/<id> and model_id)', async () => {
    expect(await accepted(`models:/${loggedModel}`, runA)).toMatchObject({
      source: `models:/${loggedModel}`,
    });
    const modelRoot = `${rootA.replace(/\/[^/]+\/artifacts$/, '')}/models/${loggedModel}/artifacts`;
    expect(await accepted(modelRoot, runA, loggedModel)).toMatchObject({ source: modelRoot });
    expect(await accepted(`${modelRoot}/MLmodel`)).toMatchObject({
      source: `${modelRoot}/MLmodel`,
    });
    expect(await accepted(`runs:/${runA}/model`, runA, loggedModel)).toMatchObject({
      run_id: runA,
    });
  });

  it('refuses local paths, file: and every scheme outside the artifact store', async () => {
    const before = (await versions()).length;
    for (const source of [
      bed.secretPath,
      '/etc/passwd',
      'etc/passwd',
      './model',
      '~/model',
      'C:\\Windows\\win.ini',
      'C:/Windows/win.ini',
      `file://${bed.secretPath}`,
      `file:${bed.secretPath}`,
      'FILE:///etc/passwd',
      'file://localhost/etc/passwd',
      'http://127.0.0.1:1/model',
      'https://evil.example/model',
      's3://bucket/model',
      'gs://bucket/model',
      'hdfs://namenode/model',
      'dbfs:/model',
      'models:/src-model/1',
      `${localRoot}/model`,
    ]) {
      const reply = await create(source);
      refused(reply, [400], 'INVALID_PARAMETER_VALUE');
      expect(reply.body, source).toContain('source');
      expect(reply.body).not.toContain(bed.secret);
    }
    // The local run's own artifact root is outside the store, even with its run_id or as runs:/.
    refused(await create(`${localRoot}/model`, localRun), [400], 'INVALID_PARAMETER_VALUE');
    refused(await create(`file://${localRoot}/model`, localRun), [400], 'INVALID_PARAMETER_VALUE');
    refused(await create(`runs:/${localRun}/model`), [400], 'INVALID_PARAMETER_VALUE');
    expect(await versions()).toHaveLength(before);
  });

  it("refuses traversal in every encoding, URL tricks and other runs' paths", async () => {
    const before = (await versions()).length;
    const refusals: [string, string?][] = [
      [`runs:/${runA}/../${runB}/model`],
      [`runs:/${runA}/model/../../${runB}/artifacts`],
      [`runs:/${runA}/%2e%2e/${runB}`],
      [`runs:/${runA}/%2E%2E%2F${runB}`],
      [`runs:/${runA}/%252e%252e/${runB}`],
      [`runs:/${runA}/%25252e%25252e/x`],
      [`runs:/${runA}/model\\..\\..\\x`],
      [`runs:/${runA}/model%5c..%5cx`],
      [`runs:/${runA}/./model`],
      [`runs:/${runA}/model?x=1`],
      [`runs:/${runA}/model#frag`],
      [`runs:/${runA}/model;jsessionid=1`],
      [`runs:/${runA}/model%3Fx`],
      [`runs:/${runA}/model%00.txt`],
      [`runs:/${runA}/model\n`],
      [`runs://${runA}/model`],
      [`runs:${runA}/model`],
      [`runs:/../${runA}/model`],
      [`runs:/${runB}/model`, runA],
      [`${rootB}/model`, runA],
      [`${rootA}/../../${expB}/${runB}/artifacts/model`, runA],
      [`${rootA}/%2e%2e/%2e%2e/${expB}/${runB}/artifacts/model`, runA],
      [`${rootA}/model/..`, runA],
      [`${rootA}-evil/model`, runA],
      [`${rootA}/model`, runB],
      ['mlflow-artifacts://evil.example/x'],
      ['mlflow-artifacts:/etc/passwd'],
      ['mlflow-artifacts:/../../etc/passwd'],
      [`models:/${loggedModel}`, runB],
      [`models:/${loggedModel}/../x`],
      ['runs:/not a run id/model'],
      [`runs:/${runA}/model`, '../x'],
      // The examples of MLflow's own _validate_non_local_source_contains_relative_paths.
      ['mlflow-artifacts://host:5000/../../../../'],
      ['mlflow-artifacts://host:5000/..%2f..%2f..%2f..%2f'],
      ['http://host:5000/api/2.0/mlflow-artifacts/artifacts/../../../../'],
      ['http://host:5000/api/2.0/mlflow-artifacts/artifacts%00'],
      ['/models/artifacts/../../../'],
      ['s3:/my_bucket/models/path/../../other/path'],
      ['file://path/to/../../../../some/where/you/should/not/be'],
      // CVE-2024-1558: a harmless-looking path with the traversal in the query string.
      [`${rootA}/model?x=../../../../etc/passwd`, runA],
      // Decoding first turns %23 into a fragment that would hide what follows from a URL parser.
      [`${rootA}/model%23/../../../../etc/passwd`, runA],
      [`${rootA}/model%2523/..%252f..%252f..%252fetc`, runA],
    ];
    for (const [source, runId] of refusals) {
      const reply = await create(source, runId);
      refused(reply, [400], 'INVALID_PARAMETER_VALUE');
      expect(reply.body, source).toMatch(/source|run_id/);
    }
    expect(await versions()).toHaveLength(before);
  });

  it('refuses a model_id that is not where the source lies', async () => {
    const before = (await versions()).length;
    for (const [source, runId] of [
      [`runs:/${runB}/model`, runB],
      [`${rootB}/model`, runB],
    ] as const) {
      refused(await create(source, runId, loggedModel), [400], 'INVALID_PARAMETER_VALUE');
    }
    refused(
      await create(`runs:/${runA}/model`, runA, 'm-0123456789abcdef0123456789abcdef'),
      [404],
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect(await versions()).toHaveLength(before);
  });

  it('answers runs and logged models that do not exist with 404, registering nothing', async () => {
    const before = (await versions()).length;
    const missing = '0123456789abcdef0123456789abcdef';
    for (const [source, runId] of [
      [`runs:/${missing}/model`, undefined],
      [`${rootA}/model`, missing],
      ['models:/m-0123456789abcdef0123456789abcdef', undefined],
    ] as const) {
      const reply = await create(source, runId);
      refused(reply, [404], 'RESOURCE_DOES_NOT_EXIST');
    }
    expect(await versions()).toHaveLength(before);
  });

  it("get-download-uri resolves runs:/ and models:/ to the owner's artifact URI", async () => {
    const v = await accepted(`runs:/${runA}/model`);
    const { artifact_uri } = ok<{ artifact_uri: string }>(
      await json(
        bed.url,
        'GET',
        `${API}/model-versions/get-download-uri?name=${model}&version=${v.version}`,
      ),
    );
    expect(artifact_uri).toBe(`${rootA}/model`);
    const m = await accepted(`models:/${loggedModel}`);
    const logged = ok<{ artifact_uri: string }>(
      await json(
        bed.url,
        'GET',
        `${API}/model-versions/get-download-uri?name=${model}&version=${m.version}`,
      ),
    );
    expect(logged.artifact_uri).toMatch(/^mlflow-artifacts:\/.*\/models\/m-[\w-]+\/artifacts$/);
  });
});

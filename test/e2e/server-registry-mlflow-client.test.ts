// Acceptance: the model registry of `mlops server` as MLflow 2.x's Python client sees it. Each
// request is shaped as the client sends it and each response field the client parses is checked
// for presence and JSON type. Sources (mlflow/mlflow, 2.x): store/model_registry/rest_store.py
// (every RPC through call_endpoint: GET as a query string, POST/PATCH/DELETE as a JSON body, unset
// fields left out by message_to_json), tracking/_model_registry/fluent.py `_register_model`
// (create-registered-model, RESOURCE_ALREADY_EXISTS tolerated, create-model-version with the
// runs:/ URI or its underlying artifact URI plus run_id, then get-model-version polling until the
// status leaves PENDING_REGISTRATION), client.py set_registered_model_alias /
// get_model_version_by_alias / delete_registered_model_alias / search_model_versions
// (max_results SEARCH_MODEL_VERSION_MAX_RESULTS_DEFAULT = 200000), and entities
// model_version.py / registered_model.py `from_proto` for what is read back.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  MLFLOW_2X,
  OPS_2X,
  T0,
  type Read,
  type WireOp,
} from './fixtures/mlflow-client-requests.js';
import { attackBed, type AttackBed } from './server-attacks-harness.js';
import { expectError, expectOk, send, type Vars } from './mlflow-wire-harness.js';

const RS = 'mlflow/store/model_registry/rest_store.py (2.x)';
const MODEL_VERSION: readonly Read[] = [
  'name:id',
  'version:id',
  'creation_timestamp:int',
  'last_updated_timestamp:int',
  'current_stage:string',
  'description?:string',
  'source:string',
  'run_id?:string',
  'status:string',
  'status_message?:string',
  'tags?[].key:string',
  'tags?[].value:string',
  'aliases?[]:string',
];
const REGISTERED_MODEL: readonly Read[] = [
  'name:id',
  'creation_timestamp:int',
  'last_updated_timestamp:int',
  'description?:string',
  'tags?[].key:string',
  'tags?[].value:string',
  'aliases?[].alias:string',
  'aliases?[].version:id',
  ...MODEL_VERSION.map((r) => `latest_versions?[].${r}` as Read),
];
const prefixed = (p: string, reads: readonly Read[]) => reads.map((r) => `${p}.${r}` as Read);

const API = '/api/2.0/mlflow';
const OPS = {
  createRegisteredModel: {
    source: `${RS} create_registered_model: CreateRegisteredModel(name, tags=[], description=None)`,
    request: {
      method: 'POST',
      path: `${API}/registered-models/create`,
      body: { name: '{{name}}' },
    },
    reads: prefixed('registered_model', REGISTERED_MODEL),
  },
  getRegisteredModel: {
    source: `${RS} get_registered_model`,
    request: {
      method: 'GET',
      path: `${API}/registered-models/get`,
      query: { name: '{{name}}' },
    },
    reads: prefixed('registered_model', REGISTERED_MODEL),
  },
  createModelVersion: {
    source: `${RS} create_model_version: CreateModelVersion(name, source, run_id, run_link, tags)`,
    request: {
      method: 'POST',
      path: `${API}/model-versions/create`,
      body: {
        name: '{{name}}',
        source: '{{source}}',
        run_id: '{{run_id}}',
        tags: [{ key: 'mlflow.source.type', value: 'run' }],
      },
    },
    reads: prefixed('model_version', MODEL_VERSION),
  },
  getModelVersion: {
    source: `${RS} get_model_version (await_registration_for polling)`,
    request: {
      method: 'GET',
      path: `${API}/model-versions/get`,
      query: { name: '{{name}}', version: '{{version}}' },
    },
    reads: prefixed('model_version', MODEL_VERSION),
  },
  setAlias: {
    source: `${RS} set_registered_model_alias: SetRegisteredModelAlias(name, alias, version)`,
    request: {
      method: 'POST',
      path: `${API}/registered-models/alias`,
      body: { name: '{{name}}', alias: '{{alias}}', version: '{{version}}' },
    },
    reads: [],
  },
  getByAlias: {
    source: `${RS} get_model_version_by_alias: GetModelVersionByAlias(name, alias)`,
    request: {
      method: 'GET',
      path: `${API}/registered-models/alias`,
      query: { name: '{{name}}', alias: '{{alias}}' },
    },
    reads: prefixed('model_version', MODEL_VERSION),
  },
  deleteAlias: {
    source: `${RS} delete_registered_model_alias: DELETE with a JSON body`,
    request: {
      method: 'DELETE',
      path: `${API}/registered-models/alias`,
      body: { name: '{{name}}', alias: '{{alias}}' },
    },
    reads: [],
  },
  searchModelVersions: {
    source: `${RS} search_model_versions(filter_string, max_results=200000)`,
    request: {
      method: 'GET',
      path: `${API}/model-versions/search`,
      query: { filter: '{{filter}}', max_results: '200000' },
    },
    reads: [...prefixed('model_versions[]', MODEL_VERSION), 'next_page_token?:string'] as Read[],
  },
  getDownloadUri: {
    source: `${RS} get_model_version_download_uri (models:/ URIs on load)`,
    request: {
      method: 'GET',
      path: `${API}/model-versions/get-download-uri`,
      query: { name: '{{name}}', version: '{{version}}' },
    },
    reads: ['artifact_uri:string'],
  },
} satisfies Record<string, WireOp>;

interface VersionJson {
  name: string;
  version: string;
  source: string;
  run_id?: string;
  status: string;
  current_stage: string;
  aliases?: string[];
}

describe('mlops server registry speaks MLflow 2.x (Python client wire format)', () => {
  let bed: AttackBed;
  const name = 'goog-lstm';
  let runId = '';
  let artifactUri = '';
  const call = (op: WireOp, vars: Vars = {}) => send(bed.url, MLFLOW_2X, op, vars);

  beforeAll(async () => {
    bed = await attackBed();
    const { experiment_id } = expectOk<{ experiment_id: string }>(
      await call(OPS_2X.createExperiment, { experiment_name: 'registry wire' }),
      OPS_2X.createExperiment.reads,
    );
    const { run } = expectOk<{ run: { info: { run_id: string; artifact_uri: string } } }>(
      await call(OPS_2X.createRun, { experiment_id, start_time: T0, run_name: 'train' }),
      OPS_2X.createRun.reads,
    );
    runId = run.info.run_id;
    artifactUri = run.info.artifact_uri;
  });
  afterAll(async () => bed?.close());

  it('register_model: create the model (again: RESOURCE_ALREADY_EXISTS), a version, poll it', async () => {
    const { registered_model } = expectOk<{ registered_model: { name: string } }>(
      await call(OPS.createRegisteredModel, { name }),
      OPS.createRegisteredModel.reads,
    );
    expect(registered_model.name).toBe(name);
    expectError(await call(OPS.createRegisteredModel, { name }), 400, 'RESOURCE_ALREADY_EXISTS');

    // Newer 2.x clients send the runs:/ URI, older ones its underlying artifact URI.
    const sources = [`runs:/${runId}/model`, `${artifactUri}/model`];
    for (const [i, source] of sources.entries()) {
      const { model_version } = expectOk<{ model_version: VersionJson }>(
        await call(OPS.createModelVersion, { name, source, run_id: runId }),
        OPS.createModelVersion.reads,
      );
      expect(model_version).toMatchObject({
        name,
        version: String(i + 1),
        source,
        run_id: runId,
        status: 'READY',
        current_stage: 'None',
      });
      const polled = expectOk<{ model_version: VersionJson }>(
        await call(OPS.getModelVersion, { name, version: model_version.version }),
        OPS.getModelVersion.reads,
      ).model_version;
      expect(polled.status).toBe('READY');
    }
  });

  it('set_registered_model_alias, get_model_version_by_alias, get_registered_model', async () => {
    const reply = await call(OPS.setAlias, { name, alias: 'champion', version: '1' });
    expect(expectOk(reply, [])).toEqual({});
    const byAlias = expectOk<{ model_version: VersionJson }>(
      await call(OPS.getByAlias, { name, alias: 'champion' }),
      OPS.getByAlias.reads,
    ).model_version;
    expect(byAlias).toMatchObject({ version: '1', aliases: ['champion'] });
    const model = expectOk<{
      registered_model: {
        aliases?: { alias: string; version: string }[];
        latest_versions?: VersionJson[];
      };
    }>(await call(OPS.getRegisteredModel, { name }), OPS.getRegisteredModel.reads).registered_model;
    expect(model.aliases).toEqual([{ alias: 'champion', version: '1' }]);
    expect(model.latest_versions?.map((v) => v.version)).toEqual(['2']);
    expectError(
      await call(OPS.getByAlias, { name, alias: 'nope' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('search_model_versions by name and by run_id, and get-download-uri for loading', async () => {
    for (const filter of [`name='${name}'`, `run_id = '${runId}'`]) {
      const page = expectOk<{ model_versions: VersionJson[]; next_page_token?: string }>(
        await call(OPS.searchModelVersions, { filter }),
        OPS.searchModelVersions.reads,
      );
      expect(page.model_versions.map((v) => v.version)).toEqual(['2', '1']);
      expect(page.next_page_token ?? '').toBe('');
    }
    const { artifact_uri } = expectOk<{ artifact_uri: string }>(
      await call(OPS.getDownloadUri, { name, version: '1' }),
      OPS.getDownloadUri.reads,
    );
    expect(artifact_uri).toBe(`${artifactUri}/model`);
  });

  it('delete_registered_model_alias sends DELETE with a JSON body; the alias is gone', async () => {
    expect(expectOk(await call(OPS.deleteAlias, { name, alias: 'champion' }), [])).toEqual({});
    expectError(
      await call(OPS.getByAlias, { name, alias: 'champion' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
    // Deleting it again is an error here (MLflow's SQL store succeeds silently): documented.
    expectError(
      await call(OPS.deleteAlias, { name, alias: 'champion' }),
      404,
      'RESOURCE_DOES_NOT_EXIST',
    );
  });

  it('the UI prefix /ajax-api/2.0 serves the same routes', async () => {
    const ajax = (op: WireOp): WireOp => ({
      ...op,
      request: { ...op.request, path: op.request.path.replace('/api/2.0', '/ajax-api/2.0') },
    });
    const v = expectOk<{ model_version: VersionJson }>(
      await call(ajax(OPS.getModelVersion), { name, version: '2' }),
      OPS.getModelVersion.reads,
    ).model_version;
    expect(v.version).toBe('2');
  });
});

// MLflow's CVE history (reference mlflow.md §5.1), replayed against `mlops server`: the file-system
// classes. Path traversal on every route that takes an artifact path, symlinks in the store,
// local-file reads through artifact and source URIs, and SSRF through client-supplied URLs.
// Requests go out through node:http with their paths exactly as written (fetch would normalize).
import { createHash } from 'node:crypto';
import { mkdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  PROXY,
  attackBed,
  experimentWithRun,
  hitRecorder,
  json,
  ok,
  raw,
  rawSocket,
  refused,
  snapshot,
  type AttackBed,
  type Reply,
} from './server-attacks-harness.js';

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Path payloads (as written in the URL) that must be refused wherever a path is taken. */
const TRAVERSALS: readonly (readonly [string, string])[] = [
  ['CVE-2023-30172/-2356 plain ../', '../../../../secret.txt'],
  ['CVE-2023-30172 ../ to /etc/passwd', '../../../../../../../../../etc/passwd'],
  ['CVE-2023-2356 encoded %2e%2e%2f', '%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fsecret.txt'],
  ['CVE-2023-2356 mixed ..%2f', '..%2f..%2f..%2f..%2fsecret.txt'],
  ['CVE-2023-2356 upper-case %2E%2E', '%2E%2E/%2E%2E/%2E%2E/%2E%2E/secret.txt'],
  [
    'CVE-2023-6730 double-encoded %252e%252e%252f',
    '%252e%252e%252f%252e%252e%252f%252e%252e%252fsecret.txt',
  ],
  ['CVE-2024-1560 triple-encoded', '%25252e%25252e%25252f%25252e%25252e%25252fsecret.txt'],
  ['CVE-2023-2780/-6831/-6909 backslashes', '..\\..\\..\\..\\secret.txt'],
  ['CVE-2023-6909 encoded backslash %5c', '..%5c..%5c..%5c..%5csecret.txt'],
  ['CVE-2023-6831 \\..\\ inside a name', 'a\\..\\..\\..\\..\\secret.txt'],
  ['CVE-2023-1176 drive C:\\', 'C:\\Windows\\win.ini'],
  // Inside the run root, but a Windows client joining it onto its download folder lands on C:.
  ['CVE-2023-1176 drive C:/ (run-relative)', 'C:/Windows/win.ini'],
  ['CVE-2023-2356 class: NUL byte %00', 'secret.txt%00.png'],
  ['CVE-2023-2356 class: NUL byte in ..%00', '..%00/..%00/secret.txt'],
  ['CVE-2023-6730 class: double-encoded NUL', 'secret.txt%2500.png'],
];

/** Names that look like tricks but are plain names here (no file system behind them): not found. */
const LITERAL_NAMES: readonly (readonly [string, string])[] = [
  ['CVE-2024-1593 ;-parameter smuggling', '..;/..;/..;/secret.txt'],
  ['CVE-2024-1593 ?/# fragments (encoded)', '..%3f/..%23/secret.txt'],
  ['CVE-2024-1593 class: overlong UTF-8 dots', '%c0%ae%c0%ae/%c0%ae%c0%ae/secret.txt'],
];

/** Whole-path payloads (in place of `<experiment>/<run>/artifacts/...`). */
const WHOLE: readonly (readonly [string, string])[] = [
  ['CVE-2023-1176 absolute /etc/passwd', '/etc/passwd'],
  ['CVE-2023-1176 absolute %2f', '%2fetc%2fpasswd'],
  ['CVE-2024-3573 file:/// URI', 'file:///etc/passwd'],
  ['CVE-2023-1176 home ~', '~/.ssh/id_rsa'],
  ['CVE-2023-30172 ../ with no run', '../../secret.txt'],
  ['CVE-2023-6730 double-encoded, no run', '%252e%252e%252fsecret.txt'],
];

describe('artifact path traversal (CVE-2023-30172, -1176, -2356, -2780, -6831, -6909, -6730; CVE-2024-1560, -1593)', () => {
  let bed: AttackBed;
  let prefix = '';
  let modelPrefix = '';
  let modelId = '';
  let runId = '';
  let before: string[] = [];
  const replies: Reply[] = [];
  const send = async (path: string, method = 'GET', body?: string) => {
    const reply = await raw(bed.url, path, {
      method,
      ...(body !== undefined
        ? { body, headers: { 'content-type': 'application/octet-stream' } }
        : {}),
    });
    replies.push(reply);
    return reply;
  };

  beforeAll(async () => {
    bed = await attackBed();
    const ids = await experimentWithRun(bed.url, 'traversal');
    runId = ids.runId;
    prefix = `${ids.experimentId}/${runId}/artifacts`;
    // A real file, so the routes are shown to work and "not found" means "refused".
    expect((await send(`${PROXY}/${prefix}/ok.txt`, 'PUT', 'fine')).status).toBe(200);
    expect((await send(`${PROXY}/${prefix}/ok.txt`)).body).toBe('fine');
    const { model } = ok<{ model: { info: { model_id: string } } }>(
      await json(bed.url, 'POST', `${API}/logged-models`, { experiment_id: ids.experimentId }),
    );
    modelId = model.info.model_id;
    modelPrefix = `${ids.experimentId}/models/${modelId}/artifacts`;
    expect((await send(`${PROXY}/${modelPrefix}/MLmodel`, 'PUT', 'flavors: {}')).status).toBe(200);
    before = await snapshot(bed.dir, 'blobs');
  });
  afterAll(async () => {
    // Whatever was asked, no response carried the planted secret or /etc/passwd.
    for (const reply of replies) {
      expect(reply.body).not.toContain(bed.secret);
      expect(reply.body).not.toMatch(/root:.*:0:0:/);
    }
    await bed?.close();
  });

  it.each(TRAVERSALS)('%s: GET/PUT/DELETE mlflow-artifacts/<path> refuse it', async (_name, p) => {
    for (const base of [
      `${PROXY}/${prefix}`,
      `/ajax-api/2.0/mlflow-artifacts/artifacts/${prefix}`,
    ]) {
      refused(await send(`${base}/${p}`), [400, 404]);
      refused(await send(`${base}/${p}`, 'PUT', 'PWNED'), [400, 404]);
      refused(await send(`${base}/${p}`, 'DELETE'), [400, 404]);
    }
    refused(await send(`${PROXY}/${modelPrefix}/${p}`), [400, 404]);
    refused(await send(`${PROXY}/${modelPrefix}/${p}`, 'PUT', 'PWNED'), [400, 404]);
    refused(await send(`${PROXY}/${p}`), [400, 404]);
    refused(await send(`${PROXY}/${p}`, 'PUT', 'PWNED'), [400, 404]);
  });

  it.each(TRAVERSALS)('%s: the listing routes refuse it', async (_name, p) => {
    refused(await send(`${PROXY}?path=${prefix}/${p}`), [400, 404]);
    refused(await send(`${PROXY}?path=${p}`), [400, 404]);
    refused(await send(`${API}/artifacts/list?run_id=${runId}&path=${p}`), [400, 404]);
    refused(
      await send(
        `${API}/logged-models/${modelId}/artifacts/directories?artifact_directory_path=${p}`,
      ),
      [400, 404],
    );
  });

  it.each(WHOLE)('%s: refused as a whole artifact path', async (_name, p) => {
    refused(await send(`${PROXY}/${p}`), [400, 404]);
    refused(await send(`${PROXY}/${p}`, 'PUT', 'PWNED'), [400, 404]);
    refused(await send(`${PROXY}?path=${p}`), [400, 404]);
  });

  it.each(LITERAL_NAMES)('%s: just a name inside the run, which does not exist', async (_n, p) => {
    // (Malformed percent-encoding is refused by the router; its error format is checked in
    // server-attacks-web.test.ts.)
    expect([400, 404]).toContain((await send(`${PROXY}/${prefix}/${p}`)).status);
    const listed = await send(`${API}/artifacts/list?run_id=${runId}&path=${p}`);
    if (listed.status === 200) expect(JSON.parse(listed.body)).not.toHaveProperty('files');
    else refused(listed, [400, 404]);
  });

  it('CVE-2023-6730 raw NUL byte in the request line: the HTTP parser refuses it', async () => {
    const { port } = new URL(bed.url);
    const reply = await rawSocket(
      bed.url,
      Buffer.from(
        `GET ${PROXY}/${prefix}/secret.txt\0.png HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`,
      ),
    );
    expect(reply.slice(0, 12)).toBe('HTTP/1.1 400');
    expect(reply).not.toContain(bed.secret);
  });

  it('CVE-2023-6730/-2356 write side: no upload wrote a file outside the store', async () => {
    expect(await snapshot(bed.dir, 'blobs')).toEqual(before);
    expect(await readFile(bed.secretPath, 'utf8')).toBe(`${bed.secret}\n`);
  });

  it('CVE-2023-2356 stored traversal: record-artifacts refuses paths a downloading client would write outside its folder', async () => {
    // A record named '../../x' is harmless to this server but not to the MLflow clients that
    // later download the run: they join the listed paths onto a local directory.
    const manifestId = 'a'.repeat(64);
    for (const path of [
      '../../../.bashrc',
      '..\\..\\evil.txt',
      '/etc/cron.d/pwn',
      'ok/%2e%2e/%2e%2e/x',
    ]) {
      refused(
        await json(bed.url, 'POST', '/api/mlops/runs/record-artifacts', {
          runId,
          artifacts: [{ path, manifestId, size: 1 }],
        }),
        [400],
        'INVALID_PARAMETER_VALUE',
      );
    }
    const listed = ok<{ files?: { path: string }[] }>(
      await send(`${API}/artifacts/list?run_id=${runId}`),
    );
    for (const f of listed.files ?? []) expect(f.path.split('/')).not.toContain('..');
  });
});

describe('symlinks in the artifact root (CVE-2023-1177 class: the store never follows a link outward)', () => {
  let bed: AttackBed;
  let prefix = '';
  let runId = '';
  const secretHash = () => sha256(`${bed.secret}\n`);

  beforeAll(async () => {
    bed = await attackBed();
    const ids = await experimentWithRun(bed.url, 'symlinks');
    runId = ids.runId;
    prefix = `${ids.experimentId}/${runId}/artifacts`;
    // Links an attacker with a foothold might plant: by name, and at a blob's own path.
    await symlink(bed.secretPath, join(bed.blobs, 'secret.txt'));
    await symlink('/etc', join(bed.blobs, 'etc'));
    await symlink(bed.dir, join(bed.blobs, prefix.split('/')[0] as string));
    await mkdir(join(bed.blobs, 'ab'), { recursive: true });
    await symlink(bed.secretPath, join(bed.blobs, 'ab', 'c'.repeat(62)));
  });
  afterAll(async () => bed?.close());

  const noLeak = (reply: Reply) => {
    expect(reply.body).not.toContain(bed.secret);
    expect(reply.body).not.toMatch(/root:.*:0:0:/);
  };

  it('CVE-2023-1177: artifact routes name records, not files: links by name serve nothing', async () => {
    for (const path of [
      `${PROXY}/secret.txt`,
      `${PROXY}/etc/passwd`,
      `${PROXY}/${prefix}/secret.txt`,
      `${PROXY}/${prefix}/../../../secret.txt`,
      `${PROXY}/${prefix.split('/')[0]}/secret.txt`,
      `${PROXY}?path=etc`,
      `${PROXY}?path=${prefix}`,
      `${API}/artifacts/list?run_id=${runId}&path=`,
    ]) {
      const reply = await raw(bed.url, path);
      noLeak(reply);
      if (reply.status === 200) expect(JSON.parse(reply.body)).not.toHaveProperty('files');
      else refused(reply, [400, 404]);
    }
  });

  it('CVE-2023-1177: a blob path linked to a local file is not served (content hash re-checked)', async () => {
    const hash = `ab${'c'.repeat(62)}`;
    const direct = await raw(bed.url, `/api/mlops/blobs/${hash}`);
    noLeak(direct);
    expect(direct.status).not.toBe(200);
    // The same through a run's record and the MLflow download route.
    ok(
      await json(bed.url, 'POST', '/api/mlops/runs/record-artifacts', {
        runId,
        artifacts: [{ path: 'linked.txt', manifestId: hash, size: bed.secret.length + 1 }],
      }),
    );
    const viaRecord = await raw(bed.url, `${PROXY}/${prefix}/linked.txt`).catch(
      (err: Error): Reply => ({
        status: 0,
        headers: {},
        body: `connection closed: ${err.message}`,
      }),
    );
    noLeak(viaRecord);
    expect(viaRecord.status).not.toBe(200);
  });

  it('CVE-2023-1177: an error about a linked blob does not disclose the file (its digest or the store path)', async () => {
    const reply = await raw(bed.url, `/api/mlops/blobs/ab${'c'.repeat(62)}`);
    refused(reply, [404, 500]);
    // The digest of the outside file lets a client confirm guesses of its content offline.
    expect(reply.body).not.toContain(secretHash());
    expect(reply.body).not.toContain(bed.dir);
  });
});

describe('local files through artifact and source URIs (CVE-2023-1177, CVE-2024-3573, CVE-2025-11201, CVE-2026-2614)', () => {
  let bed: AttackBed;
  beforeAll(async () => {
    bed = await attackBed();
  });
  afterAll(async () => bed?.close());

  const LOCATIONS = (dir: string) => [
    'file:///etc',
    'FILE:///etc',
    'file:/etc',
    'file:etc',
    '/etc',
    `file://${dir}`,
    dir,
    `${dir}/../..`,
    '..\\..\\..\\etc',
  ];

  it('CVE-2024-3573: experiments whose artifact_location is a local path list and serve nothing of it', async () => {
    for (const [i, location] of LOCATIONS(bed.dir).entries()) {
      const created = await json(bed.url, 'POST', `${API}/experiments/create`, {
        name: `lfi ${i}`,
        artifact_location: location,
      });
      if (created.status !== 200) {
        refused(created, [400]); // refusing local locations outright is fine too
        continue;
      }
      const { experiment_id: experimentId } = JSON.parse(created.body) as { experiment_id: string };
      const { run } = ok<{ run: { info: { run_id: string } } }>(
        await json(bed.url, 'POST', `${API}/runs/create`, { experiment_id: experimentId }),
      );
      const prefix = `${experimentId}/${run.info.run_id}/artifacts`;
      for (const path of ['', 'passwd', 'secret.txt', 'hostname', '..']) {
        const listed = await raw(
          bed.url,
          `${API}/artifacts/list?run_id=${run.info.run_id}&path=${path}`,
        );
        if (listed.status === 200) expect(JSON.parse(listed.body)).not.toHaveProperty('files');
        else refused(listed, [400, 404]);
        const proxied = await raw(bed.url, `${PROXY}?path=${prefix}/${path}`);
        if (proxied.status === 200) expect(JSON.parse(proxied.body)).not.toHaveProperty('files');
        else refused(proxied, [400, 404]);
      }
      for (const file of ['passwd', 'secret.txt', 'hostname']) {
        const got = await raw(bed.url, `${PROXY}/${prefix}/${file}`);
        refused(got, [404]);
        expect(got.body).not.toContain(bed.secret);
        expect(got.body).not.toMatch(/root:.*:0:0:/);
      }
      // Logged models of that experiment: the same.
      const { model } = ok<{ model: { info: { model_id: string } } }>(
        await json(bed.url, 'POST', `${API}/logged-models`, { experiment_id: experimentId }),
      );
      const dirs = await raw(
        bed.url,
        `${API}/logged-models/${model.info.model_id}/artifacts/directories?artifact_directory_path=`,
      );
      expect(ok(dirs)).not.toHaveProperty('files');
    }
  });

  it('CVE-2023-1177/CVE-2025-11201: source-like fields are stored as text, never read', async () => {
    const { experimentId, runId } = await experimentWithRun(bed.url, 'sources');
    const local = [`file://${bed.secretPath}`, bed.secretPath, '/etc/passwd', '../../secret.txt'];
    ok(
      await json(bed.url, 'POST', `${API}/runs/log-batch`, {
        run_id: runId,
        tags: local.map((value, i) => ({ key: `mlflow.source.name.${i}`, value })),
      }),
    );
    ok(
      await json(bed.url, 'POST', `${API}/runs/log-inputs`, {
        run_id: runId,
        datasets: local.map((source, i) => ({
          dataset: { name: `d${i}`, digest: `x${i}`, source_type: 'local', source },
        })),
      }),
    );
    ok(
      await json(bed.url, 'POST', `${API}/runs/log-model`, {
        run_id: runId,
        model_json: JSON.stringify({ artifact_path: '../../..', source: bed.secretPath }),
      }),
    );
    refused(
      await json(bed.url, 'POST', `${API}/logged-models`, {
        experiment_id: experimentId,
        source_run_id: '../../secret.txt',
      }),
      [400, 404],
    );
    const got = await raw(bed.url, `${API}/runs/get?run_id=${runId}`);
    expect(got.status).toBe(200);
    expect(got.body).toContain(bed.secretPath); // the text as given ...
    expect(got.body).not.toContain(bed.secret); // ... never the file's content
    expect(got.body).not.toMatch(/root:.*:0:0:/);
  });
});

describe('SSRF: the server never fetches a URL a client supplies (CVE-2026-2393; CVE-2023-43472 attacker artifact host)', () => {
  let bed: AttackBed;
  let rec: Awaited<ReturnType<typeof hitRecorder>>;
  beforeAll(async () => {
    bed = await attackBed();
    rec = await hitRecorder();
  });
  afterAll(async () => {
    await rec?.close();
    await bed?.close();
  });

  it('CVE-2026-2393: URLs in artifact_location, tags, dataset sources and models get zero hits', async () => {
    const u = (what: string) => `${rec.url}/${what}`;
    const { experimentId, runId } = await experimentWithRun(
      bed.url,
      'ssrf',
      {},
      u('artifact-location'),
    );
    const prefix = `${experimentId}/${runId}/artifacts`;
    ok(
      await json(bed.url, 'POST', `${API}/experiments/set-experiment-tag`, {
        experiment_id: experimentId,
        key: 'mlflow.note.content',
        value: u('experiment-tag'),
      }),
    );
    ok(
      await json(bed.url, 'POST', `${API}/runs/log-batch`, {
        run_id: runId,
        tags: [
          { key: 'mlflow.source.name', value: u('source-name') },
          { key: 'mlflow.source.git.repoURL', value: u('repo.git') },
        ],
        params: [{ key: 'data_url', value: u('param') }],
      }),
    );
    ok(
      await json(bed.url, 'POST', `${API}/runs/log-inputs`, {
        run_id: runId,
        datasets: [
          {
            dataset: {
              name: 'remote',
              digest: 'abc',
              source_type: 'http',
              source: JSON.stringify({ url: u('dataset.csv') }),
              schema: JSON.stringify({ url: u('schema') }),
            },
          },
        ],
      }),
    );
    ok(
      await json(bed.url, 'POST', `${API}/runs/log-model`, {
        run_id: runId,
        model_json: JSON.stringify({ artifact_path: u('model'), model_url: u('model-url') }),
      }),
    );
    const { model } = ok<{ model: { info: { model_id: string } } }>(
      await json(bed.url, 'POST', `${API}/logged-models`, {
        experiment_id: experimentId,
        name: 'm',
        source_run_id: runId,
        tags: [{ key: 'mlflow.source.url', value: u('model-tag') }],
        params: [{ key: 'url', value: u('model-param') }],
      }),
    );
    const modelId = model.info.model_id;
    // Read everything back (a lazy fetch would happen here), and aim artifact paths at the URL.
    for (const path of [
      `${API}/experiments/get?experiment_id=${experimentId}`,
      `${API}/runs/get?run_id=${runId}`,
      `${API}/artifacts/list?run_id=${runId}`,
      `${PROXY}?path=${prefix}`,
      `${PROXY}/${prefix}/model`,
      `${API}/logged-models/${modelId}`,
      `${API}/logged-models/${modelId}/artifacts/directories`,
      `${PROXY}/${encodeURIComponent(u('x'))}`,
      `${PROXY}?path=${encodeURIComponent(u('x'))}`,
      `${API}/artifacts/list?run_id=${runId}&path=${encodeURIComponent(u('x'))}`,
    ]) {
      const reply = await raw(bed.url, path);
      expect(reply.body).not.toContain('pwned');
    }
    ok(await json(bed.url, 'POST', `${API}/runs/search`, { experiment_ids: [experimentId] }));
    await new Promise((r) => setTimeout(r, 200));
    expect(rec.hits).toEqual([]);
  });
});

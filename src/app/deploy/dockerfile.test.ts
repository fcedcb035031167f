import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MlopsError, packageRoot } from '../../core/index.js';
import { DOCKERIGNORE, dockerfile } from './dockerfile.js';
import { serveCommand } from './serve-command.js';

interface Instruction {
  readonly stage: number;
  readonly op: string;
  readonly args: string;
}

/** Instructions with continuation lines joined and comments dropped; `stage` counts FROMs. */
function parse(text: string): Instruction[] {
  const out: Instruction[] = [];
  let stage = -1;
  let pending = '';
  for (const line of text.split('\n')) {
    if (pending === '' && (line.trim() === '' || line.trimStart().startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += line.slice(0, -1) + ' ';
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const [op = '', ...rest] = full.split(/\s+/);
    if (op === 'FROM') stage++;
    out.push({ stage, op, args: rest.join(' ') });
  }
  return out;
}

const URI = 'models:/goog-lstm@champion';

describe('dockerfile', () => {
  const text = dockerfile({
    modelUri: URI,
    port: 9090,
    trackingUri: 'http://tracking:5000',
    env: { NOTE: 'a "quoted" $HOME' },
  });
  const steps = parse(text);
  const final = steps.filter((s) => s.stage === 1);
  const one = (op: string) => {
    const found = final.filter((s) => s.op === op);
    expect(found, op).toHaveLength(1);
    return found[0]!.args;
  };

  it('builds in two stages on node:20-slim and installs production dependencies only', () => {
    expect(steps.filter((s) => s.op === 'FROM').map((s) => s.args)).toEqual([
      'node:20-slim AS deps',
      'node:20-slim',
    ]);
    const deps = steps.filter((s) => s.stage === 0);
    const run = deps.filter((s) => s.op === 'RUN').map((s) => s.args);
    expect(run.join('\n')).toContain('npm ci --omit=dev --ignore-scripts');
    expect(run.join('\n')).toContain('npm rebuild better-sqlite3');
    expect(deps.map((s) => `${s.op} ${s.args}`)).toContain('ENV ONNXRUNTIME_NODE_INSTALL=skip');
    expect(final.filter((s) => s.op === 'RUN')).toEqual([]); // no toolchain in the served image
  });

  it('skipping the onnxruntime-node download is safe: its linux CPU binaries ship in the package', () => {
    const bin = join(packageRoot(), 'node_modules', 'onnxruntime-node', 'bin', 'napi-v6', 'linux');
    for (const arch of ['x64', 'arm64']) {
      expect(existsSync(join(bin, arch, 'onnxruntime_binding.node')), arch).toBe(true);
      expect(existsSync(join(bin, arch, 'libonnxruntime.so.1')), arch).toBe(true);
    }
  });

  it('copies only what exists in an mlops package and what .dockerignore lets through', () => {
    const copies = steps.filter((s) => s.op === 'COPY' && !s.args.startsWith('--from'));
    const sources = copies.flatMap((c) => c.args.split(' ').slice(0, -1));
    expect(sources.sort()).toEqual([
      'bin',
      'dist',
      'package-lock.json*',
      'package.json',
      'package.json',
    ]);
    const allowed = DOCKERIGNORE.split('\n')
      .filter((l) => l.startsWith('!'))
      .map((l) => l.slice(1));
    for (const source of sources) expect(allowed).toContain(source.replace(/\*$/, ''));
    expect(DOCKERIGNORE.split('\n')).toContain('*');
    for (const path of ['package.json', 'bin/mlops.js']) {
      expect(existsSync(join(packageRoot(), path)), path).toBe(true);
    }
  });

  it('runs `mlops serve` as a non-root numeric user on the exposed port', () => {
    expect(JSON.parse(one('CMD'))).toEqual(serveCommand(URI, 9090));
    expect(JSON.parse(one('CMD'))).toEqual([
      'node',
      'bin/mlops.js',
      'serve',
      URI,
      '--host',
      '0.0.0.0',
      '--port',
      '9090',
    ]);
    expect(one('WORKDIR')).toBe('/app');
    expect(one('USER')).toBe('1000:1000');
    expect(one('EXPOSE')).toBe('9090');
  });

  it('sets the model and store URIs, quoting values for Docker', () => {
    const env = final.filter((s) => s.op === 'ENV').map((s) => s.args);
    expect(env).toContain(`MLOPS_MODEL_URI="${URI}"`);
    expect(env).toContain('MLOPS_TRACKING_URI="http://tracking:5000"');
    expect(env).toContain('NOTE="a \\"quoted\\" \\$HOME"');
    expect(env.filter((e) => e.startsWith('MLOPS_TRACKING_TOKEN'))).toEqual([]);
  });

  describe('HEALTHCHECK', () => {
    let server: Server;
    let port: number;
    let status = 200;
    beforeAll(async () => {
      server = createServer((req, res) => {
        res.statusCode = req.url === '/health' ? status : 404;
        res.end();
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    /** Runs the HEALTHCHECK's exec-form command as Docker would, returning its exit code. */
    async function healthcheck(): Promise<number> {
      const check = parse(dockerfile({ modelUri: URI, port })).find((s) => s.op === 'HEALTHCHECK')!;
      expect(check.args).toMatch(
        /^--interval=\S+ --timeout=\S+ --start-period=\S+ --retries=\d+ CMD \[/,
      );
      const argv = JSON.parse(check.args.slice(check.args.indexOf('CMD ') + 4)) as string[];
      expect(argv[0]).toBe('node');
      const child = spawn(process.execPath, argv.slice(1), { stdio: 'ignore' });
      return new Promise((r) => child.on('close', (code) => r(code ?? -1)));
    }

    it('passes while /health answers 200 and fails otherwise', async () => {
      status = 200;
      expect(await healthcheck()).toBe(0);
      status = 503;
      expect(await healthcheck()).toBe(1);
    });
  });

  it('refuses bad values, naming the flag', () => {
    const refused = (options: Parameters<typeof dockerfile>[0], message: RegExp) => {
      let thrown: unknown;
      try {
        dockerfile(options);
      } catch (err) {
        thrown = err;
      }
      expect(MlopsError.is(thrown) && thrown.code, String(thrown)).toBe('INVALID_PARAMETER_VALUE');
      expect((thrown as Error).message).toMatch(message);
    };
    refused({ modelUri: 'goog-lstm' }, /Invalid model URI 'goog-lstm': unknown scheme/);
    refused({ modelUri: URI, port: 0 }, /--port must be a port number from 1 to 65535; got 0/);
    refused(
      { modelUri: URI, trackingUri: 'https://bob:pw@tracking' },
      /--env MLOPS_TRACKING_URI: the URI holds a password/,
    );
    refused(
      { modelUri: URI, env: { AWS_SECRET_ACCESS_KEY: 'x' } },
      /secrets are not written into images/,
    );
  });
});

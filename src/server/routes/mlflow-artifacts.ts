import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Readable } from 'node:stream';
import { fileInfoToWire, MlflowTracking as T, stringifyWire } from '../../api/index.js';
import { readStoredFileChunks, storeStream } from '../../blobs/index.js';
import { MlopsError, invalidParam } from '../../core/index.js';
import { artifactChildren, safeArtifactPath } from '../../tracking/index.js';
import { mountJsonRoutes, route } from '../mount-routes.js';
import type { ServerContext } from '../server-context.js';
import { validationError } from '../validation-error.js';
import { recordFor, recordsOf, resolveArtifactTarget } from './artifact-owner.js';

const PREFIXES = ['/api/2.0', '/ajax-api/2.0'] as const;

/**
 * Artifacts: MLflow's `artifacts/list` and the proxied `mlflow-artifacts` service (upload,
 * download, list, delete) over the byte store. Uploads stream straight into content-defined
 * chunks, so the same file uploaded twice (or by another run) is stored once.
 */
export function registerArtifactRoutes(app: FastifyInstance, ctx: ServerContext): void {
  mountJsonRoutes(app, PREFIXES, 'artifacts', [
    route({
      method: 'GET',
      path: '/mlflow/artifacts/list',
      summary: "List the direct children of a path in a run's artifact tree",
      schema: T.ListArtifacts,
      async handler(input, request) {
        const runId = input.run_id || input.run_uuid;
        if (!runId) throw invalidParam("Missing value for required parameter 'run_id'.");
        await ctx.access.requireRun(request, runId, 'READ');
        const run = await ctx.store.getRun(runId);
        const prefix = safeArtifactPath(input.path ?? '');
        const files = artifactChildren(await ctx.store.listArtifactRecords(runId, prefix), prefix);
        return {
          root_uri: run.info.artifactUri,
          ...(files.length > 0 ? { files: files.map(fileInfoToWire) } : {}),
        };
      },
    }),
  ]);

  // Raw bodies: this scope alone accepts any content type and reads the stream itself.
  void app.register(async (scope) => {
    scope.addContentTypeParser('*', (_request, _payload, done) => done(null));
    for (const prefix of PREFIXES) {
      const base = `${prefix}/mlflow-artifacts/artifacts`;
      const hide = prefix !== PREFIXES[0];
      scope.get(
        base,
        {
          schema: {
            summary: 'List a directory',
            tags: ['artifacts'],
            hide,
            querystring: T.ListProxiedArtifacts,
          },
        },
        (request, reply) => listProxied(ctx, request, reply),
      );
      scope.get(
        `${base}/*`,
        { schema: { summary: 'Download a file', tags: ['artifacts'], hide } },
        (request, reply) => download(ctx, request, reply),
      );
      scope.put(
        `${base}/*`,
        { schema: { summary: 'Upload a file (raw body)', tags: ['artifacts'], hide } },
        (request, reply) => upload(ctx, request, reply),
      );
      scope.delete(
        `${base}/*`,
        { schema: { summary: 'Delete a file', tags: ['artifacts'], hide } },
        (request, reply) => remove(ctx, request, reply),
      );
    }
  });
}

function wildcard(request: FastifyRequest): string {
  return (request.params as { '*': string })['*'];
}

async function listProxied(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply) {
  const parsed = T.ListProxiedArtifacts.safeParse(request.query ?? {});
  if (!parsed.success) throw validationError(parsed.error, request.query);
  const target = await resolveArtifactTarget(ctx, parsed.data.path ?? '');
  await ctx.access.requireExperiment(request, target.experimentId, 'READ');
  const files = artifactChildren(await recordsOf(ctx, target), target.path).map((f) => {
    // MLflow answers with names relative to the listed directory.
    const name = target.path === '' ? f.path : f.path.slice(target.path.length + 1);
    return fileInfoToWire({ ...f, path: name });
  });
  return reply
    .header('content-type', 'application/json; charset=utf-8')
    .send(stringifyWire(files.length > 0 ? { files } : {}));
}

async function download(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply) {
  const target = await resolveArtifactTarget(ctx, wildcard(request));
  await ctx.access.requireExperiment(request, target.experimentId, 'READ');
  const record = (await recordsOf(ctx, target)).find((r) => r.path === target.path);
  if (!record) {
    throw new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `No artifact file '${target.path}' under ${target.kind} ${target.ownerId}.`,
    );
  }
  return sendStoredFile(ctx, reply, record.manifestId, record.size, target.path);
}

/** Serves stored bytes as a download: never rendered by a browser, whatever the name says. */
export function sendStoredFile(
  ctx: ServerContext,
  reply: FastifyReply,
  manifestId: string,
  size: number,
  path: string,
) {
  const name = path.split('/').pop() ?? 'artifact';
  return reply
    .header('content-type', 'application/octet-stream')
    .header('content-length', String(size))
    .header('content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}"`)
    .send(Readable.from(readStoredFileChunks(ctx.blobs, manifestId)));
}

async function upload(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply) {
  const target = await resolveArtifactTarget(ctx, wildcard(request));
  await ctx.access.requireExperiment(request, target.experimentId, 'EDIT');
  if (target.path === '')
    throw invalidParam('Upload to a file path under the artifact root, not the root itself.');
  const stored = await storeStream(ctx.blobs, request.raw, { flush: true });
  await recordFor(ctx, target, {
    path: target.path,
    manifestId: stored.manifestId,
    size: stored.size,
  });
  return reply.header('content-type', 'application/json; charset=utf-8').send('{}');
}

async function remove(ctx: ServerContext, request: FastifyRequest, reply: FastifyReply) {
  const target = await resolveArtifactTarget(ctx, wildcard(request));
  await ctx.access.requireExperiment(request, target.experimentId, 'EDIT');
  void reply;
  throw new MlopsError(
    'INVALID_PARAMETER_VALUE',
    `Artifacts are immutable records here; '${target.path}' stays. Delete the run instead (its bytes go at the next \`mlops data gc\`).`,
  );
}

import type { FastifyInstance } from 'fastify';
import { Native as N } from '../../api/index.js';
import { assertBlobHash, sha256Hex } from '../../blobs/index.js';
import { MlopsError } from '../../core/index.js';
import { mountJsonRoutes, route } from '../mount-routes.js';
import { BlobReadGuard } from '../blob-read-guard.js';
import { LineageGuard } from '../lineage-guard.js';
import type { ServerContext } from '../server-context.js';

const PREFIX = '/api/mlops';
/** Blobs are chunks (256 KiB at most) and manifests (36 bytes a chunk): 64 MiB is ample. */
const BLOB_BODY_LIMIT = 64 << 20;
const LIST_PAGE = 10_000;

/**
 * What the remote SDK needs beyond MLflow's API: artifact records, the byte store and lineage.
 * Blobs are content-addressed: a PUT is re-hashed and refused unless the bytes match the name,
 * so no client can plant wrong bytes under a name another run refers to.
 */
export function registerNativeRoutes(app: FastifyInstance, ctx: ServerContext): void {
  const { store, access, blobs, lineage } = ctx;
  const blobReads = new BlobReadGuard(ctx);
  const lineageGuard = new LineageGuard(ctx);
  mountJsonRoutes(app, [PREFIX], 'mlops', [
    route({
      method: 'POST',
      path: '/runs/record-artifacts',
      summary: 'Record files already in the byte store as artifacts of a run',
      schema: N.RecordArtifacts,
      async handler(input, request) {
        await access.requireRun(request, input.runId, 'EDIT');
        // The store's contract, as locally: records name manifests; the SDK flushes the bytes
        // before it records them. Only the form of each name is checked here.
        for (const a of input.artifacts) {
          assertBlobHash(a.manifestId, `manifest id of '${a.path}'`);
          // Knowing a hash is not owning the bytes: record only what you uploaded or may read.
          await blobReads.check(request, a.manifestId);
        }
        await store.recordArtifacts(input.runId, input.artifacts);
        return {};
      },
    }),
    route({
      method: 'GET',
      path: '/runs/artifact-records',
      summary: "A run's artifact records under a prefix",
      schema: N.ListArtifactRecords,
      async handler(input, request) {
        await access.requireRun(request, input.runId, 'READ');
        return { artifacts: await store.listArtifactRecords(input.runId, input.prefix ?? '') };
      },
    }),
    route({
      method: 'GET',
      path: '/artifact-manifests',
      summary: 'Every manifest id runs refer to (byte store gc roots; admin)',
      schema: N.PageOnly,
      async handler(input, request) {
        access.requireAdmin(request);
        return pageOf(store.artifactManifestIds(), input.pageToken, 'manifestIds');
      },
    }),
    route({
      method: 'GET',
      path: '/blobs',
      summary: 'List stored blob hashes (admin)',
      schema: N.PageOnly,
      async handler(input, request) {
        access.requireAdmin(request);
        return pageOf(blobs.list(), input.pageToken, 'hashes');
      },
    }),
    route({
      method: 'POST',
      path: '/blobs/flush',
      summary: 'Make uploaded blobs durable',
      schema: N.PageOnly,
      async handler(_input, request) {
        access.requireUser(request);
        await blobs.flush();
        return {};
      },
    }),
    route({
      method: 'DELETE',
      path: '/blobs/:hash',
      summary: 'Delete a blob (admin; gc does this)',
      schema: N.BlobHash,
      async handler(input, request) {
        access.requireAdmin(request);
        await blobs.delete(assertBlobHash(input.hash));
        return {};
      },
    }),
    route({
      method: 'POST',
      path: '/lineage/edges',
      summary: 'Record lineage edges',
      schema: N.RecordLineage,
      async handler(input, request) {
        access.requireUser(request);
        await lineageGuard.requireWrite(request, input.edges);
        await lineage.record(
          input.edges.map((e) => ({
            src: e.src,
            dst: e.dst,
            relation: e.relation,
            ...(e.attrs !== undefined ? { attrs: e.attrs } : {}),
            ...(e.createdAt !== undefined ? { createdAt: e.createdAt } : {}),
          })),
        );
        return {};
      },
    }),
    route({
      method: 'GET',
      path: '/lineage/edges',
      summary: 'Edges from or to a node',
      schema: N.LineageEdges,
      async handler(input, request) {
        access.requireUser(request);
        const node = { type: input.type, id: input.id };
        const edges =
          input.direction === 'from' ? await lineage.edgesFrom(node) : await lineage.edgesTo(node);
        return { edges: await lineageGuard.visibleEdges(request, edges) };
      },
    }),
    route({
      method: 'GET',
      path: '/lineage/neighborhood',
      summary: 'The lineage subgraph around a node',
      schema: N.LineageNeighborhood,
      async handler(input, request) {
        access.requireUser(request);
        if (!(await lineageGuard.readable(request, { type: input.type, id: input.id }))) {
          throw new MlopsError(
            'PERMISSION_DENIED',
            `No READ permission on ${input.type} ${input.id}, so no lineage around it.`,
          );
        }
        const graph = await lineage.neighborhood(
          { type: input.type, id: input.id },
          {
            ...(input.depth !== undefined ? { depth: input.depth } : {}),
            ...(input.direction !== undefined ? { direction: input.direction } : {}),
          },
        );
        return lineageGuard.visibleGraph(request, graph);
      },
    }),
  ]);

  void app.register(async (scope) => {
    scope.addContentTypeParser(
      '*',
      { parseAs: 'buffer', bodyLimit: BLOB_BODY_LIMIT },
      (_request, body, done) => done(null, body),
    );
    const hide = false;
    scope.put(
      `${PREFIX}/blobs/:hash`,
      {
        bodyLimit: BLOB_BODY_LIMIT,
        schema: {
          summary: 'Upload a blob (raw bytes named by their sha256)',
          tags: ['mlops'],
          hide,
        },
      },
      async (request, reply) => {
        access.requireUser(request);
        const hash = assertBlobHash((request.params as { hash: string }).hash);
        const body = request.body;
        const bytes = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
        const actual = sha256Hex(bytes);
        if (actual !== hash) {
          throw new MlopsError(
            'INVALID_PARAMETER_VALUE',
            `Blob ${hash}: the uploaded ${bytes.byteLength} bytes hash to ${actual}; a blob's name must be the sha256 of its bytes.`,
          );
        }
        await blobs.put(bytes);
        blobReads.uploaded(request, hash);
        return reply
          .header('content-type', 'application/json; charset=utf-8')
          .send(JSON.stringify({ hash }));
      },
    );
    scope.get(
      `${PREFIX}/blobs/:hash`,
      { schema: { summary: 'Download a blob', tags: ['mlops'], hide } },
      async (request, reply) => {
        access.requireUser(request);
        const hash = assertBlobHash((request.params as { hash: string }).hash);
        await blobReads.check(request, hash);
        const bytes = await blobs.get(hash);
        return reply
          .header('content-type', 'application/octet-stream')
          .send(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
      },
    );
    scope.head(
      `${PREFIX}/blobs/:hash`,
      { schema: { summary: 'Blob presence and size', tags: ['mlops'], hide } },
      async (request, reply) => {
        access.requireUser(request);
        const hash = assertBlobHash((request.params as { hash: string }).hash);
        await blobReads.check(request, hash);
        if (!(await blobs.has(hash))) return reply.status(404).send();
        return reply
          .header('content-length', String(await blobs.size(hash)))
          .status(200)
          .send();
      },
    );
  });
}

async function pageOf(
  source: AsyncIterable<string>,
  pageToken: string | undefined,
  field: 'manifestIds' | 'hashes',
): Promise<Record<string, unknown>> {
  // Listings are unordered streams; a token is how many items were already returned.
  const skip = pageToken ? Number.parseInt(pageToken, 10) : 0;
  if (!Number.isSafeInteger(skip) || skip < 0) {
    throw new MlopsError('INVALID_PARAMETER_VALUE', `Invalid page token '${pageToken}'.`);
  }
  const all: string[] = [];
  for await (const item of source) all.push(item);
  all.sort();
  const items = all.slice(skip, skip + LIST_PAGE);
  return skip + LIST_PAGE < all.length
    ? { [field]: items, nextPageToken: String(skip + LIST_PAGE) }
    : { [field]: items };
}

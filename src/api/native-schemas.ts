import { z } from 'zod';
import { int64 } from './zod-fields.js';

/**
 * Routes for what MLflow lacks, under /api/mlops (camelCase JSON: our own entities as they are).
 * Used by the remote SDK (`HttpTrackingStore`, `HttpBlobStore`, `HttpLineageStore`).
 */

const artifactRecord = z.object({
  path: z.string(),
  manifestId: z.string(),
  size: z.number().int().min(0),
});
export const RecordArtifacts = z.object({ runId: z.string(), artifacts: z.array(artifactRecord) });
export const ListArtifactRecords = z.object({ runId: z.string(), prefix: z.string().optional() });
export const PageOnly = z.object({ pageToken: z.string().optional() });
export const BlobHash = z.object({ hash: z.string() });

const nodeRef = z.object({ type: z.string(), id: z.string() });
export const RecordLineage = z.object({
  edges: z.array(
    z.object({
      src: nodeRef,
      dst: nodeRef,
      relation: z.string(),
      attrs: z.record(z.string(), z.unknown()).optional(),
      createdAt: z.number().int().optional(),
    }),
  ),
});
export const LineageEdges = z.object({
  type: z.string(),
  id: z.string(),
  direction: z.enum(['from', 'to']),
});
export const LineageNeighborhood = z.object({
  type: z.string(),
  id: z.string(),
  depth: int64.optional(),
  direction: z.enum(['up', 'down', 'both']).optional(),
});

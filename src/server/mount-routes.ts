import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { stringifyWire } from '../api/index.js';
import { validationError } from './validation-error.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/**
 * One JSON route: the zod schema both validates the request (query string for GET, JSON body
 * otherwise, path parameters merged in) and documents it in /api/openapi.json. The handler gets
 * the parsed input and returns the response object, written with MLflow's JSON conventions.
 */
export interface JsonRoute<S extends z.ZodType = z.ZodType> {
  readonly method: HttpMethod;
  /** Relative to the mount prefix, e.g. `/mlflow/runs/get` or `/runs/record-artifacts`. */
  readonly path: string;
  readonly summary: string;
  readonly schema: S;
  handler(input: z.output<S>, request: FastifyRequest): Promise<unknown>;
}

/** Checks a route's type once, where it is written, so a list of routes can mix schemas. */
export function route<S extends z.ZodType>(def: JsonRoute<S>): JsonRoute {
  return def as unknown as JsonRoute;
}

/** Mounts `routes` under each prefix (MLflow serves every RPC under /api/2.0 and /ajax-api/2.0). */
export function mountJsonRoutes(
  app: FastifyInstance,
  prefixes: readonly string[],
  tag: string,
  routes: readonly JsonRoute[],
): void {
  for (const prefix of prefixes) {
    for (const def of routes) {
      const fromQuery = def.method === 'GET';
      app.route({
        method: def.method,
        url: `${prefix}${def.path}`,
        schema: {
          summary: def.summary,
          tags: [tag],
          hide: prefix !== prefixes[0],
          ...(fromQuery ? { querystring: def.schema } : { body: def.schema }),
        },
        handler: async (request: FastifyRequest, reply: FastifyReply) => {
          const raw = {
            ...((fromQuery ? request.query : (request.body ?? {})) as object),
            ...(request.params as object),
          };
          const parsed = def.schema.safeParse(raw);
          if (!parsed.success) throw validationError(parsed.error, raw);
          const result = await def.handler(parsed.data, request);
          return reply
            .header('content-type', 'application/json; charset=utf-8')
            .send(stringifyWire(result ?? {}));
        },
      });
    }
  }
}

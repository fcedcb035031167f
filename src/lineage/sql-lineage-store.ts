import type { Kysely, Selectable } from 'kysely';
import { invalidParam, nowMs } from '../core/index.js';
import type { Database, LineageEdgesTable, Schema } from '../storage/index.js';
import { assertNodeRef, nodeKey, type NodeRef } from './node-ref.js';
import type {
  LineageEdge,
  LineageEdgeInput,
  LineageGraph,
  LineageStore,
  NeighborhoodOptions,
} from './lineage-store.js';

type Row = Selectable<LineageEdgesTable>;

const PK = ['src_type', 'src_id', 'dst_type', 'dst_id', 'relation'] as const;
/** 7 bound values per row: stays far below SQLite's and PostgreSQL's parameter limits. */
const INSERT_BATCH = 500;
/** Nodes per lookup query during a breadth-first step (4 bound values each). */
const LOOKUP_BATCH = 200;
export const MAX_LINEAGE_DEPTH = 100;

/** The lineage graph in the `lineage_edges` table, on SQLite or PostgreSQL alike. */
export class SqlLineageStore implements LineageStore {
  readonly #database: Database;

  constructor(database: Database) {
    this.#database = database;
  }

  async record(edges: readonly LineageEdgeInput[]): Promise<void> {
    const now = nowMs();
    const rows = new Map<string, Row>();
    // Validate everything before writing anything.
    for (const [i, edge] of edges.entries()) {
      const row = toRow(edge, i, now);
      const key = PK.map((c) => row[c]).join('\u0000');
      if (!rows.has(key)) rows.set(key, row);
    }
    if (rows.size === 0) return;
    const all = [...rows.values()];
    await this.#database.write(async (trx) => {
      for (let i = 0; i < all.length; i += INSERT_BATCH) {
        await trx
          .insertInto('lineage_edges')
          .values(all.slice(i, i + INSERT_BATCH))
          .onConflict((oc) => oc.columns([...PK]).doNothing())
          .execute();
      }
    });
  }

  edgesFrom(node: NodeRef): Promise<LineageEdge[]> {
    assertNodeRef(node);
    return this.#edgesAt([node], 'down');
  }

  edgesTo(node: NodeRef): Promise<LineageEdge[]> {
    assertNodeRef(node);
    return this.#edgesAt([node], 'up');
  }

  async neighborhood(node: NodeRef, options: NeighborhoodOptions = {}): Promise<LineageGraph> {
    assertNodeRef(node);
    const depth = options.depth ?? 3;
    const direction = options.direction ?? 'both';
    if (!Number.isInteger(depth) || depth < 0 || depth > MAX_LINEAGE_DEPTH) {
      throw invalidParam(
        `Invalid lineage depth ${depth}: expected an integer from 0 to ${MAX_LINEAGE_DEPTH}.`,
      );
    }
    if (direction !== 'up' && direction !== 'down' && direction !== 'both') {
      throw invalidParam(
        `Invalid lineage direction ${JSON.stringify(direction)}: expected 'up', 'down' or 'both'.`,
      );
    }
    const nodes = new Map<string, NodeRef>([[nodeKey(node), node]]);
    const edges = new Map<string, LineageEdge>();
    if (direction !== 'down') await this.#walk(node, depth, 'up', nodes, edges);
    if (direction !== 'up') await this.#walk(node, depth, 'down', nodes, edges);
    return { nodes: [...nodes.values()], edges: [...edges.values()] };
  }

  /** Breadth-first in one direction; each level is one query per LOOKUP_BATCH nodes. */
  async #walk(
    start: NodeRef,
    depth: number,
    way: 'up' | 'down',
    nodes: Map<string, NodeRef>,
    edges: Map<string, LineageEdge>,
  ): Promise<void> {
    const visited = new Set([nodeKey(start)]);
    let frontier = [start];
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      const next: NodeRef[] = [];
      for (const edge of await this.#edgesAt(frontier, way)) {
        edges.set(edgeKey(edge), edge);
        const other = way === 'up' ? edge.src : edge.dst;
        const key = nodeKey(other);
        if (!nodes.has(key)) nodes.set(key, other);
        if (!visited.has(key)) {
          visited.add(key);
          next.push(other);
        }
      }
      frontier = next;
    }
  }

  /** Edges entering (`up`) or leaving (`down`) any of `frontier`. */
  async #edgesAt(frontier: readonly NodeRef[], way: 'up' | 'down'): Promise<LineageEdge[]> {
    const [typeCol, idCol] =
      way === 'up' ? (['dst_type', 'dst_id'] as const) : (['src_type', 'src_id'] as const);
    const db: Kysely<Schema> = this.#database.db;
    const out: LineageEdge[] = [];
    for (let i = 0; i < frontier.length; i += LOOKUP_BATCH) {
      const batch = frontier.slice(i, i + LOOKUP_BATCH);
      const rows = await db
        .selectFrom('lineage_edges')
        .selectAll()
        .where((eb) =>
          eb.or(batch.map((n) => eb.and([eb(typeCol, '=', n.type), eb(idCol, '=', n.id)]))),
        )
        .orderBy('created_at')
        .orderBy('relation')
        .orderBy(way === 'up' ? 'src_type' : 'dst_type')
        .orderBy(way === 'up' ? 'src_id' : 'dst_id')
        .execute();
      for (const row of rows) out.push(fromRow(row));
    }
    return out;
  }
}

function toRow(edge: LineageEdgeInput, i: number, now: number): Row {
  const what = `lineage edge ${i}`;
  assertNodeRef(edge.src, `${what} src`);
  assertNodeRef(edge.dst, `${what} dst`);
  // Free strings, but one token: they are printed as `--relation-->`.
  // eslint-disable-next-line no-control-regex -- refusing control characters is the point
  if (typeof edge.relation !== 'string' || !/^[^\s\u0000-\u001f]{1,128}$/.test(edge.relation)) {
    throw invalidParam(
      `Invalid ${what} relation ${JSON.stringify(edge.relation)}: expected 1 to 128 characters without spaces (e.g. 'input').`,
    );
  }
  const createdAt = edge.createdAt ?? now;
  if (!Number.isSafeInteger(createdAt) || createdAt < 0) {
    throw invalidParam(`Invalid ${what} createdAt ${createdAt}: expected epoch milliseconds.`);
  }
  return {
    src_type: edge.src.type,
    src_id: edge.src.id,
    dst_type: edge.dst.type,
    dst_id: edge.dst.id,
    relation: edge.relation,
    created_at: createdAt,
    attrs: encodeAttrs(edge.attrs, what),
  };
}

function encodeAttrs(attrs: LineageEdgeInput['attrs'], what: string): string {
  if (attrs === undefined) return '{}';
  if (typeof attrs !== 'object' || attrs === null || Array.isArray(attrs)) {
    throw invalidParam(`Invalid ${what} attrs: expected a JSON object.`);
  }
  try {
    return JSON.stringify(attrs);
  } catch (err) {
    throw invalidParam(`Invalid ${what} attrs: not JSON-serialisable (${(err as Error).message}).`);
  }
}

function fromRow(row: Row): LineageEdge {
  let attrs: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(row.attrs);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
      attrs = parsed as Record<string, unknown>;
    }
  } catch {
    // A hand-edited row: show the edge without attrs rather than fail the whole query.
  }
  return {
    src: { type: row.src_type, id: row.src_id },
    dst: { type: row.dst_type, id: row.dst_id },
    relation: row.relation,
    attrs,
    createdAt: Number(row.created_at),
  };
}

function edgeKey(edge: LineageEdge): string {
  return [nodeKey(edge.src), nodeKey(edge.dst), edge.relation].join('\u0001');
}

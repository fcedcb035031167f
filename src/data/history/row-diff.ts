import { createHash } from 'node:crypto';

/**
 * How the rows of a text file changed between two versions. Rows are lines (a header is a line
 * too); a last line without a newline counts. The comparison is deliberately simple:
 * - `append`: the new version starts with every byte of the old one, which ended with a newline
 *   (rows were added at the end): `rowsAdded` is exact, `rowsRemoved` 0;
 * - `truncate`: the reverse (rows removed from the end): `rowsRemoved` is exact;
 * - `edit`: anything else. `rowsAdded`/`rowsRemoved` are then only the net line-count difference
 *   (at most one of them non-zero), not a line-by-line diff.
 */
export interface RowDiff {
  readonly kind: 'append' | 'truncate' | 'edit';
  readonly linesBefore: number;
  readonly linesAfter: number;
  readonly rowsAdded: number;
  readonly rowsRemoved: number;
}

/** File names whose bytes `diff` reads to count rows (CSV-like text). */
const ROW_EXTENSIONS = new Set(['csv', 'tsv', 'psv', 'txt', 'jsonl', 'ndjson']);

/** True for a path whose extension is one of CSV, TSV, PSV, TXT, JSONL, NDJSON. */
export function isRowFile(path: string): boolean {
  const name = path.split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  return dot > 0 && ROW_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** What one pass over a file's bytes found. */
export interface TextScan {
  readonly size: number;
  readonly lines: number;
  /** True when the file is empty or its last byte is a newline. */
  readonly endsClean: boolean;
  /** sha256 of the first `prefixLength` bytes, when asked for and the file is that long. */
  readonly prefixSha256?: string;
}

/** Counts lines in one streamed pass; hashes the first `prefixLength` bytes when given. */
export async function scanText(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  prefixLength?: number,
): Promise<TextScan> {
  let size = 0;
  let newlines = 0;
  let last = -1;
  const hasher = prefixLength === undefined ? undefined : createHash('sha256');
  for await (const chunk of chunks) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (hasher !== undefined && prefixLength !== undefined && size < prefixLength) {
      hasher.update(bytes.subarray(0, Math.min(bytes.length, prefixLength - size)));
    }
    for (let at = bytes.indexOf(0x0a); at >= 0; at = bytes.indexOf(0x0a, at + 1)) newlines++;
    if (bytes.length > 0) last = bytes[bytes.length - 1] ?? -1;
    size += bytes.length;
  }
  const endsClean = size === 0 || last === 0x0a;
  const lines = newlines + (endsClean ? 0 : 1);
  const long = hasher !== undefined && prefixLength !== undefined && size >= prefixLength;
  return { size, lines, endsClean, ...(long ? { prefixSha256: hasher.digest('hex') } : {}) };
}

/** A file version as `diff` sees it: its identity and a way to stream its bytes. */
export interface RowSource {
  readonly sha256: string;
  readonly size: number;
  readonly chunks: () => AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
}

/**
 * Compares two versions of a text file, reading each once: the longer one is also hashed over
 * the shorter one's length, which tells an append (or truncation) from an edit.
 */
export async function diffRows(before: RowSource, after: RowSource): Promise<RowDiff> {
  const grew = after.size > before.size;
  const shrank = after.size < before.size;
  const a = await scanText(before.chunks(), shrank ? after.size : undefined);
  const b = await scanText(after.chunks(), grew ? before.size : undefined);
  return classifyRows(
    a,
    b,
    grew ? b.prefixSha256 === before.sha256 : false,
    shrank ? a.prefixSha256 === after.sha256 : false,
  );
}

/**
 * The row change from two scans: `afterExtendsBefore` says the new version starts with the old
 * one's bytes, `beforeExtendsAfter` the reverse.
 */
export function classifyRows(
  before: Pick<TextScan, 'lines' | 'endsClean'>,
  after: Pick<TextScan, 'lines' | 'endsClean'>,
  afterExtendsBefore: boolean,
  beforeExtendsAfter: boolean,
): RowDiff {
  const lines = { linesBefore: before.lines, linesAfter: after.lines };
  const delta = after.lines - before.lines;
  if (afterExtendsBefore && before.endsClean) {
    return { kind: 'append', ...lines, rowsAdded: delta, rowsRemoved: 0 };
  }
  if (beforeExtendsAfter && after.endsClean) {
    return { kind: 'truncate', ...lines, rowsAdded: 0, rowsRemoved: -delta };
  }
  return {
    kind: 'edit',
    ...lines,
    rowsAdded: Math.max(0, delta),
    rowsRemoved: Math.max(0, -delta),
  };
}

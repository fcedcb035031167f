import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { CsvError, parse } from 'csv-parse';
import { MlopsError, invalidParam } from '../../core/index.js';
import { inspectBytes, type ByteStats } from './inspect-bytes.js';
import type { PriceCsv } from './price-csv.js';
import { PriceRowReader } from './price-row-reader.js';

/**
 * Loads a daily OHLCV CSV (Yahoo Finance form and its common variants: any header case and order,
 * `Adj Close`/`adjclose`/`adj_close` or none, YYYY-MM-DD or M/D/YYYY dates, quoted numbers with
 * thousands separators, CRLF, a BOM, blank lines), streaming it once through csv-parse while
 * hashing its bytes.
 *
 * Bad cells do not throw: they come back in `problems` (line, column, raw value, what was expected)
 * and their rows are left out of `bars`, for the data contract to report all at once. A header-only
 * file loads as zero bars; the contract then reports it (so the CLI prints a report, not a stack).
 *
 * @throws MlopsError RESOURCE_DOES_NOT_EXIST when the file is missing; INVALID_PARAMETER_VALUE when
 *   it is empty, binary (NUL bytes, not UTF-8), a directory, or lacks a required column; IO_ERROR
 *   when reading fails otherwise.
 */
export async function loadPriceCsv(path: string): Promise<PriceCsv> {
  const hash = createHash('sha256');
  const stats: ByteStats = { bytes: 0 };
  const reader = new PriceRowReader(path);
  const parser = parse({
    bom: true,
    trim: true,
    skip_empty_lines: true,
    relax_column_count: true,
    info: true,
    skip_records_with_error: true,
    on_skip: (err, raw) => {
      reader.skip(Number(err?.lines ?? 0), raw ?? '', err?.message ?? 'a well-formed CSV record');
    },
  });
  try {
    await pipeline(
      createReadStream(path),
      inspectBytes(path, hash, stats),
      parser,
      async (records) => {
        for await (const { record, info } of records as AsyncIterable<{
          record: string[];
          info: { lines: number };
        }>) {
          reader.add(record, info.lines);
        }
      },
    );
  } catch (err) {
    throw loadError(path, err);
  }
  const broken = reader.problems[0];
  if (reader.header === undefined && broken !== undefined) {
    throw invalidParam(`${path}: line ${broken.line}: cannot read the header: ${broken.expected}`, {
      file: path,
      line: broken.line,
    });
  }
  if (reader.header === undefined) {
    throw invalidParam(
      `${path} is empty: expected a header line such as Date,Open,High,Low,Close,Adj Close,Volume ` +
        `followed by one line per trading day.`,
      { file: path },
    );
  }
  return Object.freeze({
    source: path,
    sha256: hash.digest('hex'),
    bars: Object.freeze(reader.bars),
    columns: Object.freeze(reader.columns),
    header: Object.freeze([...reader.header]),
    lines: Object.freeze(reader.lines),
    problems: Object.freeze(reader.problems),
  });
}

/** Maps a failure while reading to the MlopsError a user can act on. */
function loadError(path: string, err: unknown): MlopsError {
  if (MlopsError.is(err)) return err;
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') {
    return new MlopsError(
      'RESOURCE_DOES_NOT_EXIST',
      `${path}: no such file. Give the path of a daily price CSV (Date,Open,High,Low,Close,Volume).`,
      { cause: err, details: { file: path } },
    );
  }
  if (code === 'EISDIR') {
    return invalidParam(`${path} is a directory; expected a CSV file.`, { file: path });
  }
  if (err instanceof CsvError) {
    return invalidParam(`${path}: line ${String(err['lines'])}: ${err.message}`, { file: path });
  }
  return new MlopsError('IO_ERROR', `Cannot read ${path}: ${(err as Error).message}`, {
    cause: err,
    details: { file: path },
  });
}

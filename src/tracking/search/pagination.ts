import { MlopsError } from '../../core/index.js';
import { decodeOffsetToken, encodeOffsetToken } from '../page-token.js';

export const DEFAULT_MAX_RESULTS = 1000;
/** MLflow's SEARCH_MAX_RESULTS_THRESHOLD: servers must support, and refuse beyond, 50 000. */
export const MAX_RESULTS_LIMIT = 50_000;

export interface PageRequest {
  readonly offset: number;
  readonly limit: number;
}

/** Validates max_results (1..50 000, default 1000) and decodes the opaque offset token. */
export function resolvePage(input: { maxResults?: number; pageToken?: string }): PageRequest {
  const limit = input.maxResults ?? DEFAULT_MAX_RESULTS;
  if (!Number.isSafeInteger(limit) || limit < 1 || limit > MAX_RESULTS_LIMIT) {
    throw new MlopsError(
      'INVALID_PARAMETER_VALUE',
      `Invalid value ${limit} for max_results: it must be an integer from 1 to ${MAX_RESULTS_LIMIT}.`,
    );
  }
  return { offset: decodeOffsetToken(input.pageToken), limit };
}

/**
 * Cuts the `limit + 1` rows a query fetched down to one page, with a token when more follow.
 * Offsets can skip or repeat rows if runs change between pages, as in MLflow.
 */
export function pageOf<T>(
  rows: readonly T[],
  page: PageRequest,
): { items: T[]; nextPageToken?: string } {
  if (rows.length <= page.limit) return { items: [...rows] };
  return {
    items: rows.slice(0, page.limit),
    nextPageToken: encodeOffsetToken(page.offset + page.limit),
  };
}

import { invalidParam } from '../core/index.js';

/** Opaque page tokens: base64url of `{"offset":N}`. Clients must not rely on the form. */
export function encodeOffsetToken(offset: number): string {
  return Buffer.from(JSON.stringify({ offset })).toString('base64url');
}

export function decodeOffsetToken(token: string | undefined): number {
  if (token === undefined || token === '') return 0;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
    const offset = (parsed as { offset?: unknown }).offset;
    if (typeof offset === 'number' && Number.isSafeInteger(offset) && offset >= 0) return offset;
  } catch {
    // fall through to the error below
  }
  throw invalidParam(
    `Invalid page token '${token}': pass back the next_page_token of an earlier page.`,
    { field: 'page_token' },
  );
}

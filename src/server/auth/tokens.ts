import { createHash, randomBytes } from 'node:crypto';

/** The prefix makes a leaked token recognisable to people and to secret scanners. */
export const TOKEN_PREFIX = 'mlops_';

/** A new API token: `mlops_` and 32 random bytes in base64url. Shown once, stored as its hash. */
export function newToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

/**
 * What the database keeps of a token: its sha256 in hex. A fast hash is enough because the token
 * is 256 random bits, not a guessable password.
 */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

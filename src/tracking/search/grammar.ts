import type { EntityType } from './ast.js';

/** How a resolved identifier may be compared. */
export interface ResolvedIdentifier {
  readonly entity: EntityType;
  /** Canonical key (aliases such as `created` already mapped). */
  readonly key: string;
  /** What the right-hand side must be: an unquoted number or a quoted string. */
  readonly valueKind: 'number' | 'string';
  /** Whether `IN` / `NOT IN` with a list of strings is allowed. */
  readonly allowsList: boolean;
}

/**
 * What differs between run search and experiment search: which identifiers exist and how they
 * compare. The lexer and parsers are shared.
 */
export interface SearchGrammar {
  /**
   * Resolves `<type>.<key>` (`type` undefined for a bare key). Returns an error message (without
   * the position prefix) when the identifier is unknown or not allowed for `usage`.
   */
  resolve(
    type: string | undefined,
    key: string,
    usage: 'filter' | 'order_by',
  ): ResolvedIdentifier | string;
}

import type { Token } from './lexer.js';
import { syntaxError } from './syntax-error.js';

/** A read position over a token list (which always ends with an `eof` token). */
export class TokenCursor {
  #index = 0;

  constructor(
    private readonly tokens: readonly Token[],
    /** Names the input in errors: `filter`, `order_by clause '...'`. */
    readonly subject: string,
  ) {}

  peek(): Token {
    return this.tokens[Math.min(this.#index, this.tokens.length - 1)] as Token;
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== 'eof') this.#index++;
    return token;
  }

  /** Whether the next token is the word `word` (case-insensitive). */
  atWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.value.toUpperCase() === word;
  }

  /** An INVALID_PARAMETER_VALUE error pointing at `token` (default: the next one). */
  error(message: string, token: Token = this.peek()): Error {
    return syntaxError(
      this.subject,
      token.position,
      token.kind === 'eof' ? undefined : token.text,
      message,
    );
  }
}

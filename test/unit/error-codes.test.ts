import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EXIT_CODES } from '../../src/cli/main.js';
import { ERROR_CODES, MlopsError, type ErrorCode } from '../../src/core/index.js';

const doc = readFileSync(new URL('../../docs/errors.md', import.meta.url), 'utf8');
const rows = new Map(
  [...doc.matchAll(/^\| *`([A-Z_]+)` *\| *(\d+) *\| *(\d+) *\|/gm)].map((m) => [
    m[1] ?? '',
    { http: Number(m[2]), exit: Number(m[3]) },
  ]),
);

describe('error code registry', () => {
  const codes = Object.keys(ERROR_CODES) as ErrorCode[];

  it('documents every code in docs/errors.md with its HTTP status and exit code', () => {
    for (const code of codes) {
      expect(rows.get(code), `docs/errors.md has no row for ${code}`).toEqual({
        http: ERROR_CODES[code].status,
        exit: EXIT_CODES[code],
      });
    }
  });

  it('documents no code that the registry lacks', () => {
    expect([...rows.keys()].sort()).toEqual([...codes].sort());
  });

  it('gives every code an exit code', () => {
    expect(Object.keys(EXIT_CODES).sort()).toEqual([...codes].sort());
  });

  it('serialises as MLflow error JSON and is recognised by brand', () => {
    const err = new MlopsError('RESOURCE_ALREADY_EXISTS', 'exists');
    expect(err.status).toBe(400);
    expect(JSON.parse(JSON.stringify(err))).toEqual({
      error_code: 'RESOURCE_ALREADY_EXISTS',
      message: 'exists',
    });
    expect(MlopsError.is(err)).toBe(true);
    expect(MlopsError.is(new Error('x'))).toBe(false);
  });
});

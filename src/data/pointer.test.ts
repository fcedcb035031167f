import { describe, expect, it } from 'vitest';
import { expectCode } from '../testing/index.js';
import { formatPointer, parsePointer, type DataPointer } from './pointer.js';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const valid: DataPointer = { mlops: 1, hash: 'sha256', sha256: A, size: 12, manifest: B };

const fails = async (text: string) =>
  expectCode(
    Promise.resolve().then(() => parsePointer(text, 'data/x.csv.mlops')),
    'INVALID_PARAMETER_VALUE',
  );

describe('pointer files', () => {
  it('round-trips through its YAML text, with files for directories', () => {
    expect(parsePointer(formatPointer(valid), 'p')).toEqual(valid);
    const dir = { ...valid, files: 3 };
    expect(parsePointer(formatPointer(dir), 'p')).toEqual(dir);
    expect(formatPointer(valid)).toBe(
      `mlops: 1\nhash: sha256\nsha256: ${A}\nsize: 12\nmanifest: ${B}\n`,
    );
  });

  it('names the file, line, field and what was expected for a wrong value', async () => {
    const text = formatPointer(valid).replace('size: 12', 'size: twelve');
    const err = await fails(text);
    expect(err.message).toContain('data/x.csv.mlops, line 4');
    expect(err.message).toContain("field 'size'");
    expect(err.message).toContain('non-negative integer');
    expect(err.details).toMatchObject({ file: 'data/x.csv.mlops', line: 4, field: 'size' });
  });

  it('reports a bad hash on its own line', async () => {
    const err = await fails(formatPointer(valid).replace(A, 'ABC'));
    expect(err.details).toMatchObject({ line: 3, field: 'sha256' });
    expect(err.message).toContain('64 lower-case hex');
  });

  it('reports a missing field, an unknown field and a wrong version', async () => {
    const missing = await fails(`mlops: 1\nhash: sha256\nsha256: ${A}\nsize: 12\n`);
    expect(missing.message).toContain("missing field 'manifest'");
    const unknown = await fails(formatPointer(valid) + 'colour: blue\n');
    expect(unknown.details).toMatchObject({ line: 6, field: 'colour' });
    const version = await fails(formatPointer(valid).replace('mlops: 1', 'mlops: 2'));
    expect(version.details).toMatchObject({ line: 1, field: 'mlops' });
  });

  it('reports broken YAML and a non-mapping with a line', async () => {
    const broken = await fails(`mlops: 1\nhash: sha256\nsha256: "${A}\nsize: 12\n`);
    expect(broken.message).toMatch(/line \d+: not valid YAML/);
    const list = await fails('- 1\n- 2\n');
    expect(list.message).toContain('line 1: expected a mapping');
    const dup = await fails(`mlops: 1\nmlops: 1\n`);
    expect(dup.message).toContain('line 2: not valid YAML');
  });
});

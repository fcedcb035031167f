import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultDatasetPath } from './default-dataset-path.js';

describe('defaultDatasetPath', () => {
  it('resolves sp500-2000.csv inside the vega-datasets package', () => {
    const path = defaultDatasetPath();
    expect(path).toMatch(/vega-datasets[/\\]data[/\\]sp500-2000\.csv$/);
    expect(existsSync(path)).toBe(true);
  });
});

import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliScriptPath, packageRoot } from './package-root.js';

describe('packageRoot', () => {
  it('is the folder of the package.json named mlops, found from src/ as from dist/', () => {
    const root = packageRoot();
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      name?: string;
    };
    expect(manifest.name).toBe('mlops');
    expect(existsSync(join(root, 'src', 'core', 'package-root.ts'))).toBe(true);
  });

  it('gives the bin/mlops.js of this install', () => {
    expect(cliScriptPath()).toBe(join(packageRoot(), 'bin', 'mlops.js'));
    expect(existsSync(cliScriptPath())).toBe(true);
  });
});

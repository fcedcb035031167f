/**
 * The lint rules that enforce DESIGN.md §1 (folder layout, index-only entry, allowed links, no
 * cycles) fire on violations and stay quiet on allowed imports. Snippets are linted with the real
 * eslint.config.js at paths inside src/ that need not exist (nor need the imported folders).
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint, type Linter } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LAYERS = 'mlops/layers';

const eslint = new ESLint({ cwd: ROOT });

/** Lints `code` as if it were the file `file` (relative to the repo root). */
async function lint(file: string, code: string): Promise<Linter.LintMessage[]> {
  const results = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  const messages = results[0]?.messages ?? [];
  const fatal = messages.filter((m) => m.fatal);
  expect(fatal, `parse errors in the snippet for ${file}`).toEqual([]);
  return messages;
}

async function layerErrors(file: string, code: string): Promise<string[]> {
  const messages = await lint(file, code);
  return messages.filter((m) => m.ruleId === LAYERS && m.severity === 2).map((m) => m.message);
}

/** Expects exactly one layer error whose message contains every one of `parts`. */
async function expectViolation(file: string, code: string, ...parts: string[]): Promise<void> {
  const errors = await layerErrors(file, code);
  expect(errors, `${file}: ${code}`).toHaveLength(1);
  for (const part of parts) expect(errors[0]).toContain(part);
}

async function expectAllowed(file: string, code: string): Promise<void> {
  expect(await layerErrors(file, code), `${file}: ${code}`).toEqual([]);
}

// Probe files: none of these exist; the names make a clash with real files unlikely.
const TRACKING = 'src/tracking/lint-probe.ts';

describe('DESIGN.md §1: index.ts is the only way into a folder', () => {
  it('rejects a deep import into another folder', async () => {
    await expectViolation(
      TRACKING,
      "export { LocalBlobStore } from '../blobs/local-blob-store.js';",
      'index.ts is the only way in',
      "'../blobs/index.js'",
    );
  });

  it('suggests the right index path from a nested directory', async () => {
    await expectViolation(
      'src/tracking/nested/lint-probe.ts',
      "export type { Database } from '../../storage/database.js';",
      "'../../storage/index.js'",
    );
  });

  it('allows deep imports inside the own folder', async () => {
    await expectAllowed(TRACKING, "export type { Experiment } from './entities.js';");
    await expectAllowed(
      'src/tracking/nested/lint-probe.ts',
      "export type { Experiment } from '../entities.js';",
    );
  });

  it('rejects a directory import without index.js', async () => {
    await expectViolation(TRACKING, "export * from '../lineage';", "'../lineage/index.js'");
  });
});

describe('DESIGN.md §1: allowed links between folders', () => {
  it('rejects a capability link that is not listed (tracking -> registry)', async () => {
    // src/registry/ need not exist: the rule works on the specifier's path.
    await expectViolation(
      TRACKING,
      "import { getModel } from '../registry/index.js';\nexport const x = getModel;",
      'allowed links',
      'src/tracking/ may not import src/registry/',
    );
  });

  it('rejects a capability importing app', async () => {
    await expectViolation(
      'src/registry/lint-probe.ts',
      "export { connect } from '../app/index.js';",
      'No capability imports app or client',
    );
  });

  it('rejects core importing a capability', async () => {
    await expectViolation(
      'src/core/lint-probe.ts',
      "export * from '../tracking/index.js';",
      'src/core/ may not import src/tracking/',
      'core is the bottom layer',
    );
  });

  it('rejects infrastructure importing a capability', async () => {
    await expectViolation(
      'src/storage/lint-probe.ts',
      "export * from '../tracking/index.js';",
      'src/storage/ may not import src/tracking/',
    );
  });

  it('rejects importing cli or server from anywhere but cli', async () => {
    await expectViolation(
      'src/app/lint-probe.ts',
      "export * from '../server/index.js';",
      'nothing imports them',
    );
    await expectViolation(
      'src/server/lint-probe.ts',
      "export * from '../cli/index.js';",
      'nothing imports them',
    );
    await expectAllowed('src/cli/lint-probe.ts', "export * from '../server/index.js';");
  });

  it('checks dynamic imports too', async () => {
    await expectViolation(
      'src/core/lint-probe.ts',
      "export const load = () => import('../tracking/index.js');",
      'src/core/ may not import src/tracking/',
    );
  });

  it('rejects a folder that is not in the layout', async () => {
    await expectViolation(TRACKING, "export * from '../utils/index.js';", 'src/utils/');
    await expectViolation('src/utils/lint-probe.ts', 'export const x = 1;', 'src/utils/');
  });

  it('allows the listed links', async () => {
    await expectAllowed(TRACKING, "export * from '../lineage/index.js';");
    await expectAllowed(TRACKING, "export * from '../core/index.js';");
    await expectAllowed('src/app/lint-probe.ts', "export * from '../tracking/index.js';");
    await expectAllowed('src/app/lint-probe.ts', "export * from '../client/index.js';");
    await expectAllowed('src/monitoring/lint-probe.ts', "export * from '../serving/index.js';");
    await expectAllowed('src/pipeline/lint-probe.ts', "export * from '../data/index.js';");
    await expectAllowed('src/lineage/lint-probe.ts', "export * from '../storage/index.js';");
    await expectAllowed('src/cli/commands/lint-probe.ts', "export * from '../../app/index.js';");
    await expectAllowed('src/testing/lint-probe.ts', "export * from '../registry/index.js';");
  });

  it('allows type-only imports of capabilities from api and client, not value imports', async () => {
    await expectAllowed(
      'src/api/lint-probe.ts',
      "import type { RunInfo } from '../tracking/index.js';\nexport type X = RunInfo;",
    );
    await expectAllowed('src/client/lint-probe.ts', "export type * from '../tracking/index.js';");
    await expectViolation(
      'src/client/lint-probe.ts',
      "export { SqlTrackingStore } from '../tracking/index.js';",
      'src/client/ may not import src/tracking/',
      'Type-only imports are allowed here',
    );
    await expectViolation(
      'src/api/lint-probe.ts',
      "export * from '../storage/index.js';",
      'src/api/ may not import src/storage/',
    );
  });

  it('lets colocated tests import src/testing, not other files', async () => {
    await expectAllowed('src/tracking/lint-probe.test.ts', "export * from '../testing/index.js';");
    await expectViolation(TRACKING, "export * from '../testing/index.js';", 'src/testing/');
  });

  it('lets src/index.ts re-export folder index files, except cli and server', async () => {
    await expectAllowed('src/index.ts', "export * from './tracking/index.js';");
    await expectViolation(
      'src/index.ts',
      "export * from './tracking/entities.js';",
      'src/index.ts',
    );
    await expectViolation('src/index.ts', "export * from './cli/index.js';", 'SDK surface');
    await expectViolation(
      TRACKING,
      "export * from '../index.js';",
      'src/tracking/ may not import it',
    );
  });
});

describe('DESIGN.md §1: tests under test/ and bench/ import src through index files', () => {
  it('rejects a deep import from test/', async () => {
    await expectViolation(
      'test/e2e/lint-probe.test.ts',
      "export type { Experiment } from '../../src/tracking/entities.js';",
      'test/ and bench/',
    );
  });

  it('allows index imports from test/ and bench/', async () => {
    await expectAllowed(
      'test/e2e/lint-probe.test.ts',
      "export * from '../../src/tracking/index.js';",
    );
    await expectAllowed('bench/lint-probe.ts', "export * from '../src/index.js';");
  });
});

describe('DESIGN.md §1: no import cycles', () => {
  it('excludes the fixtures from the main run', async () => {
    expect(await eslint.isPathIgnored(path.join(ROOT, 'test/lint/fixtures/cycle/a.ts'))).toBe(true);
  });

  it('reports a cycle between two files importing each other via .js specifiers', async () => {
    const unignored = new ESLint({ cwd: ROOT, ignore: false });
    const results = await unignored.lintFiles(['test/lint/fixtures/cycle/a.ts']);
    const rules = results.flatMap((r) => r.messages.map((m) => m.ruleId));
    expect(rules).toContain('import-x/no-cycle');
  });
});

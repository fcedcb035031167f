// @ts-check
/**
 * ESLint flat config for mlops.
 *
 * Besides typescript-eslint's recommended (non-type-checked) rules it enforces the layer rules of
 * DESIGN.md §1 with one local rule, `mlops/layers`, driven by the table below:
 *   - a file in src/<A>/ reaches another top-level folder src/<B>/ only through `../B/index.js`
 *     (index.ts is the only way in); inside its own folder anything goes;
 *   - only the links listed in ALLOWED (and type-only links in TYPE_ONLY) are allowed;
 *   - tests under test/ and bench/ import src only through index files.
 * The rule works on the import specifier's path, so it fires even when the imported folder does
 * not exist yet. Import cycles are caught by import-x/no-cycle, which resolves NodeNext `./x.js`
 * specifiers to `./x.ts` files.
 *
 * To add a folder or a link: change DESIGN.md §1 first, then the tables here.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import prettier from 'eslint-config-prettier';
import { createNodeResolver, importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const ROOT = path.dirname(fileURLToPath(import.meta.url));

// ---- DESIGN.md §1: the folders of src/ and the links allowed between them ----------------------

const INFRASTRUCTURE = ['storage', 'blobs', 'lineage'];
const CAPABILITIES = [
  'tracking',
  'registry',
  'data',
  'pipeline',
  'forecast',
  'serving',
  'monitoring',
  'tuning',
];
/** Links between capabilities (DESIGN.md §1 "Allowed links between capabilities"). */
const CAPABILITY_LINKS = {
  tracking: ['lineage'],
  registry: ['tracking'],
  data: ['tracking'],
  forecast: ['tracking'],
  pipeline: ['data', 'tracking'],
  serving: ['registry'],
  monitoring: ['registry', 'serving'],
  tuning: ['tracking', 'registry'],
};
const APP_MAY_IMPORT = ['core', ...INFRASTRUCTURE, ...CAPABILITIES, 'client'];

/** folder -> the other top-level folders it may import (always through their index.ts). */
const ALLOWED = {
  core: [],
  storage: ['core'],
  blobs: ['core'],
  lineage: ['core', 'storage'],
  ...Object.fromEntries(
    CAPABILITIES.map((c) => [c, [...new Set(['core', ...INFRASTRUCTURE, ...CAPABILITY_LINKS[c]])]]),
  ),
  api: ['core'],
  client: ['core', 'storage', 'blobs', 'lineage', 'api'],
  app: APP_MAY_IMPORT,
  server: [...APP_MAY_IMPORT, 'app', 'api'],
  cli: [...APP_MAY_IMPORT, 'app', 'api', 'server'],
  testing: ['core', ...INFRASTRUCTURE, ...CAPABILITIES, 'api', 'client', 'app'],
};
/** folder -> folders it may import with `import type` / `export type` only. */
const TYPE_ONLY = {
  api: [...CAPABILITIES, 'lineage'],
  client: CAPABILITIES,
};
/** Extra folders colocated unit tests (`*.test.ts`) may import, on top of their folder's links. */
const TEST_FILES_MAY_ALSO_IMPORT = ['testing'];
/** src/index.ts (the SDK surface) may import every folder's index except these. */
const NOT_FROM_SDK_INDEX = ['cli', 'server'];
/** Deep files under src/ that test/ and bench/ may import besides index files. */
const TEST_DEEP_EXCEPTIONS = ['cli/main.js'];

const KNOWN = new Set(Object.keys(ALLOWED));

/** Why a link is forbidden, in the words of DESIGN.md §1. */
function whyForbidden(from, to) {
  if (to === 'cli' || to === 'server') {
    return 'cli and server are the top of the graph: nothing imports them (only cli may import server).';
  }
  if (
    (CAPABILITIES.includes(from) || INFRASTRUCTURE.includes(from)) &&
    ['app', 'client'].includes(to)
  ) {
    return 'No capability imports app or client; code that needs both lives in app/.';
  }
  if (CAPABILITIES.includes(from) && CAPABILITIES.includes(to)) {
    return 'This capability link is not in the allowed list; code that needs two capabilities that may not know each other lives in app/.';
  }
  if (from === 'core') {
    return 'core is the bottom layer and imports no other folder.';
  }
  return 'Imports run one way: cli, server -> app -> capabilities -> lineage, storage, blobs -> core.';
}

// ---- the rule ------------------------------------------------------------------------------------

const isRelative = (spec) =>
  spec.startsWith('./') || spec.startsWith('../') || spec === '.' || spec === '..';
const toPosix = (p) => p.split(path.sep).join('/');
const list = (xs) => (xs.length ? xs.join(', ') : 'nothing');

/** Where a file sits: { kind: 'src', folder } (folder '' = a file directly in src/), 'tests', or null. */
function locate(file) {
  const rel = toPosix(path.relative(ROOT, file));
  if (rel.startsWith('src/')) {
    const parts = rel.slice(4).split('/');
    return {
      kind: 'src',
      folder: parts.length > 1 ? parts[0] : '',
      rest: parts.slice(1).join('/'),
    };
  }
  if (rel.startsWith('test/') || rel.startsWith('bench/')) return { kind: 'tests' };
  return null;
}

/** @type {import('eslint').Rule.RuleModule} */
const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Enforce the folder layout and import rules of DESIGN.md §1.' },
    schema: [],
    messages: {
      deep: "DESIGN.md §1 (a folder's index.ts is the only way in): src/{{from}}/ may not import '{{spec}}' (a file inside src/{{to}}/); import '{{suggest}}' and export what you need from src/{{to}}/index.ts.",
      link: 'DESIGN.md §1 (allowed links): src/{{from}}/ may not import src/{{to}}/. {{why}} src/{{from}}/ may import: {{allowed}}.{{typeHint}}',
      unknownFolder:
        'DESIGN.md §1 (folder layout): src/{{folder}}/ is not a folder of the layout. Add it to DESIGN.md §1 and to the layer table in eslint.config.js, or move the code into an existing folder.',
      rootFile:
        "DESIGN.md §1 (public SDK surface): src/index.ts re-exports folders' index files only; '{{spec}}' is not one.",
      sdkFromInside:
        "DESIGN.md §1 (public SDK surface): src/index.ts is the surface for users; code in src/{{from}}/ may not import it ('{{spec}}').",
      sdkIndex:
        'DESIGN.md §1 (public SDK surface): src/index.ts re-exports capability index files only; it may not import src/{{to}}/.',
      testsDeep:
        "DESIGN.md §1 (index.ts is the only way in): tests and benchmarks under test/ and bench/ import src only through index files (src/index.js or src/<folder>/index.js), not '{{spec}}'.",
      srcImportsTests:
        "DESIGN.md §1 (folder layout): code in src/ may not import from test/ or bench/ ('{{spec}}').",
    },
  },
  create(context) {
    const file = context.physicalFilename;
    const here = locate(file);
    if (!here) return {};
    if (here.kind === 'src' && here.folder !== '' && !KNOWN.has(here.folder)) {
      const folder = here.folder;
      return {
        Program(node) {
          context.report({ node, messageId: 'unknownFolder', data: { folder } });
        },
      };
    }
    const isTestFile = /\.test\.[cm]?tsx?$/.test(file);
    const dir = path.dirname(file);

    function check(node, spec, typeOnly) {
      if (typeof spec !== 'string' || !isRelative(spec)) return;
      const abs = path.resolve(dir, spec);
      const relRoot = toPosix(path.relative(ROOT, abs));
      if (here.kind === 'src' && (relRoot.startsWith('test/') || relRoot.startsWith('bench/'))) {
        context.report({ node, messageId: 'srcImportsTests', data: { spec } });
        return;
      }
      if (!relRoot.startsWith('src/')) return;
      const parts = relRoot.slice(4).split('/');
      // `../lineage` (a directory, no extension) names the folder, not a file directly in src/.
      const isFolder = parts.length === 1 && !parts[0].includes('.');
      const to = parts.length > 1 || isFolder ? parts[0] : '';
      const rest = parts.slice(1).join('/');
      const viaIndex = to !== '' && rest === 'index.js';

      if (here.kind === 'tests') {
        const ok =
          relRoot === 'src/index.js' || viaIndex || TEST_DEEP_EXCEPTIONS.includes(parts.join('/'));
        if (!ok) context.report({ node, messageId: 'testsDeep', data: { spec } });
        return;
      }

      const from = here.folder;
      if (from === to && from !== '') return; // inside its own folder anything goes
      if (to !== '' && !KNOWN.has(to)) {
        context.report({ node, messageId: 'unknownFolder', data: { folder: to } });
        return;
      }
      if (from === '') {
        // src/index.ts: the SDK surface.
        if (to === '') return; // another file directly in src/
        if (!viaIndex) {
          context.report({ node, messageId: 'rootFile', data: { spec } });
        } else if (NOT_FROM_SDK_INDEX.includes(to)) {
          context.report({ node, messageId: 'sdkIndex', data: { to } });
        }
        return;
      }
      if (to === '') {
        context.report({ node, messageId: 'sdkFromInside', data: { from, spec } });
        return;
      }
      const allowed = [...ALLOWED[from], ...(isTestFile ? TEST_FILES_MAY_ALSO_IMPORT : [])];
      const typeAllowed = TYPE_ONLY[from] ?? [];
      if (!allowed.includes(to) && !(typeOnly && typeAllowed.includes(to))) {
        const typeHint = typeAllowed.includes(to)
          ? ` Type-only imports are allowed here: use \`import type { ... } from '${spec}'\`.`
          : typeAllowed.length
            ? ` With \`import type\` it may also import: ${typeAllowed.join(', ')}.`
            : '';
        context.report({
          node,
          messageId: 'link',
          data: { from, to, why: whyForbidden(from, to), allowed: list(ALLOWED[from]), typeHint },
        });
        return;
      }
      if (!viaIndex) {
        const up = here.rest.split('/').length - 1; // directories below src/<from>/
        const suggest = `${'../'.repeat(up + 1)}${to}/index.js`;
        context.report({ node, messageId: 'deep', data: { from, to, spec, suggest } });
      }
    }

    const literal = (n) =>
      n && n.type === 'Literal' && typeof n.value === 'string' ? n.value : undefined;
    return {
      ImportDeclaration(node) {
        check(node.source, node.source.value, node.importKind === 'type');
      },
      ExportNamedDeclaration(node) {
        if (node.source) check(node.source, node.source.value, node.exportKind === 'type');
      },
      ExportAllDeclaration(node) {
        check(node.source, node.source.value, node.exportKind === 'type');
      },
      ImportExpression(node) {
        const src = node.source;
        const spec =
          literal(src) ??
          (src.type === 'TemplateLiteral' && src.expressions.length === 0
            ? src.quasis[0]?.value.cooked
            : undefined);
        check(src, spec, false);
      },
      TSImportType(node) {
        // `typeof import('../x/index.js')` in a type position.
        const arg = node.argument;
        const spec = arg?.type === 'TSLiteralType' ? literal(arg.literal) : literal(arg);
        check(node, spec, true);
      },
      TSImportEqualsDeclaration(node) {
        const ref = node.moduleReference;
        if (ref.type === 'TSExternalModuleReference') {
          check(ref.expression, literal(ref.expression), node.importKind === 'type');
        }
      },
    };
  },
};

const mlopsPlugin = { meta: { name: 'mlops-local' }, rules: { layers: layersRule } };

// ---- the config ----------------------------------------------------------------------------------

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];

export default defineConfig(
  globalIgnores([
    'dist/',
    'coverage/',
    'ui/dist/',
    'bench/.out/',
    '.mlops/',
    'test/lint/fixtures/',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'mlops/base',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      // Node's own globals (the ones this Node process has), for the .js files; .ts files use tsc.
      globals: Object.fromEntries(
        Object.getOwnPropertyNames(globalThis).map((g) => [g, 'readonly']),
      ),
    },
    plugins: { 'import-x': importX, mlops: mlopsPlugin },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx', '.mts', '.cts'] },
      'import-x/resolver-next': [
        createNodeResolver({
          extensions: ['.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '.json', '.node'],
          // NodeNext: `./foo.js` names the source file foo.ts.
          extensionAlias: {
            '.js': ['.ts', '.tsx', '.js'],
            '.mjs': ['.mts', '.mjs'],
            '.cjs': ['.cts', '.cjs'],
          },
          conditionNames: ['types', 'import', 'node', 'default'],
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'mlops/layers': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },
  {
    name: 'mlops/typescript',
    files: TS_FILES,
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        // `let db: import('better-sqlite3').Database` next to a lazy `await import(...)` is fine.
        {
          prefer: 'type-imports',
          fixStyle: 'separate-type-imports',
          disallowTypeAnnotations: false,
        },
      ],
      // With verbatimModuleSyntax, `import { type A } from 'x'` still loads 'x' at run time.
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  prettier,
);

/**
 * ESLint for the whole repository (flat config): typescript-eslint's recommended rules, and the
 * layering of the architecture (DESIGN.md: "dependencies point one way") as errors, so a back-import
 * or an import cycle fails `npm run lint` instead of being found in review:
 *
 *   analysis/  pure: imports nothing of geodata/, server/, client/, test/
 *   geodata/   analysis/ and geodata/ only (the Db interface lives in geodata/db.ts); never server/, client/
 *   server/    never client/ or test/
 *   client/    client/ and analysis/ (pure, bundled) and, type-only, server/api-types.ts
 *   test/      anything
 *
 * The import rules come from eslint-plugin-import-x; eslint-import-resolver-typescript resolves
 * the `.js` specifiers of our NodeNext sources to the `.ts` files, so the rules see real paths.
 *
 * Why two TypeScripts: typescript-eslint's parser needs the JavaScript compiler API of
 * `typescript` < 6.1, and TypeScript 7 (native) ships none. So the `typescript` package is the
 * newest 6.0.x, there for this parser (not type-aware: these rules need no type information, and
 * a type-aware run would cost a second full type check), and TypeScript 7 is the devDependency
 * alias `typescript-native`, which `npm run typecheck` runs (`npx tsc` finds the 6.0 one).
 */
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { defineConfig } from 'eslint/config';

const root = import.meta.dirname;

/** One zone per forbidden direction; paths are relative to the repository root. */
const layering = [
  {
    target: './analysis',
    from: ['./geodata', './server', './client', './test'],
    message: 'analysis/ ist rein (Zahlen rein, Zahlen raus): keine Importe aus geodata/, server/, client/ oder test/.',
  },
  {
    target: './geodata',
    from: ['./server', './client', './test'],
    message: 'geodata/ darf nur analysis/ und geodata/ importieren (die Db-Schnittstelle liegt in geodata/db.ts).',
  },
  {
    target: './server',
    from: ['./client', './test'],
    message: 'server/ importiert nie client/ oder test/.',
  },
  {
    target: './client',
    from: './server',
    // The HTTP contract is the one thing the client may see of the server, and only as types
    // (enforced by no-restricted-imports below): the bundle must not pull server code.
    except: ['./api-types.ts'],
    message: 'client/ spricht mit dem Server nur über HTTP: aus server/ nur Typen aus server/api-types.ts.',
  },
  {
    // import-x/no-cycle skips type-only imports (erased, so no runtime cycle); the views once
    // imported `type Ctx` from the entry module and so closed a cycle it cannot see. Nothing
    // imports the entry module, not even for types.
    target: './client/src',
    from: './client/src/main.ts',
    message:
      'client/src/main.ts ist der Einstiegspunkt: kein Modul importiert ihn (auch nicht mit `import type`); Gemeinsames gehört in ein eigenes Modul.',
  },
  {
    target: './client',
    from: ['./geodata', './test'],
    message: 'client/ importiert nur client/ und analysis/ (und Typen aus server/api-types.ts).',
  },
];

export default defineConfig(
  {
    // Built and generated output and local data (ESLint only reads .js/.mjs/.ts, so data files need no entry).
    ignores: ['**/node_modules/', '**/dist/', 'data/', 'test-results/', 'coverage/', '.vitest-cache/'],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,js,mjs}'],
    plugins: { 'import-x': importX },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
    },
    settings: {
      // Dependencies are parsed to follow their imports (no-cycle): .ts files need the TypeScript parser.
      'import-x/extensions': ['.ts', '.js', '.mjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [
        // alwaysTryTypes: a package that only has @types/… still resolves (default false).
        createTypeScriptImportResolver({ project: `${root}/tsconfig.json`, alwaysTryTypes: true }),
      ],
    },
    rules: {
      'import-x/no-restricted-paths': ['error', { basePath: root, zones: layering }],
      // Type-only imports are erased at build time and cannot form a runtime cycle: the rule skips them.
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      // `_`-prefixed parameters and caught errors are deliberately unused (callback signatures).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    languageOptions: { globals: globals.browser },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^|/)server/api-types(\\.js)?$',
              allowTypeImports: true,
              message: 'server/api-types.ts nur mit `import type`: der Client bündelt keinen Server-Code.',
            },
          ],
        },
      ],
    },
  },
);

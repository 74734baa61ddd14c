import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', 'data/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', AbortController: 'readonly', TextDecoder: 'readonly', TextEncoder: 'readonly', performance: 'readonly', fetch: 'readonly', Response: 'readonly', Request: 'readonly', structuredClone: 'readonly' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': ['error', { selector: 'TSEnumDeclaration', message: 'Use a union of string literals instead of an enum.' }],
    },
  },
  {
    files: ['nlp/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/collectors/**', '**/pipeline/**', '**/store/**', '**/api/**'], message: 'nlp/ depends only on core/.' }] }] },
  },
  {
    files: ['collectors/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/nlp/**', '**/pipeline/**', '**/api/**'], message: 'collectors/ must not import nlp/, pipeline/ or api/.' }] }] },
  },
  {
    files: ['api/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/nlp/**', '**/pipeline/**', '**/collectors/**', '**/store/sqlite/**', 'better-sqlite3'], message: 'api/ reads through the store contract only.' }] }] },
  },
  {
    files: ['store/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['**/nlp/**', '**/pipeline/**', '**/collectors/**', '**/api/**'], message: 'store/ depends only on core/.' }] }] },
  },
);

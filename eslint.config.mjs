// typescript-eslint with type information (the project service finds each file's tsconfig). Formatting is
// Prettier's (`npm run lint:format`), so no stylistic rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '.data/**', '.nx/**', 'tests/browser/artifacts/**', '**/*.mjs', '**/*.cjs', 'apps/web/vite.config.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // specs beside the code are compiled by the tests' tsconfig (the libraries' own exclude them)
    files: ['**/*.spec.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './tests/tsconfig.json', tsconfigRootDir: import.meta.dirname } },
  },
  {
    // Tests read HTTP bodies (supertest types them `any`) and ad-hoc SQL rows to assert on them; the product code
    // itself types every query result.
    files: ['tests/**/*.ts', '**/*.spec.ts', 'libs/server/testing/src/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
);

/**
 * One jest run, three projects: unit specs beside the code (no database), e2e journeys over HTTP on a
 * real PostgreSQL (and Redis where the code talks to it), and browser tests driving Chromium.
 * ESM throughout (NestJS 12 is ESM-only): see STACK.md.
 */
const portal = {
  '^@portal/contracts$': '<rootDir>/libs/contracts/src/index.ts',
  '^@portal/core$': '<rootDir>/libs/server/core/src/index.ts',
  '^@portal/identity$': '<rootDir>/libs/server/identity/src/index.ts',
  '^@portal/workflow$': '<rootDir>/libs/server/workflow/src/index.ts',
  '^@portal/documents$': '<rootDir>/libs/server/documents/src/index.ts',
  '^@portal/certification$': '<rootDir>/libs/server/certification/src/index.ts',
  '^@portal/practice$': '<rootDir>/libs/server/practice/src/index.ts',
  '^@portal/reporting$': '<rootDir>/libs/server/reporting/src/index.ts',
  '^@portal/order-classes$': '<rootDir>/libs/server/order-classes/src/index.ts',
  '^@portal/testing$': '<rootDir>/libs/server/testing/src/index.ts',
  '^@portal/worker$': '<rootDir>/apps/worker/src/index.ts',
  '^@portal/api$': '<rootDir>/apps/api/src/index.ts',
  '^@portal/migrations$': '<rootDir>/migrations/index.ts',
  '^@portal/seeds$': '<rootDir>/seeds/index.ts',
  '^(\\.{1,2}/.*)\\.js$': '$1',
};

const common = {
  rootDir: '.',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: portal,
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.test.json' }] },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/', '<rootDir>/.data/'],
};

export default {
  globalSetup: '<rootDir>/tests/setup/global-setup.mjs',
  globalTeardown: '<rootDir>/tests/setup/global-teardown.mjs',
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/tests/setup/summary-reporter.mjs'],
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/src/**/*.spec.ts', '<rootDir>/apps/*/src/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/tests/e2e/**/*.test.ts', '<rootDir>/tests/faults/**/*.test.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/tests/browser/**/*.test.ts'] },
  ],
};

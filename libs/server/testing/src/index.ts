export * from './factories.js';
export * from './test-app.js';
export * from './test-database.js';
export * from './test-workflow.js';
export * from './test-cases.js';
export * from './files.js';
export * from './browser.js';
export { testConfig } from './test-config.js';

export * from './credit-code.js';
export * from './errors.js';
export * from './identity.js';
export * from './reference.js';
export * from './roles.js';
export * from './settings.js';
export * from './jobs.js';
export * from './workflow.js';

export * from './app.module.js';
export * from './create-app.js';

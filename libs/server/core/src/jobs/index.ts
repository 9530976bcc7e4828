export * from './bullmq.js';
export * from './job-registry.js';
export * from './job-runner.js';
export * from './jobs.service.js';
export * from './outbox.service.js';

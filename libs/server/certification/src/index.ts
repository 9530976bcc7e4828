export * from './applications/applications.service.js';
export * from './applications/certification.workflow.js';
export * from './applications/eligibility.rules.js';
export * from './certification.module.js';
export * from './certifications/certifications.service.js';
export * from './subsidies/money.js';
export * from './subsidies/subsidies.service.js';
export * from './subsidies/subsidy.rules.js';

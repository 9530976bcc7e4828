export * from './ledger/ledger.rules.js';
export * from './ledger/practice-ledger.service.js';
export * from './practice.module.js';
export * from './posts/practice-application.workflow.js';
export * from './posts/practice-applications.service.js';
export * from './records/practice.workflow.js';
export * from './records/practice-records.service.js';
export { hostIndustryOf, recountPersonTimes } from './records/practice-records.repository.js';
export { practiceCertificateRequest, practiceCertificatesOf } from './documents/practice-documents.service.js';

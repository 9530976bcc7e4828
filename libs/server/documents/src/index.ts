export * from './documents.module.js';
export * from './documents.service.js';
export * from './render/fonts.js';
export * from './render/pdf-bytes.js';
export * from './render/qr.js';
export * from './render/template.js';
export * from './http/verification-page.js';

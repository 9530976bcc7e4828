export * from './kpis/kpi-scope.js';
export * from './kpis/kpis.service.js';
export * from './reporting.module.js';
export * from './targets/targets.service.js';

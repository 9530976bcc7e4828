export * from './kpis/kpi-scope.js';
export * from './kpis/kpis.service.js';
export * from './reporting.module.js';
export * from './targets/targets.service.js';
export * from './monthly-report/monthly-report.schedule.js';
export * from './monthly-report/monthly-reports.service.js';

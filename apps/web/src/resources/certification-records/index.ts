import { lazy } from 'react';

/** 省级/国家级认定备案: loaded on first use. */
export const certificationRecords = {
  list: lazy(() => import('./RecordList').then((m) => ({ default: m.RecordList }))),
  show: lazy(() => import('./RecordShow').then((m) => ({ default: m.RecordShow }))),
  create: lazy(() => import('./RecordCreate').then((m) => ({ default: m.RecordCreate }))),
};

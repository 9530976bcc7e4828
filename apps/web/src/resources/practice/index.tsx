import { lazy } from 'react';

/** 教师入企实践 (tasks 47-48): loaded on first use. */
export const practicePosts = {
  list: lazy(() => import('./PostList').then((m) => ({ default: m.PostList }))),
  create: lazy(() => import('./PostCreate').then((m) => ({ default: m.PostCreate }))),
  show: lazy(() => import('./PostShow').then((m) => ({ default: m.PostShow }))),
};
export const practiceApplications = {
  list: lazy(() => import('./ApplicationList').then((m) => ({ default: m.PracticeApplicationList }))),
};
export const practiceRecords = {
  list: lazy(() => import('./RecordList').then((m) => ({ default: () => <m.RecordList /> }))),
  create: lazy(() => import('./RecordCreate').then((m) => ({ default: m.RecordCreate }))),
  show: lazy(() => import('./RecordShow').then((m) => ({ default: m.RecordShow }))),
};
export const teachers = {
  list: lazy(() => import('./TeacherList').then((m) => ({ default: m.TeacherList }))),
  create: lazy(() => import('./TeacherCreate').then((m) => ({ default: m.TeacherCreate }))),
  edit: lazy(() => import('./TeacherEdit').then((m) => ({ default: m.TeacherEdit }))),
};
export const MyLedgerPage = lazy(() => import('./MyLedgerPage').then((m) => ({ default: m.MyLedgerPage })));
export const PracticeImportPage = lazy(() => import('./ImportPage').then((m) => ({ default: m.ImportPage })));
export const PracticeStatsPage = lazy(() => import('./StatsPage').then((m) => ({ default: m.StatsPage })));

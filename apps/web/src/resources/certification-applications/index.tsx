import { lazy } from 'react';

/** 产教融合型企业认定申请: loaded on first use. */
export const certificationApplications = {
  list: lazy(() => import('./ApplicationList').then((m) => ({ default: m.ApplicationList }))),
  show: lazy(() => import('./ApplicationShow').then((m) => ({ default: m.ApplicationShow }))),
};

export const MyApplicationPage = lazy(() => import('./MyApplicationPage').then((m) => ({ default: m.MyApplicationPage })));

/** 公示 (reviewers): the applications under public notice, with their objections on each page. */
export const PublicityListPage = lazy(() => import('./ApplicationList').then((m) => ({ default: () => <m.ApplicationList publicity /> })));

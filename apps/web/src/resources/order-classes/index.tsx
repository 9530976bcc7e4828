import { lazy } from 'react';

/** 订单班: loaded on first use. */
export const orderClasses = {
  list: lazy(() => import('./OrderClassList').then((m) => ({ default: m.OrderClassList }))),
  show: lazy(() => import('./OrderClassShow').then((m) => ({ default: m.OrderClassShow }))),
  create: lazy(() => import('./OrderClassCreate').then((m) => ({ default: m.OrderClassCreate }))),
};

/** 订单班建设进度 (city): filed classes against the target, and employment outcomes. */
export const OrderClassProgressPage = lazy(() => import('./OrderClassProgress').then((m) => ({ default: m.OrderClassProgress })));

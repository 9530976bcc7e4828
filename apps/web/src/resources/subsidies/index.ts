import { lazy } from 'react';

/** 补助台账 and its totals: loaded on first use. */
export const subsidies = {
  list: lazy(() => import('./SubsidyList').then((m) => ({ default: m.SubsidyList }))),
};

export const SubsidyTotalsPage = lazy(() => import('./SubsidyTotalsPage').then((m) => ({ default: m.SubsidyTotalsPage })));

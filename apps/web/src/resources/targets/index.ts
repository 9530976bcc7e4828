import { lazy } from 'react';

/** 规划目标 (admin edits, everyone reads): loaded on first use. */
export const targets = {
  list: lazy(() => import('./Targets').then((m) => ({ default: m.TargetList }))),
  edit: lazy(() => import('./Targets').then((m) => ({ default: m.TargetEdit }))),
  create: lazy(() => import('./Targets').then((m) => ({ default: m.TargetCreate }))),
};

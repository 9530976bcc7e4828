import { lazy } from 'react';

/** 登录日志: list only. */
export const loginEvents = {
  list: lazy(() => import('./LoginEventList').then((m) => ({ default: m.LoginEventList }))),
};

import { lazy } from 'react';

/** 系统设置 (admin): the id is the setting key, e.g. auth.maxFailedLogins. */
export const settings = {
  list: lazy(() => import('./SettingList').then((m) => ({ default: m.SettingList }))),
  edit: lazy(() => import('./SettingEdit').then((m) => ({ default: m.SettingEdit }))),
};

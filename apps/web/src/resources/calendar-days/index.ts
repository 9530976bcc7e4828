import { lazy } from 'react';

/** 节假日与调休 (admin): the id is the date, e.g. 2026-10-01. */
export const calendarDays = {
  list: lazy(() => import('./CalendarDays').then((m) => ({ default: m.CalendarDayList }))),
  edit: lazy(() => import('./CalendarDays').then((m) => ({ default: m.CalendarDayEdit }))),
  create: lazy(() => import('./CalendarDays').then((m) => ({ default: m.CalendarDayCreate }))),
};

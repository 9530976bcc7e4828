import { lazy } from 'react';

/** 待办事项 (the reviewers' inbox): loaded on first use. */
export const tasks = {
  list: lazy(() => import('./TaskList').then((m) => ({ default: m.TaskList }))),
};

import { lazy } from 'react';

/** 机构: loaded on first use, so the main bundle stays small. */
export const organisations = {
  list: lazy(() => import('./OrganisationList').then((m) => ({ default: m.OrganisationList }))),
  show: lazy(() => import('./OrganisationShow').then((m) => ({ default: m.OrganisationShow }))),
  create: lazy(() => import('./OrganisationCreate').then((m) => ({ default: m.OrganisationCreate }))),
  edit: lazy(() => import('./OrganisationEdit').then((m) => ({ default: m.OrganisationEdit }))),
};

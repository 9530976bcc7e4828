import { lazy } from 'react';

/** 认定企业 (certifications at every level): loaded on first use. */
export const certifications = {
  list: lazy(() => import('./CertificationList').then((m) => ({ default: m.CertificationList }))),
};

import { lazy } from 'react';

/** 文件 (issued documents): loaded on first use. */
export const documents = {
  list: lazy(() => import('./DocumentList').then((m) => ({ default: m.DocumentList }))),
};

export const MyCertificatesPage = lazy(() => import('./MyCertificatesPage').then((m) => ({ default: m.MyCertificatesPage })));

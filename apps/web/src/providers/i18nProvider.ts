import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import type { TranslationMessages } from 'react-admin';
import { appChinese, appEnglish } from '../i18n/app-messages';
import { featureChinese } from '../i18n/feature-messages';
import { orderClassChinese } from '../i18n/order-class-messages';
import { raChinese } from '../i18n/ra-zh';

type Messages = Record<string, unknown> & { resources?: object; app?: { menu?: object; auth?: object } };

/** The certification screens' strings (i18n/feature-messages*.ts) merged into resources.* and app.*. */
function withFeatures(base: Messages, f: typeof featureChinese, oc: typeof orderClassChinese): TranslationMessages {
  return {
    ...base,
    resources: { ...base.resources, ...f.resources, ...oc.resources },
    app: { ...base.app, ...f.app, ...oc.app, menu: { ...base.app?.menu, ...f.menu, ...oc.menu }, auth: { ...base.app?.auth, ...f.auth } },
  } as unknown as TranslationMessages;
}

/** Chinese first (the default), English by the locale menu of the app bar (its feature strings load on demand). */
const zhCN: TranslationMessages = withFeatures({ ...englishMessages, ...raChinese, ...appChinese }, featureChinese, orderClassChinese);
const en: TranslationMessages = { ...englishMessages, ...appEnglish };
const loadEnglish = () =>
  Promise.all([import('../i18n/feature-messages.en'), import('../i18n/order-class-messages.en')]).then(([m, oc]) =>
    withFeatures(en, m.featureEnglish, oc.orderClassEnglish),
  );

/** Keys react-admin has and our Chinese lacks (a development aid after upgrading react-admin). */
export function missingChineseKeys(): string[] {
  const missing: string[] = [];
  const walk = (ref: unknown, zh: unknown, path: string) => {
    if (ref && typeof ref === 'object') {
      for (const [k, v] of Object.entries(ref))
        walk(v, zh && typeof zh === 'object' ? (zh as Record<string, unknown>)[k] : undefined, path ? `${path}.${k}` : k);
    } else if (typeof zh !== 'string') {
      missing.push(path);
    }
  };
  walk(englishMessages.ra, raChinese.ra, 'ra');
  return missing;
}

if (import.meta.env.DEV) {
  const missing = missingChineseKeys();
  if (missing.length) console.warn('[i18n] ra.* keys without Chinese:', missing);
}

export const i18nProvider = polyglotI18nProvider(
  (locale) => (locale === 'en' ? loadEnglish() : zhCN),
  'zh-CN',
  [
    { locale: 'zh-CN', name: '简体中文' },
    { locale: 'en', name: 'English' },
  ],
  { allowMissing: true },
);

import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import type { TranslationMessages } from 'react-admin';
import { appChinese, appEnglish } from '../i18n/app-messages';
import { featureChinese } from '../i18n/feature-messages';
import { orderClassChinese } from '../i18n/order-class-messages';
import { practiceChinese } from '../i18n/practice-messages';
import { reportingChinese, reportingEnglish } from '../i18n/reporting-messages';
import { raChinese } from '../i18n/ra-zh';

/** A feature's strings (i18n/<feature>-messages*.ts): resource fields, app.*, and menu and auth items. */
type FeatureMessages = { resources: object; app: object; menu: object; auth?: object };

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `extra` merged into `base` key by key (a feature adding a field label to another's resource keeps the rest). */
function deepMerge(base: Tree, extra: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = isTree(v) && isTree(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}

/** A feature's strings merged into resources.*, app.*, app.menu.* and app.auth.*. */
const withFeature = (base: Tree, f: FeatureMessages): Tree =>
  deepMerge(base, { resources: f.resources, app: { ...f.app, menu: f.menu, ...(f.auth ? { auth: f.auth } : {}) } });

/** Chinese first (the default), English by the locale menu of the app bar (its feature strings load on demand). */
const zhCN = [featureChinese, orderClassChinese, practiceChinese, reportingChinese].reduce(withFeature, {
  ...englishMessages,
  ...raChinese,
  ...appChinese,
}) as TranslationMessages;
const en: TranslationMessages = { ...englishMessages, ...appEnglish };
const loadEnglish = () =>
  Promise.all([import('../i18n/feature-messages.en'), import('../i18n/order-class-messages.en'), import('../i18n/practice-messages.en')]).then(
    ([m, oc, p]) => [m.featureEnglish, oc.orderClassEnglish, p.practiceEnglish, reportingEnglish].reduce(withFeature, en as Tree) as TranslationMessages,
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

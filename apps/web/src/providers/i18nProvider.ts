import polyglotI18nProvider from 'ra-i18n-polyglot';
import englishMessages from 'ra-language-english';
import type { TranslationMessages } from 'react-admin';
import { appChinese, appEnglish } from '../i18n/app-messages';
import { featureChinese } from '../i18n/feature-messages';
import { reportingChinese, reportingEnglish } from '../i18n/reporting-messages';
import { raChinese } from '../i18n/ra-zh';

type Messages = Record<string, unknown> & { resources?: object; app?: { menu?: object; auth?: object } };

/** The certification screens' strings (i18n/feature-messages*.ts) merged into resources.* and app.*. */
function withFeatures(base: Messages, f: typeof featureChinese): TranslationMessages {
  return {
    ...base,
    resources: { ...base.resources, ...f.resources },
    app: { ...base.app, ...f.app, menu: { ...base.app?.menu, ...f.menu }, auth: { ...base.app?.auth, ...f.auth } },
  } as unknown as TranslationMessages;
}

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);
/** `extra` merged into `base` key by key (a feature adding a field label to another's resource keeps the rest). */
function deepMerge(base: Tree, extra: Tree): Tree {
  const out: Tree = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = isTree(v) && isTree(out[k]) ? deepMerge(out[k], v) : v;
  return out;
}

/** The dashboard's strings (i18n/reporting-messages.ts): resources.*, app.menu.* and app.*. */
const withReporting = (base: TranslationMessages, r: typeof reportingChinese): TranslationMessages =>
  deepMerge(base, { resources: r.resources, app: { ...r.app, menu: r.menu } }) as unknown as TranslationMessages;

/** Chinese first (the default), English by the locale menu of the app bar (its feature strings load on demand). */
const zhCN: TranslationMessages = withReporting(withFeatures({ ...englishMessages, ...raChinese, ...appChinese }, featureChinese), reportingChinese);
const en: TranslationMessages = { ...englishMessages, ...appEnglish };
const loadEnglish = () => import('../i18n/feature-messages.en').then((m) => withReporting(withFeatures(en, m.featureEnglish), reportingEnglish));

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

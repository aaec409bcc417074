/**
 * Two languages from the first screen on: zh-CN (default when the browser prefers Chinese)
 * and English. Each feature keeps its own catalog next to its code, so a lazy-loaded screen
 * brings its words with it. `?lang=en` / `?lang=zh-CN` switches and is remembered.
 */
import { createContext, useCallback, useContext, useMemo, useState } from 'react';
import { LOCALES, gateNameIn, type Locale } from '../../shared/record-words';

export { LOCALES, type Locale };
export type Messages = Record<string, string>;
export interface Catalog {
  'zh-CN': Messages;
  en: Messages;
}

const LOCALE_STORAGE_KEY = 'gatelog.locale';

const isLocale = (v: unknown): v is Locale => v === 'zh-CN' || v === 'en';

/** The language to start in: the URL, then what was chosen before, then the browser's. */
export function detectLocale(
  search: string = location.search,
  languages: readonly string[] = navigator.languages ?? [navigator.language],
): Locale {
  const fromUrl = new URLSearchParams(search).get('lang');
  if (isLocale(fromUrl)) {
    rememberLocale(fromUrl);
    return fromUrl;
  }
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    // Storage can be blocked; the browser's preference still works.
  }
  if (isLocale(stored)) return stored;
  const first = languages.find((l) => /^(zh|en)\b/i.test(l)) ?? '';
  return /^en\b/i.test(first) ? 'en' : first ? 'zh-CN' : 'en';
}

export function rememberLocale(locale: Locale): void {
  try {
    localStorage.setItem(LOCALE_STORAGE_KEY, locale);
  } catch {
    // Not remembered; the next start falls back to the browser's language.
  }
}

export const LocaleContext = createContext<{ locale: Locale; setLocale: (l: Locale) => void }>({
  locale: 'zh-CN',
  setLocale: () => {},
});

export function useLocale() {
  return useContext(LocaleContext);
}

/**
 * A gate's name as the page shows it, in its language (gateNameIn): for reading, never for a
 * form's value, which keeps the name as stored.
 */
export function useGateName(): (name: string) => string {
  const { locale } = useLocale();
  return useCallback((name: string) => gateNameIn(name, locale), [locale]);
}

/**
 * A page's language and its switch, for its LocaleContext: detected at start, remembered when
 * changed, and given to the document (`<html lang>`) for screen readers and fonts.
 */
export function useLocaleState(): { locale: Locale; setLocale: (l: Locale) => void } {
  const [locale, setLocaleState] = useState<Locale>(() => detectLocale());
  const setLocale = useCallback((l: Locale) => {
    rememberLocale(l);
    document.documentElement.lang = l;
    setLocaleState(l);
  }, []);
  document.documentElement.lang = locale;
  return useMemo(() => ({ locale, setLocale }), [locale, setLocale]);
}

export type Translate = (key: string, vars?: Record<string, string | number>) => string;

const pluralRules = new Map<Locale, Intl.PluralRules>();
function pluralForm(locale: Locale, n: number): Intl.LDMLPluralRule {
  let rules = pluralRules.get(locale);
  if (!rules) pluralRules.set(locale, (rules = new Intl.PluralRules(locale)));
  return rules.select(n);
}

/**
 * Looks a key up in the catalog in the current language; `{name}` placeholders are filled, a
 * number as the language writes it (`formatCount`: 12,480). A numeric `n` picks the key's form
 * for that count where the language has one: `key.one` for "1 record" beside `key` for
 * "{n} records" (Chinese needs none).
 */
export function translate(
  catalog: Catalog,
  locale: Locale,
  key: string,
  vars?: Record<string, string | number>,
) {
  const messages = catalog[locale];
  const form =
    typeof vars?.n === 'number' ? messages[`${key}.${pluralForm(locale, vars.n)}`] : undefined;
  const text = form ?? messages[key] ?? catalog.en[key] ?? key;
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (m, k: string) => {
    const v = vars[k];
    return v === undefined ? m : typeof v === 'number' ? formatCount(v, locale) : v;
  });
}

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/** Up to three decimals, no exponent: a number String writes as both languages do, but grouped. */
const PLAIN_NUMBER = /^(-?\d+)(\.\d{1,3})?$/;

/**
 * 12,480 / 12,480 — a count or a measure (37.3) as the language writes it. Both languages group
 * thousands with a comma and keep up to three decimals; a number String writes that way but for
 * the commas is grouped here, the rest by Intl.NumberFormat. The first NumberFormat of a page
 * costs ≈145 ms of main thread at 4× CPU (its data loaded), which the first screen ("200
 * waiting") and the logbook's ("10,000 entries") would pay.
 */
export function formatCount(n: number, locale: Locale): string {
  const plain = PLAIN_NUMBER.exec(String(n));
  if (plain) return plain[1]!.replace(/\B(?=(\d{3})+$)/g, ',') + (plain[2] ?? '');
  let f = numberFormats.get(locale);
  if (!f) numberFormats.set(locale, (f = new Intl.NumberFormat(locale)));
  return f.format(n);
}

/** `t(key, vars)` over one or more catalogs (a feature's own and the common one). */
export function useT(...catalogs: Catalog[]): Translate {
  const { locale } = useLocale();
  const merged = useMemo<Catalog>(
    () => ({
      'zh-CN': Object.assign({}, ...catalogs.map((c) => c['zh-CN'])),
      en: Object.assign({}, ...catalogs.map((c) => c.en)),
    }),
    // Catalogs are module constants.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    catalogs,
  );
  return useCallback<Translate>(
    (key, vars) => translate(merged, locale, key, vars),
    [merged, locale],
  );
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function dtf(locale: Locale, opts: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const k = locale + JSON.stringify(opts);
  let f = formatters.get(k);
  if (!f) formatters.set(k, (f = new Intl.DateTimeFormat(locale, opts)));
  return f;
}

/** 14:05 */
export const formatTime = (iso: string | number | Date, locale: Locale) =>
  dtf(locale, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(iso));

/** 2020年2月3日 / Feb 3, 2020 — a YYYY-MM-DD is read as that calendar day. */
export const formatDate = (date: string | number | Date, locale: Locale) =>
  dtf(locale, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    timeZone: typeof date === 'string' && date.length === 10 ? 'UTC' : undefined,
  }).format(new Date(date));

/**
 * Date and time, for "last synced" and receipts: 2月3日 14:05, with the year when it is not this
 * year's (a phone whose clock said 1970 shows so).
 */
export function formatDateTime(iso: string | number | Date, locale: Locale): string {
  const at = new Date(iso);
  return dtf(locale, {
    ...(at.getFullYear() !== new Date().getFullYear() && { year: 'numeric' }),
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(at);
}

/** 1.2 MB */
export function formatBytes(n: number, locale: Locale): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(n)} ${units[i]}`;
}

import { describe, expect, it } from 'vitest';
import {
  CATEGORIES,
  DECISIONS,
  DIRECTIONS,
  ID_TYPES,
  LOCALES,
  RETURNEE_STATUSES,
  exportWords,
  recordWords,
} from '../../src/shared';
import { formatCount, formatDateTime, translate, type Catalog } from '../../src/app/i18n/i18n';

const catalog: Catalog = {
  'zh-CN': { pending: '{n} 条记录待上传', seconds: '请 {n} 秒后再试' },
  en: {
    pending: '{n} records not sent yet',
    'pending.one': '1 record not sent yet',
    seconds: 'Try again in {n} seconds',
    shown: 'Showing {shown} of {total}',
  },
};

describe('translate', () => {
  it('takes the form for one where English has it, and the plain message for other counts', () => {
    expect(translate(catalog, 'en', 'pending', { n: 1 })).toBe('1 record not sent yet');
    expect(translate(catalog, 'en', 'pending', { n: 0 })).toBe('0 records not sent yet');
    expect(translate(catalog, 'en', 'pending', { n: 2 })).toBe('2 records not sent yet');
  });

  it('keeps the plain message where no form for the count is written, and in Chinese', () => {
    expect(translate(catalog, 'en', 'seconds', { n: 1 })).toBe('Try again in 1 seconds');
    expect(translate(catalog, 'zh-CN', 'pending', { n: 1 })).toBe('1 条记录待上传');
  });

  it('picks no form when the count is not a number called n', () => {
    expect(translate(catalog, 'en', 'shown', { shown: 1, total: 1 })).toBe('Showing 1 of 1');
    expect(translate(catalog, 'en', 'pending', { n: '1' })).toBe('1 records not sent yet');
  });

  it('writes a number as the language does: thousands grouped, decimals kept', () => {
    expect(translate(catalog, 'en', 'pending', { n: 12480 })).toBe('12,480 records not sent yet');
    expect(translate(catalog, 'zh-CN', 'pending', { n: 12480 })).toBe('12,480 条记录待上传');
    expect(translate(catalog, 'en', 'shown', { shown: 1000, total: 1234567 })).toBe(
      'Showing 1,000 of 1,234,567',
    );
    expect(translate(catalog, 'en', 'seconds', { n: 37.3 })).toBe('Try again in 37.3 seconds');
    // Text is put in as it is.
    expect(translate(catalog, 'en', 'seconds', { n: '12480' })).toBe('Try again in 12480 seconds');
  });

  it('writes every number as Intl does in both languages, also those it writes itself', () => {
    const numbers = [
      ...Array.from({ length: 2100 }, (_, i) => i - 50),
      ...[0.5, 0.125, 0.1234, 1.0005, 36.5, 37.3, 41.99, 999.999, 999.9995, -0.001, -12.5],
      ...[12480, 1234567.5, 123456.789, -1234, -98765.4321, 2 ** 53, 1e20, 1e21, 1e-7],
      ...[Number.NaN, Number.POSITIVE_INFINITY, -0],
    ];
    for (const locale of LOCALES) {
      const intl = new Intl.NumberFormat(locale);
      for (const n of numbers) {
        expect(formatCount(n, locale), `${locale} ${n}`).toBe(
          Object.is(n, -0) ? '0' : intl.format(n),
        );
      }
    }
  });

  it('falls back to English, then to the key', () => {
    expect(translate(catalog, 'zh-CN', 'shown', { shown: 2, total: 3 })).toBe('Showing 2 of 3');
    expect(translate(catalog, 'en', 'missing')).toBe('missing');
  });
});

/** Every catalog of the app: `*messages.ts` beside its screen, and the shared words. */
const catalogs = import.meta.glob<Record<string, unknown>>(
  ['/src/app/**/*messages.ts', '/src/app/i18n/common.ts'],
  { eager: true },
);
const all = Object.entries(catalogs).flatMap(([file, mod]) =>
  Object.entries(mod)
    .filter(([, v]) => typeof v === 'object' && v !== null && 'en' in v && 'zh-CN' in v)
    .map(([name, v]) => [`${file.slice('/src/app/'.length)} ${name}`, v as Catalog] as const),
);
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
/** "key.one" beside "key" in the same language: the message's form for a count. */
const pluralOf = (messages: Record<string, string>, key: string) => {
  const m = /^(.+)\.(zero|one|two|few|many|other)$/.exec(key);
  return m && m[1]! in messages ? m[1]! : undefined;
};

describe('the catalogs', () => {
  it('are all found', () => {
    expect(all.map(([name]) => name)).toContain('i18n/common.ts common');
    expect(all.length).toBeGreaterThanOrEqual(13);
  });

  it.each(all)('%s: every message in both languages, with the same placeholders', (_, c) => {
    const plain = (locale: keyof Catalog) =>
      Object.keys(c[locale])
        .filter((k) => pluralOf(c[locale], k) === undefined)
        .sort();
    expect(plain('zh-CN')).toEqual(plain('en'));
    for (const key of plain('en')) {
      expect([key, placeholders(c['zh-CN'][key]!)]).toEqual([key, placeholders(c.en[key]!)]);
    }
    // A count's form may leave the count out ("1 record"), and says nothing the message does not.
    for (const locale of ['zh-CN', 'en'] as const) {
      for (const [key, text] of Object.entries(c[locale])) {
        const base = pluralOf(c[locale], key);
        if (base === undefined) continue;
        for (const v of placeholders(text)) {
          expect(placeholders(c[locale][base]!), `${locale} ${key}`).toContain(v);
        }
      }
    }
  });
});

describe('the record’s shared words (the page’s and the CSV export’s)', () => {
  it('name every choice of the record in both languages, and the export’s own words too', () => {
    const choices = [
      ...DIRECTIONS.map((v) => `direction.${v}`),
      ...CATEGORIES.map((v) => `category.${v}`),
      ...ID_TYPES.map((v) => `idType.${v}`),
      ...RETURNEE_STATUSES.map((v) => `returnee.${v}`),
      ...DECISIONS.map((v) => `decision.${v}`),
    ];
    for (const locale of LOCALES) {
      for (const key of choices) expect(recordWords[locale][key], `${locale} ${key}`).toBeTruthy();
      expect(Object.keys(recordWords[locale]).sort()).toEqual(Object.keys(recordWords.en).sort());
      expect(Object.keys(exportWords[locale]).sort()).toEqual(Object.keys(exportWords.en).sort());
    }
  });
});

describe('formatDateTime', () => {
  it('names the year only when it is not this year', () => {
    const now = new Date();
    const thisYear = new Date(now.getFullYear(), 1, 3, 14, 5);
    expect(formatDateTime(thisYear, 'en')).not.toMatch(String(now.getFullYear()));
    expect(formatDateTime(thisYear, 'en')).toMatch(/Feb 3.*14:05/);
    expect(formatDateTime(new Date(1970, 0, 1, 8, 5), 'en')).toMatch(/1970/);
    expect(formatDateTime(new Date(1970, 0, 1, 8, 5), 'zh-CN')).toMatch(/1970年1月1日/);
  });
});

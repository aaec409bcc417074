import { describe, expect, it } from 'vitest';
import { translate, type Catalog } from '../../src/app/i18n/i18n';

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

  it('falls back to English, then to the key', () => {
    expect(translate(catalog, 'zh-CN', 'shown', { shown: 2, total: 3 })).toBe('Showing 2 of 3');
    expect(translate(catalog, 'en', 'missing')).toBe('missing');
  });
});

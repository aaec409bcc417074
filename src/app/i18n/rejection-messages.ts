/**
 * Why the server refused a record (the sync answer's `rejected[].code`), for the screens that
 * list refused records: the sync line's list and the shift receipt.
 */
import type { Catalog, Translate } from './i18n';

export const rejectionMessages: Catalog = {
  'zh-CN': {
    'reason.invalid': '内容不合格',
    'reason.conflict': '与服务器上已有的记录冲突',
    'reason.wrong_gate': '不是本门岗的记录',
    'reason.too_large': '记录太大',
  },
  en: {
    'reason.invalid': 'Not valid',
    'reason.conflict': 'Conflicts with a record already on the server',
    'reason.wrong_gate': 'Not a record of this gate',
    'reason.too_large': 'Too large',
  },
};

/**
 * The reason in words, with `t` of a `useT` given `rejectionMessages`; a code this version does
 * not know, as it came.
 */
export function rejectionReason(t: Translate, code: string | undefined): string {
  const key = `reason.${code ?? 'invalid'}`;
  return rejectionMessages.en[key] ? t(key) : (code ?? '');
}

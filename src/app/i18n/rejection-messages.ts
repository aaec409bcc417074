/**
 * Why the server refused a record (the sync answer's `rejected[].code`), for the screens that
 * list refused records: the sync line's list and the shift receipt.
 */
import { common } from './common';
import type { Catalog, Translate } from './i18n';

export const rejectionMessages: Catalog = {
  'zh-CN': {
    'reason.invalid': '内容不合格',
    'reason.conflict': '与服务器上已有的记录冲突',
    'reason.wrong_gate': '不是本门岗的记录',
    'reason.too_large': '记录太大',
    /** Between two problems of one record. */
    'detail.and': '；',
  },
  en: {
    'reason.invalid': 'Not valid',
    'reason.conflict': 'Conflicts with a record already on the server',
    'reason.wrong_gate': 'Not a record of this gate',
    'reason.too_large': 'Too large',
    'detail.and': '; ',
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

/** A record field as the server's message names it (its path) → its label's key in `common`. */
const FIELD_LABELS: Record<string, string> = {
  direction: 'direction',
  'person.category': 'category',
  'person.name': 'name',
  'person.idType': 'idType',
  'person.idNumber': 'idNumber',
  'person.phone': 'phone',
  'person.address': 'address',
  temperatureC: 'temperature',
  'returnee.status': 'returnee',
  'returnee.origin': 'origin',
  'returnee.arrivedOn': 'arrivedOn',
  'returnee.quarantineUntil': 'quarantineUntil',
  'returnee.registered': 'registered',
  decision: 'decision',
  note: 'note',
  guard: 'guard',
  gateId: 'gate',
};

/**
 * The server's message of a refused record (`person.idNumber: idChecksum; decision: required`,
 * as its validation words it) in the guard's language: "ID number: The ID number’s check digit
 * is wrong…", with `t` of a `useT` given `common` and `rejectionMessages`. A field or a problem
 * this version does not know stays as it came.
 */
export function rejectionDetail(t: Translate, message: string | undefined): string {
  if (!message) return '';
  return message
    .split('; ')
    .map((part) => {
      const at = part.indexOf(': ');
      const path = at === -1 ? '' : part.slice(0, at);
      const key = at === -1 ? part : part.slice(at + 2);
      const label = FIELD_LABELS[path];
      const what = common.en[`error.${key}`] ? t(`error.${key}`) : key;
      if (at === -1) return what;
      return `${label ? t(label) : path}${t('colon')}${what}`;
    })
    .join(t('detail.and'));
}

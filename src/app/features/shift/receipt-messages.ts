/** Words of the end-of-shift receipt. */
import type { Catalog } from '../../i18n/i18n';

export const receiptMessages: Catalog = {
  'zh-CN': {
    'receipt.title': '交班回执',
    'receipt.checking': '正在上传并与服务器核对…',
    'receipt.allReceived': '全部 {n} 条已送达',
    'receipt.allReceivedWithCorrections':
      '全部 {n} 条已送达（{passes} 人次，另有 {corrections} 条更正）',
    'receipt.closedAt': '服务器确认时间：{time}',
    'receipt.byDirection': '进出',
    'receipt.byCategory': '人员类别',
    'receipt.received': '服务器已收到 {received} / {expected} 条',
    'receipt.pending': '本机还有 {n} 条待上传',
    'receipt.rejected': '被服务器拒收 {n} 条（不计入回执）：',
    'receipt.retrying': '仍在重试…',
    'receipt.nextAttempt': '下次尝试：{time}',
    'receipt.error': '暂时连不上服务器。',
    'receipt.notEnrolled': '交班回执需要先把这台手机加入居委会服务器。记录都保存在手机上。',
    'receipt.auth': '服务器不再认可这台手机，请重新加入后再交班。记录都保存在手机上。',
    'receipt.enroll': '加入居委会服务器',
    'receipt.anotherPhone':
      '服务器说这个班次是本门岗另一台手机开始的，只有那台手机能交班。记录都保存在手机上。请联系居委会。',
  },
  en: {
    'receipt.title': 'Shift receipt',
    'receipt.checking': 'Sending and checking with the server…',
    'receipt.allReceived': 'All {n} received',
    'receipt.allReceived.one': '1 of 1 received',
    'receipt.allReceivedWithCorrections':
      'All {n} received ({passes} people passing; corrections: {corrections})',
    'receipt.closedAt': 'Confirmed by the server at {time}',
    'receipt.byDirection': 'Direction',
    'receipt.byCategory': 'Category',
    'receipt.received': 'The server has {received} of {expected}',
    'receipt.pending': '{n} still waiting on this phone',
    'receipt.rejected': '{n} refused by the server (not in the receipt):',
    'receipt.retrying': 'Still trying…',
    'receipt.nextAttempt': 'Next try: {time}',
    'receipt.error': 'Cannot reach the server right now.',
    'receipt.notEnrolled':
      'A receipt needs this phone enrolled with the committee’s server. All entries are kept on the phone.',
    'receipt.auth':
      'The server no longer accepts this phone. Enroll it again to close the shift. All entries are kept on the phone.',
    'receipt.enroll': 'Enroll this phone',
    'receipt.anotherPhone':
      'The server says this shift was begun on another phone of the gate, and only that phone can end it. All entries are kept on this phone. Call the committee.',
  },
};

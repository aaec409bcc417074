import type { Catalog } from '../../i18n/i18n';

export const messages: Catalog = {
  'zh-CN': {
    'sync.label': '上传状态',
    'sync.online': '在线',
    'sync.offline': '离线',
    'sync.pendingShort': '待传 {n}',
    'sync.allSent': '✓ 已传完',
    'sync.pendingLong': '{n} 条记录待上传',
    'sync.allSentLong': '所有记录都已上传',
    'sync.lastSync': '上次上传',
    'sync.never': '尚未上传过',
    'sync.retryAt': '上传失败，{time} 自动重试',
    'sync.rejectedShort': '被拒 {n}',
    'sync.rejectedLong': '{n} 条记录被服务器拒收，查看原因',
    'sync.now': '立即上传',
    'sync.running': '正在上传…',
    'sync.reenroll': '需重新加入',
    'sync.reenrollLong': '服务器不再认可这台手机，记录无法上传。请重新加入门岗。',
    'sync.notEnrolled': '未加入',
    'sync.notEnrolledLong': '这台手机还没有加入居委会服务器，记录只保存在手机上。点此加入。',
    'rejected.title': '被拒收的记录',
    'rejected.hint':
      '这些记录没有送达服务器，也不会再自动上传。请核对后重新登记一条，或告知居委会。',
    'rejected.empty': '没有被拒收的记录。',
    'reason.invalid': '内容不合格',
    'reason.conflict': '与服务器上已有的记录冲突',
    'reason.wrong_gate': '不是本门岗的记录',
    'reason.too_large': '记录太大',
    'erased.body':
      '这台手机上的记录已被清除。服务器最后收到本机的记录是 {record} 登记的那条，收到时间 {at}。',
    'erased.bodyNoTime':
      '这台手机上的记录已被清除。服务器最后收到本机的记录是 {record} 登记的那条。',
    'erased.hint': '在那之后登记、还没上传的记录已经找不回来了。请告知居委会。',
    'erased.ok': '知道了',
    close: '关闭',
  },
  en: {
    'sync.label': 'Sync status',
    'sync.online': 'Online',
    'sync.offline': 'Offline',
    'sync.pendingShort': '{n} to send',
    'sync.allSent': '✓ All sent',
    'sync.pendingLong': '{n} records not sent yet',
    'sync.allSentLong': 'Every record has been sent',
    'sync.lastSync': 'Last sent',
    'sync.never': 'Nothing sent yet',
    'sync.retryAt': 'Sending failed; trying again at {time}',
    'sync.rejectedShort': '{n} refused',
    'sync.rejectedLong': '{n} records refused by the server — show why',
    'sync.now': 'Sync now',
    'sync.running': 'Sending…',
    'sync.reenroll': 'Enroll again',
    'sync.reenrollLong':
      'The server no longer accepts this phone, so records cannot be sent. Enroll it again.',
    'sync.notEnrolled': 'Not enrolled',
    'sync.notEnrolledLong':
      'This phone is not enrolled with the committee’s server; records stay on the phone. Tap to enroll.',
    'rejected.title': 'Refused records',
    'rejected.hint':
      'These records did not reach the server and will not be sent again. Check them and enter a new record, or tell the committee.',
    'rejected.empty': 'No refused records.',
    'reason.invalid': 'Not valid',
    'reason.conflict': 'Conflicts with a record already on the server',
    'reason.wrong_gate': 'Not a record of this gate',
    'reason.too_large': 'Too large',
    'erased.body':
      'This phone’s records were erased. The server last received a record from this phone at {at}: the one logged at {record}.',
    'erased.bodyNoTime':
      'This phone’s records were erased. The last record the server received from this phone was logged at {record}.',
    'erased.hint':
      'Anything logged after that and not sent is gone from this phone. Tell the committee.',
    'erased.ok': 'OK',
    close: 'Close',
  },
};

import type { Catalog } from '../../i18n/i18n';

/**
 * A `…Long` text is the spoken name of a control that shows its short text: it starts with (or
 * holds) the short text, so what a guard sees is what voice control and screen readers say.
 */
export const messages: Catalog = {
  'zh-CN': {
    'sync.label': '上传状态',
    'sync.online': '在线',
    'sync.offline': '离线',
    'sync.failing': '连不上服务器',
    'sync.lastShort': '上次',
    'sync.pendingShort': '待传 {n}',
    'sync.allSentShort': '✓ 已传完',
    'sync.sentButRefusedShort': '已传完，{n} 条被拒',
    'sync.sentButRefusedLong': '已传完，只有 {n} 条被服务器拒收',
    'sync.pendingLong': '{n} 条记录待上传',
    'sync.allSentLong': '所有记录都已上传',
    'sync.lastSync': '上次上传',
    'sync.never': '尚未上传过',
    'sync.retryAt': '上传失败，{time} 自动重试',
    'sync.rejectedShort': '{n} 条被拒',
    'sync.rejectedLong': '{n} 条被服务器拒收',
    'sync.showWhy': '查看原因',
    'sync.now': '立即上传',
    'sync.running': '正在上传…',
    'sync.reenroll': '需重新加入',
    'sync.reenrollLong':
      '需重新加入：服务器不再认可这台手机，记录暂时无法上传，都留在手机上。点此重新加入门岗，加入后照样上传。',
    'sync.notEnrolled': '未加入',
    'sync.notEnrolledLong':
      '未加入：这台手机还没有加入居委会服务器，记录只保存在手机上。点此加入。',
    'clock.ahead': '手机时间比服务器快 {by}：登记会记错日期和时间。',
    'clock.behind': '手机时间比服务器慢 {by}：登记会记错日期和时间。',
    'clock.zone':
      '手机的时区是 {phone}，服务器的是 {server}：登记会记错时间，半夜前后还会记错日期。',
    'clock.fix': '请在手机“设置 → 日期和时间”里打开“自动设置时间”和“自动设置时区”。',
    'clock.hide': '暂时隐藏',
    'clock.minutes': '{n} 分钟',
    'clock.hours': '{n} 小时',
    'clock.days': '{n} 天',
  },
  en: {
    'sync.label': 'Sync status',
    'sync.online': 'Online',
    'sync.offline': 'Offline',
    'sync.failing': 'Server unreachable',
    'sync.lastShort': 'last',
    'sync.pendingShort': '{n} to send',
    'sync.allSentShort': '✓ All sent',
    'sync.sentButRefusedShort': 'Sent, {n} refused',
    'sync.sentButRefusedLong': 'Sent, except {n} records the server refused',
    'sync.sentButRefusedLong.one': 'Sent, except 1 record the server refused',
    'sync.pendingLong': '{n} records not sent yet',
    'sync.pendingLong.one': '1 record not sent yet',
    'sync.allSentLong': 'Every record has been sent',
    'sync.lastSync': 'Last sent',
    'sync.never': 'Nothing sent yet',
    'sync.retryAt': 'Sending failed; trying again at {time}',
    'sync.rejectedShort': '{n} refused',
    'sync.rejectedLong': '{n} records the server refused',
    'sync.rejectedLong.one': '1 record the server refused',
    'sync.showWhy': 'Show why',
    'sync.now': 'Sync now',
    'sync.running': 'Sending…',
    'sync.reenroll': 'Enroll again',
    'sync.reenrollLong':
      'Enroll again: the server no longer accepts this phone, so records cannot be sent for now; they stay on the phone and go once it is enrolled again.',
    'sync.notEnrolled': 'Not enrolled',
    'sync.notEnrolledLong':
      'This phone is not enrolled with the committee’s server; records stay on the phone. Tap to enroll.',
    'clock.ahead':
      'This phone’s clock is {by} ahead of the server’s: entries get the wrong date and time.',
    'clock.behind':
      'This phone’s clock is {by} behind the server’s: entries get the wrong date and time.',
    'clock.zone':
      'This phone’s time zone is {phone}, the server’s is {server}: entries get the wrong time, and around midnight the wrong day.',
    'clock.fix':
      'In Settings → Date & time, turn on “Set time automatically” and “Set time zone automatically”.',
    'clock.hide': 'Hide for now',
    'clock.minutes': '{n} min',
    'clock.hours': '{n} h',
    'clock.days': '{n} days',
  },
};

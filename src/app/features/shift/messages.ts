import type { Catalog } from '../../i18n/i18n';

export const messages: Catalog = {
  'zh-CN': {
    startTitle: '接班',
    gateName: '门岗名称',
    gateHint: '本机第一次使用时填写；加入居委会服务器后自动更新',
    gateFromServer: '门岗（居委会设定）',
    guardName: '值班人员',
    pickGuard: '选择值班人员',
    startShift: '开始值班',
    startFailed: '没能开始值班：{message}。已保存的记录都还在，请再试一次。',
    startFailedQuota: '手机存储空间已满，没能开始值班。已保存的记录都还在。请清理手机空间后再试。',
    endFailed: '没能交班：{message}。本班还在继续，已保存的记录都还在，请再试一次。',
    endFailedQuota:
      '手机存储空间已满，没能交班。本班还在继续，已保存的记录都还在。请清理手机空间后再试。',
    enrollLink: '加入居委会服务器',
    endTitle: '交班',
    summary: '本班小结',
    startedAt: '接班时间：{time}',
    total: '共登记',
    endShift: '结束本班',
    confirmEnd: '确定结束本班吗？结束后仍会继续上传未上传的记录。',
    draftDropped:
      '登记页上还有一条没保存的登记（{name}），结束本班会把它清除。要保留，请先回登记页保存。',
    undoOpen:
      '本机另一个页面的登记页正在询问是否撤销 {names} 的登记。结束本班会照常保存并上传这条登记；要撤销，请先在那里回答。',
    ended: '本班已结束',
    nextShift: '开始下一班',
    noShift: '目前没有进行中的班次。',
    earlierShifts: '之前的班次',
    earlierShift: '{guard} · {time} 接班 · {n} 条',
    receiptIn: '✓ 已有回执',
    receiptWaiting: '回执未到',
    receiptElsewhere: '回执在另一台手机',
    previousWaiting: '上一班（{guard}）的交班回执还没收到。手机联网后会自动补上。',
    previousWaitingAuth:
      '上一班（{guard}）的交班回执收不到：服务器不再认可这台手机。重新加入居委会服务器后才能收到。记录都保存在手机上。',
    previousAnotherPhone:
      '服务器说上一班（{guard}）是本门岗另一台手机开始的，它的交班回执不会发到这台手机。记录都保存在手机上。请联系居委会。',
    reenroll: '重新加入居委会服务器',
    seeReceipts: '查看回执',
    draftWaits:
      '有一条登记（{name}）没能保存：本班已在本机另一个页面结束。开始新班次后它还在登记页上，请再保存。',
  },
  en: {
    startTitle: 'Start a shift',
    gateName: 'Gate name',
    gateHint: 'Set once on this phone; joining the committee’s server brings the real one',
    gateFromServer: 'Gate (set by the committee)',
    guardName: 'Guard',
    pickGuard: 'Pick a guard',
    startShift: 'Start shift',
    startFailed:
      'The shift could not be started: {message}. Everything saved is still there; try again.',
    startFailedQuota:
      'The phone’s storage is full: the shift was not started. Everything saved before is still there. Free some space on the phone and try again.',
    endFailed:
      'The shift could not be ended: {message}. It goes on, and everything saved is still there; try again.',
    endFailedQuota:
      'The phone’s storage is full: the shift was not ended. It goes on, and everything saved is still there. Free some space on the phone and try again.',
    enrollLink: 'Join the committee’s server',
    endTitle: 'End of shift',
    summary: 'This shift',
    startedAt: 'Started {time}',
    total: 'Entries',
    endShift: 'End shift',
    confirmEnd: 'End this shift? Unsent entries keep syncing afterwards.',
    draftDropped:
      'The entry form still holds an unsaved entry ({name}); ending the shift clears it. To keep it, go back and save it first.',
    undoOpen:
      'Another tab of the app is asking whether to undo the entry of {names}. Ending the shift keeps it saved and sends it; to undo it, answer there first.',
    ended: 'Shift ended',
    nextShift: 'Start the next shift',
    noShift: 'No shift in progress.',
    earlierShifts: 'Earlier shifts',
    earlierShift: '{guard} · started {time} · {n} entries',
    'earlierShift.one': '{guard} · started {time} · 1 entry',
    receiptIn: '✓ receipt in',
    receiptWaiting: 'receipt not in yet',
    receiptElsewhere: 'receipt on another phone',
    previousWaiting:
      'The receipt of the last shift ({guard}) has not come yet. The phone gets it once it is online.',
    previousWaitingAuth:
      'The receipt of the last shift ({guard}) cannot come: the server no longer accepts this phone. It comes once the phone is enrolled again. All entries are kept on the phone.',
    previousAnotherPhone:
      'The server says the last shift ({guard}) was begun on another phone of the gate: its receipt does not come to this phone. All entries are kept on this phone. Call the committee.',
    reenroll: 'Enroll this phone again',
    seeReceipts: 'See the receipts',
    draftWaits:
      'An entry ({name}) was not saved: this shift was ended in another tab of the app. Start a new shift and it is back on the form to save.',
  },
};

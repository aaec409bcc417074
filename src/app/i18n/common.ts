/**
 * Words used on more than one screen: navigation, field names, choices, validation errors. The
 * record's field and choice names are the shared ones, which the committee's CSV export says too.
 */
import { recordWords } from '../../shared/record-words';
import type { Catalog } from './i18n';

export const common: Catalog = {
  'zh-CN': {
    ...recordWords['zh-CN'],
    appName: '门岗登记',
    'nav.checkpoint': '登记',
    'nav.logbook': '登记簿',
    'nav.settings': '设置',
    'nav.endShift': '交班',
    'nav.main': '主导航',
    // Said where the shift this tab showed went (session.endedElsewhere).
    endedElsewhere: '{guard} 的班次已在本机另一个页面结束。',
    loading: '加载中…',
    close: '关闭',
    cancel: '取消',
    back: '返回',
    /** Between a label and its value. */
    colon: '：',
    'sync.pending': '待上传',
    'sync.synced': '已上传',
    'sync.rejected': '被拒收',
    'error.required': '必填',
    'error.tooLong': '太长了',
    'error.invalid': '格式不对',
    'error.idChecksum': '身份证号校验位不对，请核对',
    'error.phoneInvalid': '请输入 11 位手机号或 +国际号码',
    'error.temperatureInvalid': '请输入体温读数（数字），如 36.5',
    /** A temperature and its unit. */
    degrees: '{t} ℃',
    'error.temperatureRange': '体温应在 34.0–43.0 ℃ 之间',
    'error.temperatureDecimal': '体温保留一位小数',
    'error.dateInvalid': '日期格式不对',
    'error.dateFuture': '日期不能晚于今天',
    'error.quarantineBeforeArrival': '不能早于到达日期',
    // The entry form's returnee section, and the correction form's (the same fields).
    returneeSection: '外地返回情况',
    quarantineHint: '按本门岗规则自动计算，可修改',
    'error.feverAdmitted': '发热人员不能直接放行',
    'error.quota': '手机存储空间已满，这条没有保存。已保存的记录都还在。请清理手机空间后再试。',
    'error.saveFailed': '保存失败：{message}',
  },
  en: {
    ...recordWords.en,
    appName: 'GateLog',
    'nav.checkpoint': 'Checkpoint',
    'nav.logbook': 'Logbook',
    'nav.settings': 'Settings',
    'nav.endShift': 'End shift',
    'nav.main': 'Main',
    endedElsewhere: 'The shift of {guard} was ended in another tab of the app.',
    loading: 'Loading…',
    close: 'Close',
    cancel: 'Cancel',
    back: 'Back',
    colon: ': ',
    'sync.pending': 'Not sent yet',
    'sync.synced': 'Sent',
    'sync.rejected': 'Rejected',
    'error.required': 'Required',
    'error.tooLong': 'Too long',
    'error.invalid': 'Not valid',
    'error.idChecksum': 'The ID number’s check digit is wrong — check it again',
    'error.phoneInvalid': 'Enter an 11-digit mobile or a +international number',
    'error.temperatureInvalid': 'Enter the reading as a number, such as 36.5',
    degrees: '{t} °C',
    'error.temperatureRange': 'Temperature must be 34.0–43.0 °C',
    'error.temperatureDecimal': 'One decimal place',
    'error.dateInvalid': 'Not a valid date',
    'error.dateFuture': 'Cannot be after today',
    'error.quarantineBeforeArrival': 'Cannot be before the arrival date',
    // The entry form's returnee section, and the correction form's (the same fields).
    returneeSection: 'Returnee',
    quarantineHint: 'Computed from this gate’s rules; you can change it',
    'error.feverAdmitted': 'A person with a fever cannot simply be admitted',
    'error.quota':
      'The phone’s storage is full: this entry was not saved. Everything saved before is still there. Free some space and try again.',
    'error.saveFailed': 'Could not save: {message}',
  },
};

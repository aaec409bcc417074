/** Words of the pass card and the home-quarantine alert. */
import type { Catalog } from '../i18n/i18n';

export const alertMessages: Catalog = {
  'zh-CN': {
    passCard: '出入证',
    passValidUntil: '有效期至 {date}',
    passClear: '不用此证',
    quickSave: '保存 {name}',
    quarantineTitle: '居家隔离！',
    quarantineBody: '{name} 正在居家隔离，至 {date}。不得外出，请劝返并联系居委会。',
    quarantineIn: '{name} 正在居家隔离，至 {date}',
    quarantineDismiss: '知道了',
    dutyPhone: '居委会值班电话：{phone}',
    noDutyPhone: '请立即联系居委会值班人员',
  },
  en: {
    passCard: 'Resident pass',
    passValidUntil: 'valid until {date}',
    passClear: 'Not this pass',
    quickSave: 'Save {name}',
    quarantineTitle: 'Home quarantine!',
    quarantineBody:
      '{name} is under home quarantine until {date}. Do not let them out: ask them to go home and call the committee.',
    quarantineIn: '{name} is under home quarantine until {date}',
    quarantineDismiss: 'Understood',
    dutyPhone: 'Committee duty phone: {phone}',
    noDutyPhone: 'Call the committee’s duty officer now',
  },
};

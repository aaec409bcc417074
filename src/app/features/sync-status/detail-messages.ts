/** Words of the refused-records list and the erased-storage notice. */
import type { Catalog } from '../../i18n/i18n';

export const detailMessages: Catalog = {
  'zh-CN': {
    'rejected.title': '被拒收的记录',
    'rejected.hint':
      '这些记录没有送达服务器，也不会再自动上传。请核对后重新登记一条，或告知居委会。',
    'rejected.empty': '没有被拒收的记录。',
    'erased.body':
      '这台手机上的记录已被清除。服务器最后收到本机的记录是 {record} 登记的那条，收到时间 {at}。',
    'erased.bodyNoTime':
      '这台手机上的记录已被清除。服务器最后收到本机的记录是 {record} 登记的那条。',
    'erased.hint': '在那之后登记、还没上传的记录已经找不回来了。请告知居委会。',
    'erased.ok': '知道了',
  },
  en: {
    'rejected.title': 'Refused records',
    'rejected.hint':
      'These records did not reach the server and will not be sent again. Check them and enter a new record, or tell the committee.',
    'rejected.empty': 'No refused records.',
    'erased.body':
      'This phone’s records were erased. The server last received a record from this phone at {at}: the one logged at {record}.',
    'erased.bodyNoTime':
      'This phone’s records were erased. The last record the server received from this phone was logged at {record}.',
    'erased.hint':
      'Anything logged after that and not sent is gone from this phone. Tell the committee.',
    'erased.ok': 'OK',
  },
};

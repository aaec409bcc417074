/** Words of the update banner and the install hint. */
import type { Catalog } from '../i18n/i18n';

export const pwaMessages: Catalog = {
  'zh-CN': {
    'update.ready': '有新版本',
    'update.apply': '更新',
    'update.later': '稍后',
    'update.applying': '正在更新…',
    'install.title': '把门岗登记装到手机上',
    'install.why': '从桌面一点就开，全屏显示，没有网络也能用。',
    'install.button': '安装应用',
    'install.notNow': '不用了',
    'install.ios': '在 Safari 里点底部的「分享」按钮（方框加向上箭头），再选「添加到主屏幕」。',
    'install.gotIt': '知道了',
    'insecure.title': '这个地址不安全（http）：没网时打不开',
    'insecure.why':
      '{host} 不是 https 地址，手机不能把门岗登记装到桌面，断网后也打不开它。保存的记录不会丢。请向居委会要 https 地址，等这里的记录都上传后，用那个地址重新加入。',
  },
  en: {
    'update.ready': 'A new version is ready',
    'update.apply': 'Update',
    'update.later': 'Later',
    'update.applying': 'Updating…',
    'install.title': 'Install GateLog on this phone',
    'install.why': 'It opens from the home screen, full screen, and works without a network.',
    'install.button': 'Install app',
    'install.notNow': 'Not now',
    'install.ios':
      'In Safari, tap the Share button (a square with an arrow up), then “Add to Home Screen”.',
    'install.gotIt': 'Got it',
    'insecure.title': 'Not a secure (https) address: it will not open offline',
    'insecure.why':
      '{host} is not an https address, so this phone cannot install GateLog, nor open it without a network. Saved entries are kept. Ask the committee for the https address, and once everything here has been sent, enroll with that one.',
  },
};

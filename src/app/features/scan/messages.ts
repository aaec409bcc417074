import type { Catalog } from '../../i18n/i18n';

export const messages: Catalog = {
  'zh-CN': {
    title: '扫码',
    aim: '请把出入证上的二维码对准取景框',
    starting: '正在打开相机…',
    cameraFailed: '相机打不开。请输入出入证上印的出入证号。',
    passNumber: '出入证号',
    passNumberHint: '例如 7K3M-9QX2',
    check: '查证',
    scanAgain: '重新扫码',
    close: '关闭',
    checking: '正在核验…',
    'problem.forged': '假证！签名不是居委会签发的。不得凭此证通行，请核对身份证件。',
    'problem.notAPass': '这不是本小区的出入证。',
    'problem.unknownKey':
      '暂时无法核验此证：本机还没有收到居委会的新密钥。请联网同步，或按手工登记。',
    'problem.expired': '此证已过期（有效期至 {date}）。',
    'problem.revoked': '此证已被居委会注销，不得通行。',
    'problem.unknownNumber': '本机没有出入证号为 {number} 的出入证。请核对出入证号，或按手工登记。',
    'problem.noCrypto': '当前连接下本机无法核验出入证（需要 HTTPS）。请按手工登记。',
    who: '证上：{name} · {address}',
  },
  en: {
    title: 'Scan pass',
    aim: 'Hold the QR code of the pass inside the frame',
    starting: 'Opening the camera…',
    cameraFailed: 'The camera does not work. Type the number on the pass.',
    passNumber: 'Pass number',
    passNumberHint: 'e.g. 7K3M-9QX2',
    check: 'Check',
    scanAgain: 'Scan again',
    close: 'Close',
    checking: 'Checking…',
    'problem.forged':
      'Forged pass! The signature is not the committee’s. Do not let them through on it; check their ID.',
    'problem.notAPass': 'This is not a resident pass of this compound.',
    'problem.unknownKey':
      'Cannot check this pass yet: this phone has not received the committee’s new key. Sync when online, or register by hand.',
    'problem.expired': 'This pass has expired (valid until {date}).',
    'problem.revoked': 'This pass was revoked by the committee. Do not let them through on it.',
    'problem.unknownNumber':
      'No pass number {number} on this phone. Check the number, or register by hand.',
    'problem.noCrypto':
      'This phone cannot check passes on this connection (HTTPS needed). Register by hand.',
    who: 'On the pass: {name} · {address}',
  },
};

/** A gate's rules, as their forms and facts name them (settings, the committee's page). */
import type { Catalog } from './i18n';

export const gateRulesMessages: Catalog = {
  'zh-CN': {
    gateName: '门岗名称',
    rulesSection: '门岗规则',
    feverThreshold: '发热标准（℃ 及以上）',
    quarantineDays: '居家隔离天数',
    keyRegions: '重点地区',
    keyRegionsHint: '用逗号或换行分隔，例如：湖北, 温州',
    dutyPhone: '居委会值班电话',
    'rules.feverThresholdC': '请输入 35.0–40.0 之间的温度，保留一位小数',
    'rules.quarantineDays': '请输入 0–60 的整数天数',
    'rules.keyRegions': '每个地区最多 40 个字，不能有控制字符，最多 100 个地区',
    'rules.dutyPhone': '请输入电话号码：数字、空格、- 和括号，可用 + 开头，最多 40 个字符',
  },
  en: {
    gateName: 'Gate name',
    rulesSection: 'Gate rules',
    feverThreshold: 'Fever at or above (°C)',
    quarantineDays: 'Home quarantine days',
    keyRegions: 'Key regions',
    keyRegionsHint: 'Separate with commas or new lines, e.g. Hubei, Wenzhou',
    dutyPhone: 'Committee duty phone',
    'rules.feverThresholdC': 'Enter a temperature from 35.0 to 40.0 with one decimal',
    'rules.quarantineDays': 'Enter whole days from 0 to 60',
    'rules.keyRegions':
      'Each region up to 40 characters, no control characters, at most 100 regions',
    'rules.dutyPhone':
      'A phone number: digits, spaces, dashes and brackets, an optional leading +; at most 40 characters',
  },
};

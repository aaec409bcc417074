/** A gate's rules, as their forms and facts name them (settings, the committee's page). */
import { DEFAULT_GATE_RULES, FEVER_THRESHOLD_USUAL_C, unusualFeverThreshold } from '../../shared';
import type { Catalog, Translate } from './i18n';

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
    // A threshold outside the usual ones, asked about before it is saved.
    'feverConfirm.low':
      '把发热标准设为 {t} ℃？通常在 {low}–{high} ℃ 之间（默认 {usual} ℃）。这么低，几乎每个人都会被判为发热、不予放行。确定保存吗？',
    'feverConfirm.high':
      '把发热标准设为 {t} ℃？通常在 {low}–{high} ℃ 之间（默认 {usual} ℃）。这么高，发烧的人也不会被判为发热，会被放行。确定保存吗？',
    feverConfirmTitle: '发热标准不同寻常',
    feverConfirmSave: '仍然保存',
    feverConfirmCancel: '不保存',
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
    'feverConfirm.low':
      'Set the fever threshold to {t} °C? It is usually from {low} to {high} °C ({usual} °C by default). This low, nearly everyone is flagged as a fever and not let in. Save it anyway?',
    'feverConfirm.high':
      'Set the fever threshold to {t} °C? It is usually from {low} to {high} °C ({usual} °C by default). This high, people with a fever are not flagged and are let in. Save it anyway?',
    feverConfirmTitle: 'An unusual fever threshold',
    feverConfirmSave: 'Save anyway',
    feverConfirmCancel: 'Do not save',
  },
};

/**
 * The question asked before a fever threshold outside the usual ones is saved (it flags nearly
 * everyone, or hardly anyone); undefined for a usual one. `t` holds gateRulesMessages.
 */
export function unusualFeverQuestion(t: Translate, thresholdC: number): string | undefined {
  const unusual = unusualFeverThreshold(thresholdC);
  if (unusual === null) return undefined;
  return t(`feverConfirm.${unusual}`, {
    t: thresholdC.toFixed(1),
    low: FEVER_THRESHOLD_USUAL_C.low.toFixed(1),
    high: FEVER_THRESHOLD_USUAL_C.high.toFixed(1),
    usual: DEFAULT_GATE_RULES.feverThresholdC.toFixed(1),
  });
}

/**
 * The record's words in both languages: its fields and their choices, as the guard's form, the
 * committee's page and the committee's CSV export all say them. Here, not in the app's catalog,
 * because the server writes the export and imports nothing of the app (one source of truth: the
 * app's common catalog spreads these in).
 */

/** The languages of the app, the committee's page and the export. */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];

/**
 * The gate a server makes at its first start, named in both languages as stored (the server
 * knows no guard's language); pages show it in theirs alone (gateNameIn).
 */
export const DEFAULT_GATE_NAMES: Record<Locale, string> = { 'zh-CN': '正门', en: 'Main gate' };
export const DEFAULT_GATE_NAME = `${DEFAULT_GATE_NAMES.en} / ${DEFAULT_GATE_NAMES['zh-CN']}`;

/** A gate's name as read in `locale`: the first start's gate in that language, any other as named. */
export function gateNameIn(name: string, locale: Locale): string {
  return name === DEFAULT_GATE_NAME ? DEFAULT_GATE_NAMES[locale] : name;
}

/**
 * Gates in the order a reader looks for them, by name, not in the order they were made: numbers
 * in natural order (2号门 before 10号门), twins by id. With `locale`, by the name as read in it
 * (gateNameIn; 北门, 东门, 南门 by pinyin in Chinese), as the committee's page lists them; with
 * none, by the stored name in the language-neutral order (Unicode's root collation), as the
 * server's command line does.
 */
export function gatesByName<G extends { id: string; name: string }>(
  gates: readonly G[],
  locale?: Locale,
): G[] {
  const { compare } = new Intl.Collator(locale ?? 'und', { numeric: true });
  const shown = (g: G) => (locale === undefined ? g.name : gateNameIn(g.name, locale));
  return [...gates].sort((a, b) => compare(shown(a), shown(b)) || (a.id < b.id ? -1 : 1));
}

/** Field and choice names of a GateLog record, keyed as the app's messages are. */
export const recordWords: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    gate: '门岗',
    guard: '值班人员',
    'direction.in': '进',
    'direction.out': '出',
    direction: '进出',
    'category.resident': '居民',
    'category.visitor': '访客',
    'category.courier': '快递外卖',
    'category.staff': '工作人员',
    'category.other': '其他',
    category: '人员类别',
    name: '姓名',
    idType: '证件类型',
    'idType.cn_resident_id': '居民身份证',
    'idType.passport': '护照',
    'idType.hk_macao_tw_permit': '港澳台通行证',
    'idType.other': '其他证件',
    idNumber: '证件号码',
    phone: '手机号',
    address: '住址 / 拜访对象',
    temperature: '体温',
    returnee: '外地返回',
    'returnee.none': '否',
    'returnee.domestic': '外省市',
    'returnee.overseas': '境外',
    origin: '来自',
    arrivedOn: '抵达日期',
    quarantineUntil: '居家隔离至',
    registered: '已向居委会登记',
    decision: '处置',
    'decision.admitted': '放行',
    'decision.refused': '劝返',
    'decision.referred': '转居委会',
    note: '备注',
    fever: '发热',
    passId: '出入证号',
  },
  en: {
    gate: 'Gate',
    guard: 'Guard',
    'direction.in': 'In',
    'direction.out': 'Out',
    direction: 'Direction',
    'category.resident': 'Resident',
    'category.visitor': 'Visitor',
    'category.courier': 'Courier',
    'category.staff': 'Staff',
    'category.other': 'Other',
    category: 'Category',
    name: 'Name',
    idType: 'ID type',
    'idType.cn_resident_id': 'Resident ID card',
    'idType.passport': 'Passport',
    'idType.hk_macao_tw_permit': 'HK/Macao/Taiwan permit',
    'idType.other': 'Other ID',
    idNumber: 'ID number',
    phone: 'Phone',
    address: 'Address or whom visiting',
    temperature: 'Temperature',
    returnee: 'Returned from outside the city',
    'returnee.none': 'No',
    'returnee.domestic': 'Another city',
    'returnee.overseas': 'Overseas',
    origin: 'From',
    arrivedOn: 'Arrived on',
    quarantineUntil: 'Home quarantine until',
    registered: 'Registered with the committee',
    decision: 'Decision',
    'decision.admitted': 'Admitted',
    'decision.refused': 'Refused',
    'decision.referred': 'Referred to committee',
    note: 'Note',
    fever: 'Fever',
    passId: 'Pass number',
  },
};

/** The export's own words: columns the page shows no label for, and yes/no. */
export const exportWords: Record<Locale, Record<string, string>> = {
  'zh-CN': {
    id: '记录编号',
    receivedAt: '服务器收到时间',
    occurredAt: '登记时间',
    utcOffset: '时区',
    gateId: '门岗编号',
    deviceId: '门岗手机编号',
    shiftId: '班次编号',
    temperatureC: '体温（℃）',
    corrected: '已被更正',
    amends: '所更正的记录',
    correctedBy: '更正它的记录',
    yes: '是',
    no: '否',
  },
  en: {
    id: 'Record ID',
    receivedAt: 'Received by the server',
    occurredAt: 'Logged at',
    utcOffset: 'Time zone',
    gateId: 'Gate ID',
    deviceId: 'Gate phone ID',
    shiftId: 'Shift ID',
    temperatureC: 'Temperature (°C)',
    corrected: 'Corrected',
    amends: 'Corrects record',
    correctedBy: 'Corrected by record',
    yes: 'Yes',
    no: 'No',
  },
};

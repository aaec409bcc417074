/**
 * Pure domain rules of a gate checkpoint: fever, identity numbers, phones, quarantine, the
 * default decision. No DOM, no Node: the form, the outbox and the server all call these.
 */

/** A gate's rules, set by the committee and delivered to the phone at enrollment. */
export interface GateRules {
  /** Temperatures at or above this are a fever. */
  feverThresholdC: number;
  /** Days of home quarantine from the arrival date. */
  quarantineDays: number;
  /** Origins (province, city) that mean home quarantine; overseas always does. */
  keyRegions: string[];
  /** The committee's duty phone, shown on every alert. */
  dutyPhone: string;
}

export const DEFAULT_GATE_RULES: GateRules = {
  feverThresholdC: 37.3,
  quarantineDays: 14,
  keyRegions: ['湖北', 'Hubei'],
  dutyPhone: '',
};

export const TEMPERATURE_MIN_C = 34;
export const TEMPERATURE_MAX_C = 43;

/** Temperatures are compared in tenths of a degree so 37.3 is never 37.29999. */
const tenths = (c: number): number => Math.round(c * 10);

/**
 * The fever thresholds gates usually set (37.3 °C in the seed's Shanghai and by default; from
 * 37.0 to 38.5 where gates set their own): the schema takes 35.0–40.0, but outside these a
 * threshold flags nearly everyone or hardly anyone, so the committee's page asks before saving.
 */
export const FEVER_THRESHOLD_USUAL_C = { low: 37, high: 38.5 } as const;

/** Whether a fever threshold is below the usual ones, above them, or neither (null). */
export function unusualFeverThreshold(thresholdC: number): 'low' | 'high' | null {
  if (tenths(thresholdC) < tenths(FEVER_THRESHOLD_USUAL_C.low)) return 'low';
  if (tenths(thresholdC) > tenths(FEVER_THRESHOLD_USUAL_C.high)) return 'high';
  return null;
}

/** True when the temperature is a fever at this gate. */
export function isFever(temperatureC: number | undefined, thresholdC: number): boolean {
  return temperatureC !== undefined && tenths(temperatureC) >= tenths(thresholdC);
}

/** What the API says of text that `isPlainText` refuses. */
export const NOT_PLAIN_TEXT = 'invalid: holds a control character or half a surrogate pair';

/**
 * True for text that prints: no control characters (a NUL, a line break) and no half of a
 * surrogate pair. The committee's names, regions and notes are such text; PostgreSQL's text and
 * JSON columns cannot hold a NUL or a lone surrogate at all.
 */
export function isPlainText(s: string): boolean {
  // With the u flag a surrogate pair is one code point, so \p{Cs} matches only a lone half.
  return !/[\p{Cc}\p{Cs}]/u.test(s);
}

/** A duty phone as dialled: digits, spaces, dashes and brackets, a leading + (or nothing). */
export function isDutyPhone(s: string): boolean {
  return s === '' || (/^\+?[\d ()-]+$/.test(s) && (s.match(/\d/g)?.length ?? 0) >= 3);
}

/** True when the number has at most one decimal (36.6, not 36.65). */
export function hasOneDecimal(n: number): boolean {
  return Math.abs(n * 10 - Math.round(n * 10)) < 1e-9;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK_CHARS = '10X98765432';

/** The GB 11643 check character for the first 17 digits of a resident ID. */
export function residentIdCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK_CHARS[sum % 11]!;
}

/** An 18-character mainland resident ID: 17 digits, a real birth date, a right check char. */
export function isValidResidentId(id: string): boolean {
  if (!/^\d{17}[\dX]$/.test(id)) return false;
  const y = Number(id.slice(6, 10));
  const m = Number(id.slice(10, 12));
  const d = Number(id.slice(12, 14));
  const birth = new Date(Date.UTC(y, m - 1, d));
  if (y < 1800 || birth.getUTCMonth() !== m - 1 || birth.getUTCDate() !== d) return false;
  return residentIdCheckChar(id) === id[17];
}

/** An 11-digit mainland mobile (1[3-9]…) or an international +E.164 number. */
export function isValidPhone(phone: string): boolean {
  return /^1[3-9]\d{9}$/.test(phone) || /^\+[1-9]\d{6,14}$/.test(phone);
}

export type ReturneeStatus = 'none' | 'domestic' | 'overseas';

/** Adds whole days to a YYYY-MM-DD date, in the calendar (no time zone involved). */
export function addDays(isoDate: string, days: number): string {
  const [y, m, d] = isoDate.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** True when the origin names one of the gate's key regions. */
export function isKeyRegion(origin: string, rules: Pick<GateRules, 'keyRegions'>): boolean {
  const o = origin.trim().toLowerCase();
  return (
    o !== '' && rules.keyRegions.some((r) => r.trim() !== '' && o.includes(r.trim().toLowerCase()))
  );
}

/**
 * The last day of home quarantine, or undefined when none is due: overseas arrivals and
 * arrivals from key regions stay home for the gate's days from the arrival date.
 */
export function quarantineUntil(
  returnee: { status: ReturneeStatus; origin?: string | undefined; arrivedOn?: string | undefined },
  rules: Pick<GateRules, 'keyRegions' | 'quarantineDays'>,
): string | undefined {
  if (returnee.status === 'none' || !returnee.arrivedOn) return undefined;
  if (returnee.status === 'overseas' || isKeyRegion(returnee.origin ?? '', rules)) {
    return addDays(returnee.arrivedOn, rules.quarantineDays);
  }
  return undefined;
}

export type Decision = 'admitted' | 'refused' | 'referred';

/**
 * What the guard should do unless they decide otherwise: a fever is referred to the
 * committee; a person under home quarantine going out is refused; everyone else is admitted.
 */
export function defaultDecision(
  entry: {
    direction: 'in' | 'out';
    temperatureC?: number | undefined;
    returnee?: { status: ReturneeStatus; quarantineUntil?: string | undefined } | undefined;
  },
  today: string,
  rules: Pick<GateRules, 'feverThresholdC'>,
): Decision {
  if (isFever(entry.temperatureC, rules.feverThresholdC)) return 'referred';
  const until = entry.returnee?.status !== 'none' ? entry.returnee?.quarantineUntil : undefined;
  if (entry.direction === 'out' && until !== undefined && today <= until) return 'refused';
  return 'admitted';
}

/** The local calendar date (YYYY-MM-DD) of an ISO 8601 timestamp written with its offset. */
export function localDateOf(isoWithOffset: string): string {
  return isoWithOffset.slice(0, 10);
}

/**
 * The text both sides hash for an end-of-shift digest: the shift's record ids, sorted,
 * one per line. Each side hashes it with SHA-256 and compares hex.
 */
export function shiftDigestInput(ids: readonly string[]): string {
  return [...ids].sort().join('\n');
}

/**
 * Whether a record counts as a passage among the records `held` (a shift's, or a day's): not a
 * correction, or one (through the corrections before it) of a record held. A correction of a
 * record not held (made in this shift, of an entry of an earlier one) is counted with that
 * record, not here. A record naming itself is a passage; records naming each other are none.
 */
export function passageAmong<R extends { id: string; amends?: string | null | undefined }>(
  record: R,
  held: ReadonlyMap<string, R>,
): boolean {
  let row = record;
  // At most one step a record held: records naming each other cannot hold it.
  for (let steps = held.size; row.amends != null && row.amends !== row.id && steps > 0; steps--) {
    const original = held.get(row.amends);
    if (original === undefined) return false;
    row = original;
  }
  return row.amends == null || row.amends === row.id;
}

/**
 * An entry form's values as the inputs hold them (strings), shared by the checkpoint form and
 * the logbook's correction form, and the bridge to the shared
 * entry schema: empty strings become absent fields, the temperature becomes a number, a
 * returnee section set to "no" sends nothing else. react-hook-form validates through
 * `zodResolver` with this pipe, so the form and the outbox parse with the same rules.
 */
import * as z from 'zod/mini';
import {
  TEMPERATURE_MAX_C,
  TEMPERATURE_MIN_C,
  defaultDecision,
  makeEntrySchema,
  quarantineUntil,
  type Entry,
  type EntryRuleOptions,
  type GateRules,
  type Person,
} from '../../shared';

export interface EntryFormValues {
  direction: 'in' | 'out';
  person: {
    category: Person['category'];
    name: string;
    idType: string;
    idNumber: string;
    phone: string;
    address: string;
    passId: string;
  };
  temperatureC: string;
  returnee: {
    status: 'none' | 'domestic' | 'overseas';
    origin: string;
    arrivedOn: string;
    quarantineUntil: string;
    registered: boolean;
  };
  decision: Entry['decision'];
  note: string;
  amends: string;
}

export const EMPTY_ENTRY: EntryFormValues = {
  direction: 'in',
  person: {
    category: 'resident',
    name: '',
    idType: 'cn_resident_id',
    idNumber: '',
    phone: '',
    address: '',
    passId: '',
  },
  temperatureC: '',
  returnee: { status: 'none', origin: '', arrivedOn: '', quarantineUntil: '', registered: false },
  decision: 'admitted',
  note: '',
  amends: '',
};

const opt = (s: string | undefined) => {
  const t = (s ?? '').trim();
  return t === '' ? undefined : t;
};

/** Full-width digits and stops (a Chinese keyboard's "３６．５") as ASCII. */
const halfWidth = (s: string): string =>
  s.replace(/[\uff10-\uff19\uff0e\uff0c]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));

/** Reads a temperature as typed ("36,5", " 38.0 ", "３６．５") into a number; empty is absent. */
export function parseTemperature(s: string): number | undefined {
  const t = halfWidth(s).trim().replace(',', '.');
  return t === '' ? undefined : Number(t);
}

/**
 * A temperature as typed, when it is one a thermometer can read (34.0–43.0): what the fever
 * warning and the suggested decision go by. "368" for 36.8 is no fever to warn of, only a typo
 * the field's own check names.
 */
export function readableTemperature(s: string): number | undefined {
  const t = parseTemperature(s);
  return t !== undefined && t >= TEMPERATURE_MIN_C && t <= TEMPERATURE_MAX_C ? t : undefined;
}

/** The quarantine end the gate's rules give a returnee's origin and arrival ('' for none). */
export function suggestedUntil(
  status: EntryFormValues['returnee']['status'],
  origin: string,
  arrivedOn: string,
  rules: GateRules,
): string {
  return quarantineUntil({ status, origin, arrivedOn: arrivedOn || undefined }, rules) ?? '';
}

/** The decision the gate's rules suggest for the form's values (before the watchlist's word). */
export function suggestedDecision(
  direction: EntryFormValues['direction'],
  temperature: string,
  status: EntryFormValues['returnee']['status'],
  until: string,
  today: string,
  rules: GateRules,
): Entry['decision'] {
  return defaultDecision(
    {
      direction,
      temperatureC: readableTemperature(temperature),
      returnee: { status, quarantineUntil: until || undefined },
    },
    today,
    rules,
  );
}

/** Form values → the shape the entry schema checks (absent instead of empty). */
export function toEntryInput(v: EntryFormValues): Record<string, unknown> {
  // Written in groups ("1101 0519 …") or with full-width digits, it is the same number.
  const idNumber = opt(halfWidth(v.person.idNumber).replace(/\s/g, ''));
  const r = v.returnee;
  return {
    direction: v.direction,
    person: {
      category: v.person.category,
      name: v.person.name,
      idType: idNumber ? opt(v.person.idType) : undefined,
      idNumber,
      phone: opt(halfWidth(v.person.phone))?.replace(/[\s-]/g, ''),
      address: opt(v.person.address),
      passId: opt(v.person.passId),
    },
    temperatureC: parseTemperature(v.temperatureC),
    returnee:
      r.status === 'none'
        ? { status: 'none' }
        : {
            status: r.status,
            origin: opt(r.origin),
            arrivedOn: opt(r.arrivedOn),
            quarantineUntil: opt(r.quarantineUntil),
            registered: r.registered,
          },
    decision: v.decision,
    note: opt(v.note),
    amends: opt(v.amends),
  };
}

/** Entry → form values, for corrections and restoring a draft. */
export function fromEntry(e: Partial<Entry>): EntryFormValues {
  return {
    ...EMPTY_ENTRY,
    direction: e.direction ?? 'in',
    person: {
      ...EMPTY_ENTRY.person,
      ...Object.fromEntries(Object.entries(e.person ?? {}).filter(([, x]) => x !== undefined)),
    },
    temperatureC: e.temperatureC?.toFixed(1) ?? '',
    returnee: {
      ...EMPTY_ENTRY.returnee,
      ...Object.fromEntries(Object.entries(e.returnee ?? {}).filter(([, x]) => x !== undefined)),
    },
    decision: e.decision ?? 'admitted',
    note: e.note ?? '',
    amends: e.amends ?? '',
  };
}

/** The schema react-hook-form validates with: form values in, a valid `Entry` out. */
export function makeEntryFormSchema(rules: EntryRuleOptions, today: () => string) {
  return z.pipe(
    z.transform((v: unknown) => toEntryInput(v as EntryFormValues)),
    makeEntrySchema(rules, today),
  ) as unknown as z.ZodMiniType<Entry, EntryFormValues>;
}

/** A stored draft back into form values; anything unreadable gives an empty form. */
export function restoreDraft(
  draft: Record<string, unknown> | undefined,
): EntryFormValues | undefined {
  if (!draft) return undefined;
  const d = draft as Partial<EntryFormValues>;
  if (typeof d.person !== 'object' || typeof d.returnee !== 'object' || !d.person || !d.returnee)
    return undefined;
  const str = (x: unknown, fallback: string) => (typeof x === 'string' ? x : fallback);
  const pick = <T extends string>(x: unknown, allowed: readonly T[], fallback: T): T =>
    allowed.includes(x as T) ? (x as T) : fallback;
  const p = d.person as Partial<EntryFormValues['person']>;
  const r = d.returnee as Partial<EntryFormValues['returnee']>;
  return {
    direction: pick(d.direction, ['in', 'out'], 'in'),
    person: {
      category: pick(p.category, ['resident', 'visitor', 'courier', 'staff', 'other'], 'resident'),
      name: str(p.name, ''),
      idType: str(p.idType, 'cn_resident_id'),
      idNumber: str(p.idNumber, ''),
      phone: str(p.phone, ''),
      address: str(p.address, ''),
      passId: str(p.passId, ''),
    },
    temperatureC: str(d.temperatureC, ''),
    returnee: {
      status: pick(r.status, ['none', 'domestic', 'overseas'], 'none'),
      origin: str(r.origin, ''),
      arrivedOn: str(r.arrivedOn, ''),
      quarantineUntil: str(r.quarantineUntil, ''),
      registered: r.registered === true,
    },
    decision: pick(d.decision, ['admitted', 'refused', 'referred'], 'admitted'),
    note: str(d.note, ''),
    amends: str(d.amends, ''),
  };
}

/** True when the guard has typed anything worth keeping. */
export function isBlank(v: EntryFormValues): boolean {
  return (
    !v.person.name.trim() &&
    !v.person.idNumber.trim() &&
    !v.person.phone.trim() &&
    !v.person.address.trim() &&
    !v.temperatureC.trim() &&
    v.returnee.status === 'none' &&
    !v.note.trim()
  );
}

/** A stored draft as the form's values; undefined when there is none or it is blank. */
export function filledDraft(
  draft: Record<string, unknown> | undefined,
): EntryFormValues | undefined {
  const values = restoreDraft(draft);
  return values && !isBlank(values) ? values : undefined;
}

/** The name on a stored draft that holds anything ('—' before a name is typed); else null. */
export function draftName(draft: Record<string, unknown> | undefined): string | null {
  const values = filledDraft(draft);
  return values ? values.person.name.trim() || '—' : null;
}

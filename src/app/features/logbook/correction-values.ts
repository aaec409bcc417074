/**
 * The correction form's values as its inputs hold them (strings), and the bridge to the shared
 * entry schema: empty strings become absent fields, the temperature a number, a returnee
 * section set to "no" sends nothing else. The form validates with `makeEntrySchema` itself.
 */
import * as z from 'zod/mini';
import { makeEntrySchema, type Entry, type EntryRuleOptions, type GateLog } from '../../../shared';

export interface CorrectionValues {
  direction: Entry['direction'];
  person: {
    category: Entry['person']['category'];
    name: string;
    idType: string;
    idNumber: string;
    phone: string;
    address: string;
    passId: string;
  };
  temperatureC: string;
  returnee: {
    status: Entry['returnee']['status'];
    origin: string;
    arrivedOn: string;
    quarantineUntil: string;
    registered: boolean;
  };
  decision: Entry['decision'];
  note: string;
}

const opt = (s: string | undefined): string | undefined => {
  const t = (s ?? '').trim();
  return t === '' ? undefined : t;
};

/** "36,5" or " 38.0 " → a number; empty is absent (NaN fails the schema with its own message). */
export function parseTemperature(s: string): number | undefined {
  const t = s.trim().replace(',', '.');
  return t === '' ? undefined : Number(t);
}

/** A stored record → the form, prefilled with everything the guard entered. */
export function valuesOf(r: GateLog): CorrectionValues {
  const p = r.person;
  const q = r.returnee;
  return {
    direction: r.direction,
    person: {
      category: p.category,
      name: p.name,
      idType: p.idType ?? '',
      idNumber: p.idNumber ?? '',
      phone: p.phone ?? '',
      address: p.address ?? '',
      passId: p.passId ?? '',
    },
    temperatureC: r.temperatureC?.toFixed(1) ?? '',
    returnee: {
      status: q.status,
      origin: q.origin ?? '',
      arrivedOn: q.arrivedOn ?? '',
      quarantineUntil: q.quarantineUntil ?? '',
      registered: q.registered === true,
    },
    decision: r.decision,
    note: r.note ?? '',
  };
}

/** Form values → the shape the entry schema checks (absent instead of empty). */
export function toEntryInput(v: CorrectionValues): Record<string, unknown> {
  const idNumber = opt(v.person.idNumber);
  const r = v.returnee;
  return {
    direction: v.direction,
    person: {
      category: v.person.category,
      name: v.person.name,
      idType: idNumber ? opt(v.person.idType) : undefined,
      idNumber,
      phone: opt(v.person.phone)?.replace(/[\s-]/g, ''),
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
  };
}

/** What react-hook-form validates with: the form's strings in, a valid `Entry` out. */
export function makeCorrectionSchema(rules: EntryRuleOptions, today: () => string) {
  return z.pipe(
    z.transform((v: unknown) => toEntryInput(v as CorrectionValues)),
    makeEntrySchema(rules, today),
  ) as unknown as z.ZodMiniType<Entry, CorrectionValues>;
}

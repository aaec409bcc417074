/**
 * Quick lookup of people logged before on this phone: by name, phone, the last digits of the
 * ID number, or the room. Kept up to date inside each save's transaction (records-repo).
 */
import type { GateLog, Person } from '../../shared';
import { normalizeIdNumber } from '../../shared/passes';
import { db, type KnownPerson } from './db';

export function personKey(p: Person): string {
  return p.idNumber ? `id:${p.idType ?? ''}:${p.idNumber}` : `np:${p.name}|${p.phone ?? ''}`;
}

/**
 * The quarantine end a person's row keeps after one more record of them: a returnee's entry sets
 * it (or clears it when the rules give none); a plain pass keeps it (the guard does not ask again
 * each time); a correction of the returnee's entry that says "not a returnee" clears it.
 */
function quarantineAfter(
  record: Pick<GateLog, 'returnee'>,
  corrected: Pick<GateLog, 'returnee'> | undefined,
  known: KnownPerson | undefined,
): string | undefined {
  if (record.returnee.status !== 'none') return record.returnee.quarantineUntil;
  if (corrected !== undefined && corrected.returnee.status !== 'none') return undefined;
  return known?.quarantineUntil;
}

/**
 * A person's quick-lookup row after one more record at `at` (`known`: the row kept so far;
 * `corrected`: the record this one corrects, when it is a correction).
 */
export function knownPersonRow(
  record: Pick<GateLog, 'person' | 'returnee'>,
  at: number,
  known?: KnownPerson,
  corrected?: Pick<GateLog, 'returnee'>,
): KnownPerson {
  const { person } = record;
  const quarantineUntil = quarantineAfter(record, corrected, known);
  return {
    key: personKey(person),
    person,
    name: person.name,
    phone: person.phone ?? '',
    idRev: person.idNumber ? [...person.idNumber].reverse().join('') : '',
    address: person.address ?? '',
    lastSeenAt: at,
    visits: (known?.visits ?? 0) + 1,
    ...(quarantineUntil !== undefined && { quarantineUntil }),
  };
}

/**
 * Someone this phone registered as a returnee whose home quarantine lasts through `today`, found
 * by the ID number or phone on the form (written as the guard types them); the latest seen.
 */
export async function findOwnQuarantine(
  typed: { idNumber: string; phone: string },
  today: string,
): Promise<KnownPerson | undefined> {
  const id = normalizeIdNumber(typed.idNumber);
  const phone = typed.phone.replace(/[\s-]/g, '');
  const rows = [
    ...(id
      ? await db.people
          .where('idRev')
          .equals([...id].reverse().join(''))
          .toArray()
      : []),
    ...(phone ? await db.people.where('phone').equals(phone).toArray() : []),
  ];
  return rows
    .filter((r) => r.quarantineUntil !== undefined && r.quarantineUntil >= today)
    .sort((a, b) => b.lastSeenAt - a.lastSeenAt)[0];
}

/** People matching a query, most recently seen first. Digits also match phone and ID tails. */
export async function lookupPeople(query: string, limit = 8): Promise<KnownPerson[]> {
  const q = query.trim();
  if (q.length === 0) return [];
  const found = new Map<string, KnownPerson>();
  const add = (rows: KnownPerson[]) => rows.forEach((r) => found.set(r.key, r));
  add(await db.people.where('name').startsWith(q).limit(limit).toArray());
  add(await db.people.where('address').startsWithIgnoreCase(q).limit(limit).toArray());
  if (/^[\dXx+]+$/.test(q)) {
    add(await db.people.where('phone').startsWith(q).limit(limit).toArray());
    add(
      await db.people
        .where('idRev')
        .startsWith([...q.toUpperCase()].reverse().join(''))
        .limit(limit)
        .toArray(),
    );
    if (q.length >= 4) {
      const tail = await db.people
        .filter((p) => p.phone.endsWith(q))
        .limit(limit)
        .toArray();
      add(tail);
    }
  }
  return [...found.values()].sort((a, b) => b.lastSeenAt - a.lastSeenAt).slice(0, limit);
}

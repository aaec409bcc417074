/**
 * Quick lookup of people logged before on this phone: by name, phone, the last digits of the
 * ID number, or the room. Kept up to date inside each save's transaction (records-repo).
 */
import type { Person } from '../../shared';
import { db, type KnownPerson } from './db';

export function personKey(p: Person): string {
  return p.idNumber ? `id:${p.idType ?? ''}:${p.idNumber}` : `np:${p.name}|${p.phone ?? ''}`;
}

/** A person's quick-lookup row after one more visit at `at` (`known`: the row kept so far). */
export function knownPersonRow(person: Person, at: number, known?: KnownPerson): KnownPerson {
  return {
    key: personKey(person),
    person,
    name: person.name,
    phone: person.phone ?? '',
    idRev: person.idNumber ? [...person.idNumber].reverse().join('') : '',
    address: person.address ?? '',
    lastSeenAt: at,
    visits: (known?.visits ?? 0) + 1,
  };
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

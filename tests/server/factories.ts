/** Fixtures for server tests: valid GateLog v1 records and the ids they need. */
import { randomUUID } from 'node:crypto';
import type { GateLog, Person, Returnee } from '../../src/shared';
import { residentIdCheckChar } from '../../src/shared';
import { uuidv7 } from '../../src/app/db/uuid';

/** Ids as a phone makes them (UUIDv7, time-ordered). */
export { uuidv7 };

/** A valid 18-character resident ID (GB 11643): Shanghai region, a real birth date, check char. */
export function residentId(n: number = Math.floor(Math.random() * 1000)): string {
  const birth = new Date(Date.UTC(1950, 0, 1) + (n % 20000) * 86_400_000);
  const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
  const first17 = `310101${ymd}${String(n % 1000).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

/** An ISO 8601 timestamp written in Shanghai time (+08:00), as a phone there would. */
export function shanghaiIso(ms: number = Date.now()): string {
  return new Date(ms + 8 * 3_600_000).toISOString().replace('Z', '+08:00');
}

export type GateLogOverrides = Partial<Omit<GateLog, 'person' | 'returnee'>> & {
  person?: Partial<Person>;
  returnee?: Partial<Returnee>;
};

/** A valid record: a resident walking in at 36.5 °C and admitted. */
export function makeGateLog(overrides: GateLogOverrides = {}): GateLog {
  const { person, returnee, ...rest } = overrides;
  return {
    id: uuidv7(),
    schemaVersion: 1,
    deviceId: 'device-1',
    gateId: 'gate-1',
    shiftId: randomUUID(),
    guard: '张师傅',
    occurredAt: shanghaiIso(),
    direction: 'in',
    temperatureC: 36.5,
    decision: 'admitted',
    ...rest,
    person: {
      category: 'resident',
      name: '王小明',
      idType: 'cn_resident_id',
      idNumber: residentId(),
      phone: '13800138000',
      address: '3号楼 502',
      ...person,
    },
    returnee: { status: 'none', ...returnee },
  };
}

/** A UUIDv7 made at `ms` (uuidv7 never goes back before the last id it made). */
export function uuidv7At(ms: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const rest = randomUUID().replace(/-/g, '');
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${rest.slice(13, 16)}-${'89ab'[ms % 4]}${rest.slice(17, 20)}-${rest.slice(20, 32)}`;
}

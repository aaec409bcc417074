/** Fixtures for server tests: valid GateLog v1 records and the ids they need. */
import { randomBytes, randomUUID } from 'node:crypto';
import type { GateLog, Person, Returnee } from '../../src/shared';
import { residentIdCheckChar } from '../../src/shared';

let lastMs = -1;
let seq = 0;

/** A UUIDv7 (RFC 9562): 48-bit ms, a 12-bit counter within the ms, random bits. */
export function uuidv7(now: number = Date.now()): string {
  if (now <= lastMs) {
    seq++;
    if (seq > 0xfff) {
      lastMs++;
      seq = 0;
    }
  } else {
    lastMs = now;
    seq = 0;
  }
  const b = randomBytes(16);
  b.writeUIntBE(lastMs, 0, 6);
  b[6] = 0x70 | (seq >>> 8);
  b[7] = seq & 0xff;
  b[8] = 0x80 | (b[8]! & 0x3f);
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

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

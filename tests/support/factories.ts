/** Test fixtures: valid GateLog records and entries, with overrides. */
import { residentIdCheckChar, type Entry, type GateLog } from '../../src/shared';
import { uuidv7 } from '../../src/app/db/uuid';

/** A valid 18-character resident ID for a birth date and sequence. */
export function makeResidentId(birth = '19800101', seq = 123, region = '310101'): string {
  const first17 = `${region}${birth}${String(seq).padStart(3, '0')}`;
  return first17 + residentIdCheckChar(first17);
}

export function makeEntry(overrides: Partial<Entry> = {}): Entry {
  return {
    direction: 'in',
    person: {
      category: 'resident',
      name: '张三',
      idType: 'cn_resident_id',
      idNumber: makeResidentId(),
      phone: '13800138000',
      address: '3号楼 201',
    },
    temperatureC: 36.5,
    returnee: { status: 'none' },
    decision: 'admitted',
    ...overrides,
  };
}

export function makeGateLog(overrides: Partial<GateLog> = {}): GateLog {
  const now = new Date();
  return {
    id: uuidv7(now.getTime()),
    schemaVersion: 1,
    deviceId: 'dev-1',
    gateId: 'gate-1',
    shiftId: '0190f5a0-1111-7000-8000-000000000001',
    guard: '王师傅',
    occurredAt: '2020-02-03T08:15:00.000+08:00',
    ...makeEntry(),
    ...overrides,
  } as GateLog;
}

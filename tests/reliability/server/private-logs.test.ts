/**
 * The server's log holds no ID numbers, phones or names (DESIGN.md §7), on each store, at the
 * most verbose level: the logger stream is captured while records full of known personal data
 * are synced, resent, refused, exported and filtered, and along every error path — malformed
 * JSON, invalid records, bodies too large, wrong tokens, malformed URLs and a real 500 — then
 * searched for every one of those strings. (The crash scenarios check a real process's output.)
 */
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { residentIdCheckChar } from '../../../src/shared';
import { ADMIN_TOKEN, bearer, startInProcess, type InProcessServer } from '../support/app-harness';
import { expectNoPii } from '../support/pii';
import {
  createScratchDb,
  describeEachStore,
  storeTargets,
  type ScratchDb,
} from '../support/stores';

const ID_17 = '31011519870304123';
const PEOPLE = [
  {
    name: '欧阳秀英',
    idNumber: ID_17 + residentIdCheckChar(ID_17),
    phone: '13912345678',
    address: '7号楼 1203室',
  },
  {
    name: 'Zhang Weiming',
    idNumber: 'E12345678',
    phone: '+85291234567',
    address: 'Flat 9B, 18 Gate Rd',
  },
];
const GUARD = '司马守门';
const NOTE = '家属电话 13387654321，已通知居委';
const SECRETS = [
  ...PEOPLE.flatMap((p) => [p.name, p.idNumber, p.phone, p.address]),
  GUARD,
  NOTE,
  '13387654321',
  ADMIN_TOKEN,
];

const targets = await storeTargets('reliability private logs');

describeEachStore('the server log holds no personal data', targets, (target) => {
  let db: ScratchDb;
  let server: InProcessServer;
  const lines: string[] = [];
  const logger = { level: 'trace', stream: { write: (line: string) => void lines.push(line) } };

  beforeAll(async () => {
    db = await createScratchDb(target, 'logs');
    server = await startInProcess(db, { logger });
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  it('while records with names, ID numbers and phones are synced, exported and refused', async () => {
    const phone = await server.enroll(undefined, `${GUARD}的手机`);
    const records = PEOPLE.map((p, i) =>
      phone.record({
        guard: GUARD,
        note: NOTE,
        person: {
          category: 'visitor',
          name: p.name,
          idType: i === 0 ? 'cn_resident_id' : 'passport',
          idNumber: p.idNumber,
          phone: p.phone,
          address: p.address,
        },
      }),
    );
    const first = await server.sync(phone, records);
    expect(first.accepted).toHaveLength(2);
    expect((await server.sync(phone, records)).duplicates).toHaveLength(2);
    // A changed resend (conflict) and an invalid record (refused with its reason).
    const changed = { ...records[0]!, note: `${NOTE} 改` };
    const invalid = phone.record({
      person: { name: PEOPLE[0]!.name, phone: `${PEOPLE[0]!.phone}99` },
    });
    const mixed = await server.sync(phone, [changed, invalid]);
    expect(mixed.rejected.map((r) => r.code).sort()).toEqual(['conflict', 'invalid']);

    const admin = (url: string) => server.admin({ method: 'GET', url });
    expect((await admin(`/api/v1/logs?gateId=${server.gate.id}&flag=fever`)).statusCode).toBe(200);
    const csv = await admin(`/api/v1/logs.csv?gateId=${server.gate.id}&q=${PEOPLE[0]!.phone}`);
    expect(csv.body).toContain(PEOPLE[0]!.idNumber);
    expect((await admin('/api/v1/devices')).body).toContain(GUARD);

    const close = await server.app.inject({
      method: 'POST',
      url: `/api/v1/shifts/${records[0]!.shiftId}/close`,
      headers: bearer(phone.token),
      payload: { recordCount: 1, digest: 'a'.repeat(64) },
    });
    expect(close.statusCode).toBe(200);

    expect(lines.some((l) => l.includes('/api/v1/sync'))).toBe(true);
    expectNoPii(lines.join(''), [...SECRETS, phone.token]);
  });

  it('along every error path, a real 500 included', async () => {
    const phone = await server.enroll();
    const pii = JSON.stringify({
      name: PEOPLE[0]!.name,
      idNumber: PEOPLE[0]!.idNumber,
      phone: PEOPLE[0]!.phone,
    });
    const requests: InjectOptions[] = [
      // Malformed JSON that carries personal data.
      {
        method: 'POST',
        url: '/api/v1/sync',
        headers: { ...bearer(phone.token), 'content-type': 'application/json' },
        payload: `{"records":[${pii}`,
      },
      // Not a sync envelope at all: zod's complaint must not quote it into the log.
      {
        method: 'POST',
        url: '/api/v1/sync',
        headers: bearer(phone.token),
        payload: { records: [JSON.parse(pii)], device: PEOPLE[0] },
      },
      {
        method: 'POST',
        url: '/api/v1/sync',
        headers: bearer(phone.token),
        payload: { records: [`${PEOPLE[1]!.name} ${'x'.repeat(1_100_000)}`] },
      },
      {
        method: 'POST',
        url: '/api/v1/sync',
        headers: bearer('wrong-token'),
        payload: { records: [JSON.parse(pii)] },
      },
      {
        method: 'POST',
        url: '/api/v1/enroll',
        payload: { code: PEOPLE[0]!.phone, deviceName: PEOPLE[0]!.name },
      },
      {
        method: 'POST',
        url: '/api/v1/gates',
        headers: bearer(ADMIN_TOKEN),
        payload: { name: '', rules: { dutyPhone: PEOPLE[1]!.phone, x: PEOPLE[1]!.name } },
      },
      {
        method: 'GET',
        url: `/api/v1/logs?from=${encodeURIComponent(PEOPLE[1]!.name)}`,
        headers: bearer(ADMIN_TOKEN),
      },
      {
        method: 'GET',
        url: `/api/v1/logs?cursor=${Buffer.from(pii).toString('base64url')}`,
        headers: bearer(ADMIN_TOKEN),
      },
      {
        method: 'GET',
        url: `/api/v1/logs.csv?gateId=${PEOPLE[0]!.idNumber}`,
        headers: bearer(ADMIN_TOKEN),
      },
      {
        method: 'POST',
        url: '/api/v1/sync',
        headers: { ...bearer(phone.token), 'content-type': 'text/plain' },
        payload: pii,
      },
      { method: 'GET', url: `/api/v1/devices/${PEOPLE[0]!.phone}%E0%A4%A` },
    ];
    for (const r of requests) {
      const res = await server.app.inject(r);
      expect(res.statusCode, `${r.method} ${String(r.url).slice(0, 60)}`).toBeLessThan(500);
    }

    // A real fault while a batch full of personal data is being stored.
    const broken = await startInProcess(db, { logger });
    const brokenPhone = await broken.enroll();
    await broken.store.close();
    const before = lines.length;
    const res = await broken.syncRaw(brokenPhone, [
      brokenPhone.record({
        guard: GUARD,
        note: NOTE,
        person: { ...PEOPLE[0]!, idType: 'cn_resident_id', category: 'resident' },
      }),
    ]);
    expect(res.statusCode).toBe(500);
    await broken.app.close();
    const errorLines = lines.slice(before).filter((l) => JSON.parse(l).level >= 50);
    expect(errorLines.length, 'the fault is logged').toBeGreaterThan(0);

    expectNoPii(lines.join(''), [...SECRETS, phone.token, brokenPhone.token]);
  });
});

import { createHash, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { shiftDigestInput, type LogsResponse, type ShiftCloseResponse } from '../../src/shared';
import type { Store } from '../../src/server/store/types';
import { bearer, startServer, startServerOn, type Phone, type TestServer } from './harness';
import { pgTarget, warnSkipped } from './support/pg';

const target = await pgTarget();
warnSkipped(target, 'the PostgreSQL half of tests/server/shifts.test.ts');

let server: TestServer;
let phone: Phone;

beforeEach(async () => {
  server = await startServer();
  phone = await server.enroll();
});
afterEach(() => server.close());

const digestOf = (ids: string[]) =>
  createHash('sha256').update(shiftDigestInput(ids)).digest('hex');

const close = (p: Phone, shiftId: string, body: unknown, on: TestServer<Store> = server) =>
  on.app.inject({
    method: 'POST',
    url: `/api/v1/shifts/${shiftId}/close`,
    headers: bearer(p.token),
    payload: body as object,
  });

/** A shift of 6 records: 4 in, 2 out; 4 residents; one fever, two returnees, one refused. */
function shiftRecords(shiftId: string) {
  return [
    phone.record({ shiftId }),
    phone.record({ shiftId, person: { category: 'visitor' } }),
    phone.record({ shiftId, temperatureC: 37.8, decision: 'referred' }),
    phone.record({
      shiftId,
      returnee: { status: 'overseas', origin: 'Japan', arrivedOn: '2020-02-01' },
      person: { category: 'courier' },
    }),
    phone.record({ shiftId, direction: 'out', temperatureC: undefined }),
    phone.record({
      shiftId,
      direction: 'out',
      decision: 'refused',
      returnee: { status: 'domestic', origin: '湖北', arrivedOn: '2020-02-01' },
    }),
  ];
}

describe('POST /api/v1/shifts/:id/close', () => {
  it('is complete when count and digest match, with a receipt of what the server holds', async () => {
    const shiftId = randomUUID();
    const records = shiftRecords(shiftId);
    await server.sync(phone, [...records, phone.record()]);
    const ids = records.map((r) => r.id);

    const res = await close(phone, shiftId, {
      recordCount: 6,
      digest: digestOf([...ids].reverse()),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<ShiftCloseResponse>();
    expect(body).toEqual({
      received: 6,
      complete: true,
      receipt: {
        shiftId,
        gateId: server.gate.id,
        recordCount: 6,
        byDirection: { in: 4, out: 2 },
        byCategory: { resident: 4, visitor: 1, courier: 1, staff: 0, other: 0 },
        fever: 1,
        returnees: 2,
        refused: 1,
        closedAt: expect.any(String),
      },
    });
    const stored = server.store.db.prepare('SELECT * FROM shift_closes').all();
    expect(stored).toEqual([
      expect.objectContaining({ shift_id: shiftId, device_id: phone.deviceId, record_count: 6 }),
    ]);
  });

  it('is incomplete when the server holds fewer records than the phone counts', async () => {
    const shiftId = randomUUID();
    const records = shiftRecords(shiftId);
    await server.sync(phone, records.slice(0, 4));
    const res = await close(phone, shiftId, {
      recordCount: 6,
      digest: digestOf(records.map((r) => r.id)),
    });
    expect(res.json()).toEqual({ received: 4, complete: false, receipt: null });
    expect(server.store.db.prepare('SELECT count(*) FROM shift_closes').pluck().get()).toBe(0);

    await server.sync(phone, records.slice(4));
    const again = await close(phone, shiftId, {
      recordCount: 6,
      digest: digestOf(records.map((r) => r.id)),
    });
    expect(again.json().complete).toBe(true);
  });

  it('is incomplete when the count matches but the ids differ', async () => {
    const shiftId = randomUUID();
    const records = shiftRecords(shiftId);
    await server.sync(phone, records);
    const otherIds = [...records.slice(1).map((r) => r.id), phone.record().id];
    const res = await close(phone, shiftId, { recordCount: 6, digest: digestOf(otherIds) });
    expect(res.json()).toEqual({ received: 6, complete: false, receipt: null });
  });

  it('counts the shift at this gate, also records sent under an earlier enrollment, never another gate', async () => {
    const shiftId = randomUUID();
    const before = phone.record({ shiftId });
    await server.sync(phone, [before]);
    const earlier = phone;
    phone = await server.enroll(server.gate.id, 'Phone', earlier.token, earlier.deviceId);
    const otherGate = await server.admin({
      method: 'POST',
      url: '/api/v1/gates',
      payload: { name: 'North gate' },
    });
    const stranger = await server.enroll(otherGate.json().id);
    await server.sync(stranger, [stranger.record({ shiftId })]);
    const mine = phone.record({ shiftId });
    await server.sync(phone, [mine]);
    const res = await close(phone, shiftId, {
      recordCount: 2,
      digest: digestOf([before.id, mine.id]),
    });
    expect(res.json()).toMatchObject({ received: 2, complete: true });
  });

  it('a correction replaces the record it amends in the counts; both are received', async () => {
    const shiftId = randomUUID();
    const original = phone.record({ shiftId, temperatureC: 37.9, decision: 'referred' });
    const correction = phone.record({
      shiftId,
      temperatureC: 36.9,
      decision: 'admitted',
      amends: original.id,
    });
    await server.sync(phone, [original, correction]);
    const res = await close(phone, shiftId, {
      recordCount: 2,
      digest: digestOf([original.id, correction.id]),
    });
    expect(res.json()).toMatchObject({
      received: 2,
      complete: true,
      receipt: { recordCount: 2, fever: 0, byDirection: { in: 1, out: 0 } },
    });
  });

  it('counts the newest of two corrections of one record, and a record naming itself', async () => {
    const shiftId = randomUUID();
    const original = phone.record({ shiftId, temperatureC: 37.9, decision: 'referred' });
    const first = phone.record({
      shiftId,
      temperatureC: 38.5,
      decision: 'referred',
      amends: original.id,
    });
    const second = phone.record({
      shiftId,
      direction: 'out',
      temperatureC: undefined,
      amends: original.id,
    });
    const self = phone.record({ shiftId });
    const selfAmending = { ...self, amends: self.id };
    const ids = [original.id, first.id, second.id, self.id];
    await server.sync(phone, [original, first, second, selfAmending]);
    const res = await close(phone, shiftId, { recordCount: 4, digest: digestOf(ids) });
    expect(res.json()).toMatchObject({
      complete: true,
      receipt: { recordCount: 4, fever: 0, byDirection: { in: 1, out: 1 } },
    });
  });

  it('counts a correction of an earlier shift’s record there, not as a passage of this shift', async () => {
    const yesterday = randomUUID();
    const shiftId = randomUUID();
    const original = phone.record({ shiftId: yesterday, temperatureC: 37.9, decision: 'referred' });
    const passage = phone.record({ shiftId, direction: 'out', temperatureC: undefined });
    const fix = phone.record({ shiftId, temperatureC: 36.9, amends: original.id });
    const fixAgain = phone.record({ shiftId, temperatureC: 36.8, amends: fix.id });
    await server.sync(phone, [original, passage, fix, fixAgain]);
    const ids = [passage.id, fix.id, fixAgain.id];
    const res = await close(phone, shiftId, { recordCount: 3, digest: digestOf(ids) });
    expect(res.json()).toMatchObject({
      complete: true,
      receipt: { recordCount: 3, fever: 0, byDirection: { in: 0, out: 1 } },
    });
  });

  it('an empty shift closes complete with zero counts', async () => {
    const shiftId = randomUUID();
    const res = await close(phone, shiftId, { recordCount: 0, digest: digestOf([]) });
    expect(res.json()).toMatchObject({
      received: 0,
      complete: true,
      receipt: { recordCount: 0, fever: 0 },
    });
  });

  it('rejects a bad shift id or body with 400', async () => {
    expect(
      (await close(phone, 'not-a-uuid', { recordCount: 0, digest: digestOf([]) })).statusCode,
    ).toBe(400);
    expect((await close(phone, randomUUID(), { recordCount: -1, digest: 'x' })).statusCode).toBe(
      400,
    );
  });
});

// Defined only when PostgreSQL is wanted but missing, so a healthy run counts no extra skip.
if (target.kind === 'fail') {
  const { reason } = target;
  describe('PostgreSQL store', () => {
    it('is configured and reachable', () => {
      throw new Error(reason);
    });
  });
}

for (const { name, skip } of [
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: target.kind !== 'ready' },
] as const) {
  describe.skipIf(skip)(
    `a shift's receipt after its entries were corrected later [${name}]`,
    () => {
      let on: TestServer<Store>;
      beforeEach(async () => {
        on = await startServerOn(name, target.kind === 'ready' ? target.url : undefined);
      });
      afterEach(() => on.close());

      it('keeps what another phone of the gate sends with a shift’s id, and refuses it the close', async () => {
        const owner = await on.enroll();
        const other = await on.enroll(on.gate.id, 'Another phone');
        const shiftId = randomUUID();
        const own = [owner.record({ shiftId }), owner.record({ shiftId, direction: 'out' })];
        // One of them a correction of the owner's entry: no later version of the owner's shift.
        const foreign = [
          other.record({ shiftId, temperatureC: 38.1, decision: 'referred' }),
          other.record({ shiftId: randomUUID(), direction: 'out', amends: own[0]!.id }),
        ];
        await on.sync(owner, own);
        expect((await on.sync(other, foreign)).accepted).toEqual(foreign.map((r) => r.id));

        const refused = await close(
          other,
          shiftId,
          { recordCount: 1, digest: digestOf([foreign[0]!.id]) },
          on,
        );
        expect(refused.statusCode).toBe(409);
        expect(refused.json()).toEqual({
          error: 'shift_of_another_phone',
          message: 'This shift was begun on another phone of the gate: only that phone can end it.',
        });
        const ids = own.map((r) => r.id);
        const closed = await close(owner, shiftId, { recordCount: 2, digest: digestOf(ids) }, on);
        expect(closed.json<ShiftCloseResponse>()).toMatchObject({
          received: 2,
          complete: true,
          receipt: { recordCount: 2, fever: 0, byDirection: { in: 1, out: 1 } },
        });
        // Nothing the other phone sent was lost: the committee's log lists it.
        const log = await on.admin({ method: 'GET', url: '/api/v1/logs?limit=10' });
        expect(
          log
            .json<LogsResponse>()
            .items.map((i) => i.id)
            .sort(),
        ).toEqual([...ids, ...foreign.map((r) => r.id)].sort());
        // The other phone's own shifts close as before.
        const its = randomUUID();
        const mine = other.record({ shiftId: its });
        await on.sync(other, [mine]);
        const itsClose = await close(
          other,
          its,
          { recordCount: 1, digest: digestOf([mine.id]) },
          on,
        );
        expect(itsClose.json()).toMatchObject({ complete: true });
      });

      it('counts each entry as last corrected, in later shifts too, as the phone counts it', async () => {
        const guard = await on.enroll();
        const [night, day, evening] = [randomUUID(), randomUUID(), randomUUID()];
        const fever = guard.record({ shiftId: night, temperatureC: 37.9, decision: 'referred' });
        const out = guard.record({ shiftId: night, direction: 'out', temperatureC: undefined });
        await on.sync(guard, [fever, out]);
        const closeNight = async () => {
          const body = { recordCount: 2, digest: digestOf([fever.id, out.id]) };
          const res = await close(guard, night, body, on);
          expect(res.statusCode, res.body).toBe(200);
          return res.json<ShiftCloseResponse>().receipt;
        };
        expect(await closeNight()).toMatchObject({ fever: 1, byDirection: { in: 1, out: 1 } });

        // The next shift finds the thermometer misread: 36.9, a visitor, admitted.
        const fix = guard.record({
          shiftId: day,
          temperatureC: 36.9,
          decision: 'admitted',
          person: { category: 'visitor' },
          amends: fever.id,
        });
        await on.sync(guard, [fix]);
        expect(await closeNight()).toMatchObject({
          recordCount: 2,
          fever: 0,
          byDirection: { in: 1, out: 1 },
          byCategory: { resident: 1, visitor: 1 },
        });
        // And the one after it finds the person was going out: the newest version counts.
        const fixAgain = guard.record({
          shiftId: evening,
          direction: 'out',
          temperatureC: undefined,
          amends: fix.id,
        });
        await on.sync(guard, [fixAgain]);
        expect(await closeNight()).toMatchObject({
          recordCount: 2,
          fever: 0,
          byDirection: { in: 0, out: 2 },
          byCategory: { resident: 2, visitor: 0 },
        });
        // The corrections are no passages of the shifts they were made in.
        for (const [shiftId, r] of [
          [day, fix],
          [evening, fixAgain],
        ] as const) {
          const res = await close(guard, shiftId, { recordCount: 1, digest: digestOf([r.id]) }, on);
          expect(res.json<ShiftCloseResponse>().receipt).toMatchObject({
            recordCount: 1,
            fever: 0,
            byDirection: { in: 0, out: 0 },
          });
        }
      });
    },
  );
}

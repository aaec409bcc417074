import { randomUUID } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/server/config';
import { createGate } from '../../src/server/gates';
import { BUSY_RETRY_AFTER_S } from '../../src/server/routes/sync';
import { residentId, uuidv7At } from './factories';
import { startServer, type Phone, type TestServer } from './harness';

let server: TestServer;
let phone: Phone;

beforeEach(async () => {
  server = await startServer();
  phone = await server.enroll();
});
afterEach(() => server.close());

/** POST /api/v1/sync as `token`, the body as given (a string or Buffer is sent as JSON). */
const postSync = (
  token: string,
  payload: string | Buffer | object,
  headers: Record<string, string> = {},
) =>
  server.app.inject({
    method: 'POST',
    url: '/api/v1/sync',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
    payload,
  });

const countRecords = () =>
  server.store.db.prepare('SELECT count(*) FROM records').pluck().get() as number;

describe('POST /api/v1/sync', () => {
  it('stores a batch once: the same batch again comes back as duplicates', async () => {
    const records = Array.from({ length: 20 }, () => phone.record());
    const ids = records.map((r) => r.id);

    const first = await server.sync(phone, records);
    expect(first.accepted).toEqual(ids);
    expect(first.duplicates).toEqual([]);
    expect(first.rejected).toEqual([]);

    const again = await server.sync(phone, records);
    expect(again.accepted).toEqual([]);
    expect(again.duplicates).toEqual(ids);
    expect(again.rejected).toEqual([]);
    expect(countRecords()).toBe(20);
  });

  describe('a batch sent again (its first record stored already, as when an answer was lost)', () => {
    it('is answered from what is stored: duplicates, even after the gate’s rules changed', async () => {
      // 37.2 °C admitted is fine under the default 37.3; then the committee lowers it to 37.0.
      const warm = phone.record({ temperatureC: 37.2, decision: 'admitted' });
      const records = [warm, phone.record(), phone.record()];
      expect((await server.sync(phone, records)).accepted).toHaveLength(3);
      const patch = await server.admin({
        method: 'PATCH',
        url: `/api/v1/gates/${phone.gateId}`,
        payload: { rules: { feverThresholdC: 37.0 } },
      });
      expect(patch.statusCode).toBe(200);
      // A record stored is the phone's no more to lose: it hears it is held, not that it is bad.
      const again = await server.sync(phone, records);
      expect(again).toMatchObject({ accepted: [], rejected: [] });
      expect(again.duplicates).toEqual(records.map((r) => r.id));
      const res = await server.sync(phone, [warm]);
      expect(res.duplicates).toEqual([warm.id]);
      expect(countRecords()).toBe(3);
    });

    it('answers its new, repeated, changed and foreign records as a first sending would', async () => {
      const northPhone = await server.enroll((await createGate(server.store, 'North gate')).id);
      const north = northPhone.record();
      await server.sync(northPhone, [north]);
      const [stored, kept] = [phone.record(), phone.record({ person: { name: '李四' } })];
      await server.sync(phone, [stored, kept]);

      const fresh = phone.record();
      const changed = { ...kept, person: { ...kept.person, name: '王五' } };
      const invalid = { ...stored, id: phone.record().id, temperatureC: 'hot' };
      const res = await server.sync(phone, [stored, fresh, stored, changed, north, invalid]);
      expect(res.accepted).toEqual([fresh.id]);
      expect(res.duplicates).toEqual([stored.id]);
      expect(res.rejected).toEqual([
        // The north gate's record, sent the same from this gate, is still not this gate's.
        { id: north.id, code: 'wrong_gate', message: expect.any(String) },
        { id: invalid.id, code: 'invalid', message: expect.stringContaining('temperatureC') },
        { id: kept.id, code: 'conflict', message: expect.stringContaining('already stored') },
      ]);
      const name = server.store.db.prepare('SELECT name FROM records WHERE id = ?').pluck();
      expect(name.get(kept.id)).toBe('李四');
      expect(countRecords()).toBe(4);
    });

    it('moves the phone’s last acknowledged record on, as a first sending would', async () => {
      // A phone enrolled again sends what its earlier enrollment stored, then more.
      const earlier = await server.enroll();
      const records = [earlier.record(), earlier.record()];
      await server.sync(earlier, records);
      const lastOf = async (deviceId: string) => {
        const list = await server.admin({ method: 'GET', url: '/api/v1/devices' });
        return list.json().devices.find((d: { id: string }) => d.id === deviceId).lastRecordId;
      };
      expect(await lastOf(phone.deviceId)).toBeNull();
      expect((await server.sync(phone, records)).duplicates).toEqual(records.map((r) => r.id));
      expect(await lastOf(phone.deviceId)).toBe(records[1]!.id);
    });
  });

  it('tells the store when other sync requests are waiting, so it may write on its own thread', async () => {
    const spy = vi.spyOn(server.store, 'insertRecords');
    await server.sync(phone, [phone.record()]);
    expect(spy.mock.calls.at(-1)?.[2]).toEqual({ othersWaiting: false, firstNotStored: true });
    const phones = [phone, await server.enroll(), await server.enroll()];
    const answers = await Promise.all(phones.map((p) => server.sync(p, [p.record(), p.record()])));
    expect(answers.flatMap((a) => a.accepted)).toHaveLength(6);
    expect(spy.mock.calls.slice(1).some((c) => c[2]?.othersWaiting === true)).toBe(true);
    // Every request is counted out once answered: alone again, the store writes in place.
    const last = phone.record();
    await server.sync(phone, [last]);
    expect(spy.mock.calls.at(-1)?.[2]).toEqual({ othersWaiting: false, firstNotStored: true });
    expect(countRecords()).toBe(8);
    // A batch that starts with a stored record: the route found it, the store looks on its own.
    await server.sync(phone, [last, phone.record()]);
    expect(spy.mock.calls.at(-1)?.[2]).toEqual({ othersWaiting: false, firstNotStored: false });
    expect(countRecords()).toBe(9);
  });

  it('answers with the batch id and the server time', async () => {
    const batchId = randomUUID();
    const res = await server.syncRaw(phone, [phone.record()], batchId);
    const body = res.json();
    expect(body.batchId).toBe(batchId);
    expect(Math.abs(Date.parse(body.serverTime) - Date.now())).toBeLessThan(5000);
  });

  it("answers with the server's UTC offset, for the phone to check its time zone by", async () => {
    const zone = process.env.TZ;
    const offsetIn = async (tz: string) => {
      process.env.TZ = tz; // Node reads it again when it changes
      const res = await server.syncRaw(phone, [phone.record()]);
      expect(res.statusCode).toBe(200);
      return res.json<{ utcOffsetMinutes?: number }>().utcOffsetMinutes;
    };
    try {
      expect(await offsetIn('Asia/Shanghai')).toBe(480);
      expect(await offsetIn('America/Caracas')).toBe(-240);
      expect(await offsetIn('Asia/Kathmandu')).toBe(345);
      // A server left in UTC (a container's default) said nothing of its zone: none is sent.
      expect(await offsetIn('UTC')).toBeUndefined();
      expect(await offsetIn('Etc/UTC')).toBeUndefined();
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  it('stores every field as a column and the fever flag with the gate threshold', async () => {
    const r = phone.record({
      temperatureC: 37.3,
      decision: 'referred',
      note: '送社区卫生中心',
      returnee: { status: 'overseas', origin: 'Japan', arrivedOn: '2020-02-10', registered: true },
    });
    await server.sync(phone, [r]);
    const row = server.store.db.prepare('SELECT * FROM records WHERE id = ?').get(r.id) as Record<
      string,
      unknown
    >;
    expect(row).toMatchObject({
      device_id: phone.deviceId,
      gate_id: phone.gateId,
      shift_id: r.shiftId,
      name: '王小明',
      id_number: r.person.idNumber,
      temperature_c: 37.3,
      is_fever: 1,
      returnee_status: 'overseas',
      returnee_origin: 'Japan',
      arrived_on: '2020-02-10',
      registered: 1,
      decision: 'referred',
      note: '送社区卫生中心',
    });
    expect(JSON.parse(row.json as string)).toEqual(r);
  });

  it('rejects the invalid records of a mixed batch with their reasons and stores the rest', async () => {
    const good = [phone.record(), phone.record()];
    const noTemperature = phone.record();
    delete noTemperature.temperatureC;
    const validId = residentId(7);
    const wrongCheckChar = validId.slice(0, 17) + (validId[17] === '1' ? '2' : '1');
    const badChecksum = phone.record({ person: { idNumber: wrongCheckChar } });
    const extraField = { ...phone.record(), colour: 'red' };
    const notARecord = 42;
    const feverAdmitted = phone.record({ temperatureC: 38.2, decision: 'admitted' });

    const res = await server.sync(phone, [
      good[0],
      noTemperature,
      badChecksum,
      extraField,
      notARecord,
      feverAdmitted,
      good[1],
    ]);
    expect(res.accepted).toEqual(good.map((r) => r!.id));
    expect(res.duplicates).toEqual([]);
    expect(res.rejected).toEqual([
      { id: noTemperature.id, code: 'invalid', message: 'temperatureC: required' },
      { id: badChecksum.id, code: 'invalid', message: 'person.idNumber: idChecksum' },
      { id: extraField.id, code: 'invalid', message: 'colour: unrecognized' },
      { id: '#4', code: 'invalid', message: 'invalid_type' },
      { id: feverAdmitted.id, code: 'invalid', message: 'decision: feverAdmitted' },
    ]);
    expect(countRecords()).toBe(2);
  });

  it('keeps the original when a known id comes with different content (conflict)', async () => {
    const original = phone.record({ person: { name: '李四' } });
    await server.sync(phone, [original]);
    const changed = { ...original, person: { ...original.person, name: '王五' } };
    const res = await server.sync(phone, [changed]);
    expect(res.accepted).toEqual([]);
    expect(res.duplicates).toEqual([]);
    expect(res.rejected).toEqual([
      { id: original.id, code: 'conflict', message: expect.stringContaining('already stored') },
    ]);
    const stored = server.store.db
      .prepare('SELECT name FROM records WHERE id = ?')
      .pluck()
      .get(original.id);
    expect(stored).toBe('李四');
  });

  it('treats content equal after normalisation as a duplicate (canonical compare)', async () => {
    const r = phone.record();
    await server.sync(phone, [r]);
    // The same record with its keys in another order and untrimmed text that the schema trims.
    const reversed = <T extends object>(o: T): T =>
      Object.fromEntries(Object.entries(o).reverse()) as T;
    const again = reversed({ ...r, guard: `  ${r.guard} `, person: reversed(r.person) });
    expect(JSON.stringify(again)).not.toBe(JSON.stringify(r));
    const res = await server.sync(phone, [again]);
    expect(res.duplicates).toEqual([r.id]);
  });

  it('answers an id repeated within one batch once: the same copies as one record, changed ones as one conflict', async () => {
    const r = phone.record();
    const twice = phone.record();
    const changed = { ...r, guard: '另一个人' };
    const res = await server.sync(phone, [r, twice, r, changed, twice]);
    expect(res.accepted).toEqual([twice.id]);
    expect(res.duplicates).toEqual([]);
    expect(res.rejected).toEqual([{ id: r.id, code: 'conflict', message: expect.any(String) }]);
    expect(countRecords()).toBe(1);

    // An invalid copy beside a valid one is a changed copy too: one answer, nothing stored.
    const s = phone.record();
    const again = await server.sync(phone, [{ ...s, temperatureC: 99 }, s]);
    expect(again.accepted).toEqual([]);
    expect(again.rejected).toEqual([{ id: s.id, code: 'conflict', message: expect.any(String) }]);
    expect(countRecords()).toBe(1);

    // A record without an id is named by its place in the batch as sent, repeats counted.
    const t = phone.record();
    const { id: _none, ...idless } = phone.record();
    const placed = await server.sync(phone, [t, t, idless]);
    expect(placed.accepted).toEqual([t.id]);
    expect(placed.rejected).toEqual([{ id: '#2', code: 'invalid', message: expect.any(String) }]);
  });

  it('refuses an id in upper case: the same UUID to zod, another key to the store', async () => {
    const r = phone.record();
    expect((await server.sync(phone, [r])).accepted).toEqual([r.id]);
    const upper = { ...r, id: r.id.toUpperCase() };
    const shift = { ...phone.record(), shiftId: r.shiftId.toUpperCase() };
    const res = await server.sync(phone, [upper, shift]);
    expect(res.accepted).toEqual([]);
    expect(res.rejected).toEqual([
      { id: upper.id, code: 'invalid', message: expect.stringMatching(/^id: /) },
      { id: shift.id, code: 'invalid', message: expect.stringMatching(/^shiftId: /) },
    ]);
    expect(countRecords()).toBe(1);
  });

  it('rejects records of another gate, and records naming a phone of another gate, a revoked one or none', async () => {
    const otherGate = await createGate(server.store, 'North gate');
    const samePost = await server.enroll();
    const northPhone = await server.enroll(otherGate.id);
    const lostPhone = await server.enroll();
    const revokedAt = Date.now();
    await server.store.revokeDevice(lostPhone.deviceId, revokedAt);

    const foreignGate = phone.record({ gateId: otherGate.id });
    // Another phone of this gate (this phone enrolled again before earlier enrollments were
    // kept, say): its records of this gate are taken.
    const sameGatePhone = phone.record({ deviceId: samePost.deviceId });
    const otherGatePhone = phone.record({ deviceId: northPhone.deviceId });
    const unknownDevice = phone.record({ deviceId: 'no-such-phone' });
    // A phone of this gate the committee revoked: what was made in its name since comes only
    // through the phone enrolled again in its place, never from another (what it made before
    // is taken: this phone enrolled again before earlier enrollments were kept, say).
    const revokedPhone = phone.record({ deviceId: lostPhone.deviceId });
    const beforeRevoked = phone.record({
      deviceId: lostPhone.deviceId,
      id: uuidv7At(revokedAt - 60_000),
    });
    const mine = phone.record();
    const res = await server.sync(phone, [
      foreignGate,
      sameGatePhone,
      otherGatePhone,
      unknownDevice,
      revokedPhone,
      beforeRevoked,
      mine,
    ]);
    expect(res.accepted).toEqual([sameGatePhone.id, beforeRevoked.id, mine.id]);
    const notOfGate = { code: 'invalid', message: 'deviceId: not a phone of this gate' };
    expect(res.rejected).toEqual([
      { id: foreignGate.id, code: 'wrong_gate', message: expect.any(String) },
      { id: otherGatePhone.id, ...notOfGate },
      { id: unknownDevice.id, ...notOfGate },
      { id: revokedPhone.id, ...notOfGate },
    ]);
  });

  it('does not let one phone overwrite the record of another phone', async () => {
    const otherPhone = await server.enroll();
    const r = otherPhone.record();
    await server.sync(otherPhone, [r]);
    const res = await server.sync(phone, [{ ...r, deviceId: phone.deviceId }]);
    expect(res.rejected).toEqual([{ id: r.id, code: 'conflict', message: expect.any(String) }]);
  });

  it('stores each record once when a phone sends overlapping batches at the same time', async () => {
    // A phone whose answers are slow sends again before they come: the batches overlap.
    const shared = phone.record();
    const clash = phone.record();
    const batches = [0, 1, 2].map((i) => [
      ...Array.from({ length: 30 }, () => phone.record()),
      shared,
      { ...clash, guard: `guard ${i}` },
    ]);
    const answers = await Promise.all(batches.map((b) => server.sync(phone, b)));

    const acked = answers.flatMap((a) => [...a.accepted, ...a.duplicates]);
    expect(answers.flatMap((a) => a.accepted).filter((id) => id === shared.id)).toHaveLength(1);
    expect(acked.filter((id) => id === shared.id)).toHaveLength(3);
    // One version of `clash` is kept; the other two batches hear it conflicts.
    expect(answers.flatMap((a) => a.accepted).filter((id) => id === clash.id)).toHaveLength(1);
    expect(answers.flatMap((a) => a.rejected)).toEqual([
      { id: clash.id, code: 'conflict', message: expect.any(String) },
      { id: clash.id, code: 'conflict', message: expect.any(String) },
    ]);
    for (const [i, a] of answers.entries()) {
      const own = batches[i]!.slice(0, 30).map((r) => r.id);
      expect(a.accepted.filter((id) => own.includes(id))).toEqual(own);
    }
    expect(countRecords()).toBe(3 * 30 + 2);
  });

  it('judges a record by the highest threshold its gate has had, and flags it by the one of now', async () => {
    // The committee lowers the threshold to 37.0 while this phone is offline: it still judges
    // by 37.3, the rules it last heard of, and admits 37.2 °C.
    const patch = await server.admin({
      method: 'PATCH',
      url: `/api/v1/gates/${phone.gateId}`,
      payload: { rules: { feverThresholdC: 37.0 } },
    });
    expect(patch.statusCode).toBe(200);
    const offline = phone.record({ temperatureC: 37.2, decision: 'admitted' });
    // A fever under every threshold the gate has had is still refused.
    const fever = phone.record({ temperatureC: 37.3, decision: 'admitted' });
    const res = await server.sync(phone, [offline, fever]);
    expect(res.accepted).toEqual([offline.id]);
    expect(res.rejected).toEqual([
      { id: fever.id, code: 'invalid', message: 'decision: feverAdmitted' },
    ]);
    // The committee sees it among the fevers, admitted: what happened at the gate.
    const row = server.store.db
      .prepare('SELECT is_fever, decision FROM records WHERE id = ?')
      .get(offline.id);
    expect(row).toEqual({ is_fever: 1, decision: 'admitted' });
    // Raised again later, the highest is the new one.
    await server.admin({
      method: 'PATCH',
      url: `/api/v1/gates/${phone.gateId}`,
      payload: { rules: { feverThresholdC: 37.5 } },
    });
    const warm = phone.record({ temperatureC: 37.4, decision: 'admitted' });
    expect((await server.sync(phone, [warm])).accepted).toEqual([warm.id]);
  });

  it('uses the gate threshold for validation and the fever flag', async () => {
    const warm = await server.admin({
      method: 'POST',
      url: '/api/v1/gates',
      payload: { name: 'Strict gate', rules: { feverThresholdC: 37.0 } },
    });
    const strictPhone = await server.enroll(warm.json().id);
    const admitted = strictPhone.record({ temperatureC: 37.1, decision: 'admitted' });
    const referred = strictPhone.record({ temperatureC: 37.1, decision: 'referred' });
    const res = await server.sync(strictPhone, [admitted, referred]);
    expect(res.rejected).toEqual([
      { id: admitted.id, code: 'invalid', message: 'decision: feverAdmitted' },
    ]);
    const flag = server.store.db
      .prepare('SELECT is_fever FROM records WHERE id = ?')
      .pluck()
      .get(referred.id);
    expect(flag).toBe(1);
  });

  it('stores more records than one INSERT chunk holds, all in one call', async () => {
    const records = Array.from({ length: 500 }, () => phone.record());
    const res = await server.sync(phone, records);
    expect(res.accepted).toHaveLength(500);
    expect(countRecords()).toBe(500);
  });

  it('records what the phone reported about itself', async () => {
    const r = phone.record();
    const res = await postSync(phone.token, {
      batchId: randomUUID(),
      device: {
        appVersion: '1.2.3',
        pending: 7,
        persisted: true,
        usageBytes: 1000,
        quotaBytes: 5000,
      },
      records: [r],
    });
    expect(res.statusCode).toBe(200);
    const list = await server.admin({ method: 'GET', url: '/api/v1/devices' });
    const me = list.json().devices.find((d: { id: string }) => d.id === phone.deviceId);
    expect(me).toMatchObject({
      lastRecordId: r.id,
      revoked: false,
      status: {
        appVersion: '1.2.3',
        pending: 7,
        persisted: true,
        usageBytes: 1000,
        quotaBytes: 5000,
      },
    });
    expect(me.lastSyncAt).toEqual(expect.any(String));
  });

  describe('too many batches at once', () => {
    it('turns the ones past the limit away with 503 and Retry-After, before reading them, and takes them when sent again', async () => {
      await server.close();
      server = await startServer({ syncMaxInFlight: 2 });
      const phones = [await server.enroll(), await server.enroll(), await server.enroll()];
      // The store holds the first two batches until let go: both are in flight.
      let letGo!: () => void;
      const held = new Promise<void>((ok) => (letGo = ok));
      const insert = server.store.insertRecords.bind(server.store);
      const spy = vi.spyOn(server.store, 'insertRecords').mockImplementation(async (...args) => {
        await held;
        return insert(...args);
      });
      const first = phones.slice(0, 2).map((p) => server.sync(p, [p.record()]));
      await vi.waitFor(() => expect(spy).toHaveBeenCalledTimes(2));

      const third = phones[2]!;
      const record = third.record();
      const busy = await server.syncRaw(third, [record]);
      expect(busy.statusCode).toBe(503);
      expect(busy.headers['retry-after']).toBe(String(BUSY_RETRY_AFTER_S));
      expect(busy.json()).toEqual({
        error: 'busy',
        message: expect.stringMatching(/many batches/),
      });
      expect(spy).toHaveBeenCalledTimes(2);
      // Its body is not even parsed: not JSON, still 503.
      const unread = await postSync(third.token, '{not json');
      expect(unread.statusCode).toBe(503);

      letGo();
      for (const answer of await Promise.all(first)) expect(answer.accepted).toHaveLength(1);
      // Counted out once answered: the batch sent again is taken.
      expect((await server.sync(third, [record])).accepted).toEqual([record.id]);
      expect(countRecords()).toBe(3);
    });

    it('gives no place to a request without a good token, nor holds one for a body trickled in', async () => {
      await server.close();
      server = await startServer({ syncMaxInFlight: 1, syncBodyTimeoutMs: 500 });
      const address = await server.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = new URL(address);
      const sockets: Socket[] = [];
      // The start of a large body, then nothing: the answer (or the close) is what comes back.
      const trickle = (authorization?: string) =>
        new Promise<string>((resolve) => {
          const socket = connect(Number(port), '127.0.0.1');
          sockets.push(socket);
          let answer = '';
          socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
          socket.on('close', () => resolve(answer));
          socket.on('error', () => undefined);
          socket.write(
            'POST /api/v1/sync HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
              (authorization ? `Authorization: ${authorization}\r\n` : '') +
              'Content-Length: 100000\r\n\r\n{',
          );
        });
      try {
        // Without a token, or with a wrong one: 401 at once, before any body.
        const none = trickle();
        const wrong = trickle('Bearer not-a-token');
        await vi.waitFor(() => expect(sockets).toHaveLength(2));
        const fresh = await server.enroll();
        // Those two hold no place: the one place is this phone's.
        expect((await server.sync(fresh, [fresh.record()])).accepted).toHaveLength(1);
        for (const s of sockets) s.end();
        expect(await none).toMatch(/^HTTP\/1\.1 401/);
        expect(await wrong).toMatch(/^HTTP\/1\.1 401/);

        // A phone's own body that stops coming is cut off after its time, unanswered (the phone
        // sends again), and its place is free again.
        const stalled = trickle(`Bearer ${fresh.token}`);
        expect(await stalled).toBe('');
        const after = fresh.record();
        await vi.waitFor(async () =>
          expect((await server.syncRaw(fresh, [after])).statusCode).toBe(200),
        );
      } finally {
        for (const s of sockets) s.destroy();
      }
    });

    it('takes GATELOG_SYNC_MAX_IN_FLIGHT from the environment, 64 when unset', () => {
      expect(loadConfig({}).syncMaxInFlight).toBe(64);
      expect(loadConfig({ GATELOG_SYNC_MAX_IN_FLIGHT: '200' }).syncMaxInFlight).toBe(200);
      expect(() => loadConfig({ GATELOG_SYNC_MAX_IN_FLIGHT: '0' })).toThrow(
        /GATELOG_SYNC_MAX_IN_FLIGHT/,
      );
    });
  });

  describe('a gzip-compressed body (Content-Encoding: gzip), as the app sends a large one', () => {
    const gzipped = (body: unknown, headers: Record<string, string> = {}) =>
      postSync(phone.token, Buffer.isBuffer(body) ? body : gzipSync(JSON.stringify(body)), {
        'content-encoding': 'gzip',
        ...headers,
      });
    const envelope = (records: unknown[]) => ({
      batchId: randomUUID(),
      device: { appVersion: 'test', pending: records.length },
      records,
    });

    it('is stored as the same batch sent plain would be, once', async () => {
      const records = Array.from({ length: 50 }, () => phone.record({ note: '体温复测正常' }));
      const res = await gzipped(envelope(records));
      expect(res.statusCode).toBe(200);
      expect(res.json().accepted).toEqual(records.map((r) => r.id));
      const row = server.store.db
        .prepare('SELECT json FROM records WHERE id = ?')
        .pluck()
        .get(records[7]!.id) as string;
      expect(JSON.parse(row)).toEqual(records[7]);
      const plain = await server.sync(phone, records);
      expect(plain.duplicates).toHaveLength(50);
      expect(countRecords()).toBe(50);
    });

    it('is held to the body limit once decompressed: a small body that inflates past it → 413', async () => {
      const big = envelope(
        Array.from({ length: 400 }, () => phone.record({ note: 'x'.repeat(3000) })),
      );
      const body = gzipSync(JSON.stringify(big));
      expect(body.length).toBeLessThan(64 * 1024);
      const res = await gzipped(body);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: 'too_large', message: expect.any(String) });
      expect(countRecords()).toBe(0);
    });

    it('that is not gzip → 400 saying so; nothing is stored', async () => {
      const res = await gzipped(Buffer.from(JSON.stringify(envelope([phone.record()]))));
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: 'bad_request',
        message: expect.stringContaining('not valid gzip'),
      });
      expect(countRecords()).toBe(0);
    });

    it('cut short → 400; nothing is stored', async () => {
      const body = gzipSync(JSON.stringify(envelope([phone.record(), phone.record()])));
      const res = await gzipped(body.subarray(0, body.length - 20));
      expect(res.statusCode).toBe(400);
      expect(countRecords()).toBe(0);
    });
  });

  describe('bad input is 4xx JSON, never 5xx', () => {
    it('malformed JSON → 400', async () => {
      const res = await postSync(phone.token, '{"batchId": "x", records: [');
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({ error: 'bad_json', message: expect.any(String) });
    });

    it('a wrong envelope → 400 naming the field', async () => {
      const res = await postSync(phone.token, {
        batchId: 'not-a-uuid',
        device: { appVersion: 'x', pending: 0 },
        records: [],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual({
        error: 'invalid_request',
        message: expect.stringContaining('batchId'),
      });
    });

    it('more than 500 records → 400', async () => {
      const res = await server.syncRaw(
        phone,
        Array.from({ length: 501 }, () => ({})),
      );
      expect(res.statusCode).toBe(400);
    });

    it('a body over 1 MiB → 413 JSON', async () => {
      const big = Array.from({ length: 400 }, () => phone.record({ note: 'x'.repeat(3000) }));
      const res = await server.syncRaw(phone, big);
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({ error: 'too_large', message: expect.any(String) });
      expect(countRecords()).toBe(0);
    });

    it('a body just under 1 MiB is accepted (notes too long are rejected, not failed)', async () => {
      const big = Array.from({ length: 250 }, () => phone.record({ note: 'x'.repeat(3000) }));
      const res = await server.syncRaw(phone, big);
      expect(res.statusCode).toBe(200);
      expect(res.json().rejected).toHaveLength(250);
    });

    it('an encoding other than gzip → 415, naming it', async () => {
      const res = await postSync(phone.token, Buffer.from('not brotli'), {
        'content-encoding': 'br',
      });
      expect(res.statusCode).toBe(415);
      expect(res.json()).toEqual({
        error: 'unsupported_encoding',
        message: expect.stringContaining('br'),
      });
    });

    it('an unknown content type, or text → 415', async () => {
      const res = await postSync(phone.token, '<records/>', { 'content-type': 'application/xml' });
      expect(res.statusCode).toBe(415);
      expect(res.json().error).toBe('unsupported_media_type');
      const text = await postSync(phone.token, '{}', { 'content-type': 'text/plain' });
      expect(text.statusCode).toBe(415);
      expect(text.json().error).toBe('unsupported_media_type');
    });
  });
});

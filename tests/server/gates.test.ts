/**
 * PATCH /api/v1/gates/{id}: the committee renames a gate or changes its rules, and the phones
 * of that gate get the new rules on their next pull and config read; records that arrive after
 * are judged by them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  deviceChangesResponseSchema,
  deviceConfigSchema,
  gateSchema,
  type Gate,
} from '../../src/shared';
import { bearer, startServer, type Phone, type TestServer } from './harness';

let server: TestServer;
let phone: Phone;
beforeEach(async () => {
  server = await startServer();
  phone = await server.enroll();
});
afterEach(() => server.close());

const patch = (payload: unknown, id = server.gate.id) =>
  server.admin({ method: 'PATCH', url: `/api/v1/gates/${id}`, payload: payload as object });

const pull = async (since = '0') => {
  const res = await server.app.inject({
    method: 'GET',
    url: `/api/v1/device/changes?since=${since}`,
    headers: bearer(phone.token),
  });
  expect(res.statusCode, res.body).toBe(200);
  return deviceChangesResponseSchema.parse(res.json());
};

describe('PATCH /api/v1/gates/{id}', () => {
  it('changes the rules given, keeps the others, and answers the gate as it is now', async () => {
    const res = await patch({ rules: { feverThresholdC: 37.5, keyRegions: ['湖北', '温州'] } });
    expect(res.statusCode, res.body).toBe(200);
    const expected: Gate = {
      id: server.gate.id,
      name: server.gate.name,
      rules: {
        feverThresholdC: 37.5,
        quarantineDays: 14,
        keyRegions: ['湖北', '温州'],
        dutyPhone: '',
      },
    };
    expect(gateSchema.parse(res.json())).toStrictEqual(expected);

    const renamed = await patch({ name: '  北门 North  ', rules: { dutyPhone: '021-6000 1234' } });
    expect(renamed.json()).toStrictEqual({
      ...expected,
      name: '北门 North',
      rules: { ...expected.rules, dutyPhone: '021-6000 1234' },
    });
    const list = await server.admin({ method: 'GET', url: '/api/v1/gates' });
    expect(list.json().gates).toStrictEqual([renamed.json()]);
  });

  it('reaches the phone: its next pull (nothing else new) and its config carry the new rules', async () => {
    const before = await pull();
    expect(before.gate.rules.feverThresholdC).toBe(37.3);

    expect((await patch({ name: '东门', rules: { quarantineDays: 7 } })).statusCode).toBe(200);
    const next = await pull(before.cursor);
    expect(next.changes).toEqual([]);
    expect(next.cursor).toBe(before.cursor);
    expect(next.gate).toStrictEqual({
      id: server.gate.id,
      name: '东门',
      rules: { ...before.gate.rules, quarantineDays: 7 },
    });

    const config = await server.app.inject({
      method: 'GET',
      url: '/api/v1/device/config',
      headers: bearer(phone.token),
    });
    expect(deviceConfigSchema.parse(config.json()).gate).toStrictEqual(next.gate);
  });

  it('records that arrive afterwards are flagged with the new fever threshold', async () => {
    await patch({ rules: { feverThresholdC: 37.0 } });
    const warm = phone.record({ temperatureC: 37.1, decision: 'referred' });
    expect((await server.sync(phone, [warm])).accepted).toEqual([warm.id]);
    const flag = server.store.db
      .prepare('SELECT is_fever FROM records WHERE id = ?')
      .pluck()
      .get(warm.id);
    expect(flag).toBe(1);
  });

  it('refuses bad input with 400 and a message naming what is wrong, changing nothing', async () => {
    const cases: [unknown, string][] = [
      [{}, 'nothing to change: name or rules is required'],
      [{ rules: {} }, 'nothing to change: name or rules is required'],
      [{ name: '   ' }, 'name: too_small (at least 1 character)'],
      [{ rules: { feverThresholdC: 41 } }, 'rules.feverThresholdC: too_big (at most 40)'],
      [{ rules: { feverThresholdC: '37.5' } }, 'rules.feverThresholdC: invalid_type'],
      [{ rules: { quarantineDays: 3.5 } }, 'rules.quarantineDays: invalid_type'],
      [
        { rules: { keyRegions: ['湖北', ' '] } },
        'rules.keyRegions.1: too_small (at least 1 character)',
      ],
      [
        { rules: { dutyPhone: '1'.repeat(41) } },
        'rules.dutyPhone: too_big (at most 40 characters)',
      ],
      [
        { rules: { feverThresholdC: 37.25 } },
        'rules.feverThresholdC: invalid: one decimal at most',
      ],
      [{ rules: { dutyPhone: 'abc' } }, 'rules.dutyPhone: invalid: not a phone number'],
      [
        { rules: { keyRegions: ['x\u0000'] } },
        'rules.keyRegions.0: invalid: holds a control character or half a surrogate pair',
      ],
      [{ name: 'a\ud800' }, 'name: invalid: holds a control character or half a surrogate pair'],
      [{ rules: { fever: 37.5 } }, 'rules.fever: unrecognized'],
      [{ id: 'other', name: 'x' }, 'id: unrecognized'],
    ];
    for (const [payload, message] of cases) {
      const res = await patch(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json(), JSON.stringify(payload)).toEqual({ error: 'invalid_request', message });
    }
    const notJson = await server.admin({
      method: 'PATCH',
      url: `/api/v1/gates/${server.gate.id}`,
      headers: { 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(notJson.statusCode).toBe(400);
    expect((await server.store.getGate(server.gate.id))?.rules).toStrictEqual(server.gate.rules);
    expect((await server.store.getGate(server.gate.id))?.name).toBe(server.gate.name);
  });

  it('is 404 for an unknown gate', async () => {
    const res = await patch({ name: 'x' }, 'no-such-gate');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'gate_unknown', message: 'No such gate' });
  });

  it('is for the committee only: a phone is refused with 403, no token with 401', async () => {
    const url = `/api/v1/gates/${server.gate.id}`;
    const asPhone = await server.app.inject({
      method: 'PATCH',
      url,
      headers: bearer(phone.token),
      payload: { rules: { feverThresholdC: 39 } },
    });
    expect(asPhone.statusCode).toBe(403);
    const anonymous = await server.app.inject({ method: 'PATCH', url, payload: { name: 'x' } });
    expect(anonymous.statusCode).toBe(401);
    expect(await server.store.getGate(server.gate.id)).toStrictEqual(server.gate);
  });
});

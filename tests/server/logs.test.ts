import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GateLog, LogItem, LogsResponse } from '../../src/shared';
import { atOffsetOf } from '../../src/server/csv';
import { csvFileName } from '../../src/server/routes/logs';
import { shanghaiIso } from './factories';
import { startServer, type Phone, type TestServer } from './harness';

let server: TestServer;
let phone: Phone;
let northPhone: Phone;
let sent: GateLog[];

const TOTAL = 1050;
const HOUR_MS = 3_600_000;
const T0 = Date.parse('2020-02-10T00:00:00Z');

beforeAll(async () => {
  server = await startServer();
  phone = await server.enroll();
  const north = await server.admin({
    method: 'POST',
    url: '/api/v1/gates',
    payload: { name: 'North gate' },
  });
  northPhone = await server.enroll(north.json().id);

  // One record per hour, every 10th a fever, every 7th a returnee, every 25th refused.
  sent = Array.from({ length: TOTAL }, (_, i) =>
    phone.record({
      occurredAt: shanghaiIso(T0 + i * HOUR_MS),
      ...(i % 10 === 0 && { temperatureC: 38.0, decision: 'referred' as const }),
      ...(i % 25 === 0 && i % 10 !== 0 && { decision: 'refused' as const }),
      ...(i % 7 === 0 && {
        returnee: { status: 'domestic' as const, origin: '湖北武汉', arrivedOn: '2020-01-20' },
      }),
    }),
  );
  for (let i = 0; i < sent.length; i += 500) {
    const res = await server.sync(phone, sent.slice(i, i + 500));
    expect(res.accepted).toHaveLength(Math.min(500, sent.length - i));
  }
  await server.sync(northPhone, [northPhone.record()]);
}, 30_000);
afterAll(() => server.close());

async function page(query: string): Promise<LogsResponse> {
  const res = await server.admin({ method: 'GET', url: `/api/v1/logs${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<LogsResponse>();
}

async function all(query: string): Promise<{ items: LogItem[]; pages: number }> {
  const items: LogItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const sep = query ? '&' : '?';
    const p: LogsResponse = await page(`${query}${cursor ? `${sep}cursor=${cursor}` : ''}`);
    items.push(...p.items);
    cursor = p.nextCursor;
    pages++;
  } while (cursor);
  return { items, pages };
}

describe('GET /api/v1/logs', () => {
  it('pages through every record of a gate with no gaps and no repeats', async () => {
    const { items, pages } = await all(`?gateId=${server.gate.id}&limit=100`);
    expect(pages).toBe(11);
    expect(items.map((i) => i.id)).toEqual(sent.map((r) => r.id));
    expect(new Set(items.map((i) => i.id)).size).toBe(TOTAL);
  });

  it('orders by (receivedAt, id) across gates, default limit 100', async () => {
    const first = await page('');
    expect(first.items).toHaveLength(100);
    const { items } = await all('?limit=1000');
    expect(items).toHaveLength(TOTAL + 1);
    const keys = items.map((i) => `${i.receivedAt}|${i.id}`);
    expect([...keys].sort()).toEqual(keys);
  });

  it('rejects a limit over 1000 or not in digits, a forged cursor and a backwards range with 400', async () => {
    expect((await server.admin({ method: 'GET', url: '/api/v1/logs?limit=1001' })).statusCode).toBe(
      400,
    );
    expect((await server.admin({ method: 'GET', url: '/api/v1/logs?limit=0' })).statusCode).toBe(
      400,
    );
    const bad = await server.admin({ method: 'GET', url: '/api/v1/logs?cursor=bm9wZQ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('bad_cursor');
    // A count in plain digits only, and a range that runs forwards.
    for (const query of ['limit=0x10', 'limit=1e3', 'limit=%205%20', 'limit=', 'limit=2.5']) {
      const res = await server.admin({ method: 'GET', url: `/api/v1/logs?${query}` });
      expect(res.statusCode, query).toBe(400);
    }
    expect((await server.admin({ method: 'GET', url: '/api/v1/logs?limit=5' })).statusCode).toBe(
      200,
    );
    const backwards = await server.admin({
      method: 'GET',
      url: `/api/v1/logs/summary?from=${encodeURIComponent('2020-02-02T00:00:00Z')}&to=${encodeURIComponent('2020-02-01T00:00:00Z')}`,
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().message).toBe('from: after to');
  });

  it('shows records GateLog-shaped with receivedAt, ID numbers masked', async () => {
    const [item] = (await page(`?gateId=${server.gate.id}&limit=1`)).items;
    const original = sent[0]!;
    const idNumber = original.person.idNumber!;
    expect(item).toEqual({
      ...original,
      person: {
        ...original.person,
        idNumber: `${idNumber.slice(0, 3)}***********${idNumber.slice(-4)}`,
      },
      receivedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      // sent[0] is a fever (every 10th from the first).
      isFever: true,
      // The harness's batch ids are UUIDv4: no device time to measure the clock by.
      clockSkewMs: null,
      clockSkewed: false,
      correctedBy: null,
    });
  });

  it.each([
    ['fever', (i: number) => i % 10 === 0],
    ['returnee', (i: number) => i % 7 === 0],
    ['refused', (i: number) => i % 25 === 0 && i % 10 !== 0],
  ] as const)('filters by flag=%s', async (flag, expected) => {
    const { items } = await all(`?gateId=${server.gate.id}&flag=${flag}&limit=1000`);
    expect(items.map((i) => i.id)).toEqual(sent.filter((_, i) => expected(i)).map((r) => r.id));
    if (flag === 'fever') expect(items.every((i) => i.isFever)).toBe(true);
  });

  it('filters by occurredAt from (inclusive) to (exclusive), across offsets', async () => {
    const from = new Date(T0 + 100 * HOUR_MS).toISOString();
    const to = shanghaiIso(T0 + 150 * HOUR_MS);
    const { items } = await all(
      `?gateId=${server.gate.id}&from=${from}&to=${encodeURIComponent(to)}&limit=1000`,
    );
    expect(items.map((i) => i.id)).toEqual(sent.slice(100, 150).map((r) => r.id));
  });

  it('pages the newest first with order=desc, following its cursor', async () => {
    const { items, pages } = await all(`?gateId=${server.gate.id}&order=desc&limit=100`);
    expect(pages).toBe(11);
    expect(items.map((i) => i.id)).toEqual(sent.map((r) => r.id).reverse());
    expect((await server.admin({ method: 'GET', url: '/api/v1/logs?order=up' })).statusCode).toBe(
      400,
    );
  });

  it('searches with q: a whole ID number, a part of a name or address; too long is a 400', async () => {
    const idNumber = sent[5]!.person.idNumber!;
    const byId = await page(`?q=${idNumber}`);
    expect(byId.items.map((i) => i.id)).toEqual(
      sent.filter((r) => r.person.idNumber === idNumber).map((r) => r.id),
    );
    expect((await page(`?q=${idNumber.slice(0, 12)}`)).items).toEqual([]);
    const byName = await all(`?q=${encodeURIComponent('小明')}&flag=fever&limit=1000`);
    expect(byName.items).toHaveLength(sent.filter((_, i) => i % 10 === 0).length);
    const long = await server.admin({ method: 'GET', url: `/api/v1/logs?q=${'x'.repeat(81)}` });
    expect(long.statusCode).toBe(400);
  });

  it('filters by gate', async () => {
    const north = await server.store.listGates();
    const northId = north.find((g) => g.name === 'North gate')!.id;
    const { items } = await all(`?gateId=${northId}`);
    expect(items).toHaveLength(1);
    expect(items[0]!.deviceId).toBe(northPhone.deviceId);
  });
});

describe('GET /api/v1/logs/summary', () => {
  it('counts what the filters match, whatever the flag, and each flag of it', async () => {
    const mine = `gateId=${server.gate.id}`;
    const res = await server.admin({ method: 'GET', url: `/api/v1/logs/summary?${mine}` });
    expect(res.statusCode).toBe(200);
    const count = (keep: (i: number) => boolean) => sent.filter((_, i) => keep(i)).length;
    const counts = {
      total: TOTAL,
      fever: count((i) => i % 10 === 0),
      returnee: count((i) => i % 7 === 0),
      refused: count((i) => i % 25 === 0 && i % 10 !== 0),
      corrected: 0,
    };
    expect(res.json()).toEqual({ ...counts, byGate: [{ gateId: server.gate.id, ...counts }] });
    // Every gate: the north gate's one record beside them.
    const every = await server.admin({ method: 'GET', url: '/api/v1/logs/summary' });
    const { total, byGate } = every.json<{ total: number; byGate: { gateId: string }[] }>();
    expect(total).toBe(TOTAL + 1);
    expect(byGate.map((g) => g.gateId).sort()).toEqual([server.gate.id, northPhone.gateId].sort());
    const fevers = await server.admin({
      method: 'GET',
      url: `/api/v1/logs/summary?${mine}&flag=fever&q=${encodeURIComponent(sent[3]!.person.idNumber!)}`,
    });
    expect(fevers.json<{ total: number }>().total).toBe(
      sent.filter((r) => r.person.idNumber === sent[3]!.person.idNumber).length,
    );
    const denied = await server.app.inject({ method: 'GET', url: `/api/v1/logs/summary?${mine}` });
    expect(denied.statusCode).toBe(401);
  });
});

describe('the CSV export’s file name', () => {
  it('names the local days the filter gives, the last before `to`, and the flag', () => {
    const day = (d: string) => `${d}T00:00:00+08:00`;
    expect(csvFileName({ from: day('2026-12-06'), to: day('2026-12-07') })).toBe(
      'gatelog-2026-12-06.csv',
    );
    expect(csvFileName({ from: day('2026-12-01'), to: day('2026-12-07'), flag: 'fever' })).toBe(
      'gatelog-2026-12-01_2026-12-06-fever.csv',
    );
    expect(csvFileName({ from: '2026-12-06T00:00:00-05:00' })).toBe('gatelog-since-2026-12-06.csv');
    expect(csvFileName({ to: '2026-12-07T00:00:00Z' })).toBe('gatelog-until-2026-12-06.csv');
    expect(csvFileName({})).toBe('gatelog-all.csv');
  });

  it('is Chinese in Chinese, with the English name for clients that cannot read it', async () => {
    const day = (d: string) => encodeURIComponent(`${d}T00:00:00+08:00`);
    const range = `from=${day('2020-02-10')}&to=${day('2020-02-12')}&flag=fever`;
    const disposition = async (query: string) => {
      const res = await server.admin({ method: 'GET', url: `/api/v1/logs.csv?${query}` });
      expect(res.statusCode, res.body).toBe(200);
      return res.headers['content-disposition'];
    };
    const zh = await disposition(`${range}&lang=zh-CN`);
    expect(zh).toBe(
      `attachment; filename="gatelog-2020-02-10_2020-02-11-fever.csv"; filename*=UTF-8''${encodeURIComponent('门岗登记-2020-02-10至2020-02-11-发热.csv')}`,
    );
    // Read back as a browser does (RFC 5987): the Chinese name.
    const star = /filename\*=UTF-8''([^;]+)/.exec(zh as string)![1]!;
    expect(decodeURIComponent(star)).toBe('门岗登记-2020-02-10至2020-02-11-发热.csv');
    expect(star).toMatch(/^[A-Za-z0-9%!#$&+.^_`|~-]+$/);
    // English, and for scripts (no lang): the English name only.
    const english = 'attachment; filename="gatelog-2020-02-10_2020-02-11-fever.csv"';
    expect(await disposition(`${range}&lang=en`)).toBe(english);
    expect(await disposition(range)).toBe(english);
    expect(await disposition('lang=zh-CN&flag=refused')).toBe(
      `attachment; filename="gatelog-all-refused.csv"; filename*=UTF-8''${encodeURIComponent('门岗登记-全部-劝返.csv')}`,
    );
  });
});

describe('GET /api/v1/logs.csv', () => {
  const parse = (body: string) =>
    body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');

  it('streams every row after a BOM and a header, with full ID numbers', async () => {
    const res = await server.admin({
      method: 'GET',
      url: `/api/v1/logs.csv?gateId=${server.gate.id}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="gatelog-all.csv"');
    expect(res.body.startsWith('\uFEFF')).toBe(true);
    const lines = parse(res.body);
    expect(lines[0]).toBe(
      'id,receivedAt,occurredAt,utcOffset,gateId,gateName,deviceId,shiftId,guard,direction,category,name,idType,idNumber,phone,address,passId,temperatureC,fever,returneeStatus,returneeOrigin,arrivedOn,quarantineUntil,registered,decision,note,corrected,amends,correctedBy',
    );
    expect(lines).toHaveLength(TOTAL + 1);
    expect(lines.slice(1).map((l) => l.split(',')[0])).toEqual(sent.map((r) => r.id));
    expect(lines[1]).toContain(sent[0]!.person.idNumber);
    expect(lines[1]).toContain('Test gate / 测试门');
  });

  it('writes the time received at the offset of the time the passage happened', () => {
    const at = Date.parse('2026-12-06T21:06:30.250Z');
    expect(atOffsetOf(at, '2026-12-07T05:06:00+08:00')).toBe('2026-12-07T05:06:30.250+08:00');
    expect(atOffsetOf(at, '2026-12-06T16:06:00-05:00')).toBe('2026-12-06T16:06:30.250-05:00');
    expect(atOffsetOf(at, '2026-12-06T21:06:00Z')).toBe('2026-12-06T21:06:30.250Z');
  });

  it('applies the same filters as the list', async () => {
    const res = await server.admin({
      method: 'GET',
      url: `/api/v1/logs.csv?gateId=${server.gate.id}&flag=fever`,
    });
    expect(parse(res.body)).toHaveLength(TOTAL / 10 + 1);
    const idNumber = sent[5]!.person.idNumber!;
    const found = await server.admin({
      method: 'GET',
      url: `/api/v1/logs.csv?q=${idNumber}&order=desc`,
    });
    const ids = sent.filter((r) => r.person.idNumber === idNumber).map((r) => r.id);
    expect(
      parse(found.body)
        .slice(1)
        .map((l) => l.split(',')[0]),
    ).toEqual(ids.reverse());
  });

  it('keeps ID, phone and pass numbers text for a spreadsheet when asked (for=spreadsheet)', async () => {
    const r = phone.record({
      person: {
        category: 'resident',
        name: '王五',
        idType: 'cn_resident_id',
        idNumber: '11010519491231002X',
        phone: '13800138000',
        passId: '0012345',
      },
    });
    await server.sync(phone, [r]);
    const rowOf = async (extra: string) => {
      const res = await server.admin({
        method: 'GET',
        url: `/api/v1/logs.csv?from=${encodeURIComponent(r.occurredAt)}&gateId=${server.gate.id}${extra}`,
      });
      const [header, ...rows] = res.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      const cols = header!.split(',');
      const row = rows.find((l) => l.startsWith(r.id))!.split(',');
      return (name: string) => row[cols.indexOf(name)];
    };
    const sheet = await rowOf('&for=spreadsheet');
    expect(sheet('idNumber')).toBe('\t11010519491231002X');
    expect(sheet('phone')).toBe('\t13800138000');
    expect(sheet('passId')).toBe('\t0012345');
    expect(sheet('name')).toBe('王五');
    // As data, the numbers are as sent.
    const plain = await rowOf('');
    expect(plain('idNumber')).toBe('11010519491231002X');
    expect(plain('passId')).toBe('0012345');
    const bad = await server.admin({ method: 'GET', url: '/api/v1/logs.csv?for=excel' });
    expect(bad.statusCode).toBe(400);
  });

  it('escapes quotes, commas and newlines, and neutralises formulas', async () => {
    const tricky = phone.record({
      guard: '=HYPERLINK("http://evil")',
      note: 'line one, "quoted"\nline two',
      person: { name: '@SUM(A1)', address: '-2+3', phone: '+8613800138000' },
    });
    await server.sync(phone, [tricky]);
    const res = await server.admin({
      method: 'GET',
      url: `/api/v1/logs.csv?from=${encodeURIComponent(tricky.occurredAt)}&gateId=${server.gate.id}`,
    });
    const body = res.body.replace(/^\uFEFF/, '');
    const row = body.slice(body.indexOf('\r\n') + 2);
    expect(row).toContain(`,"'=HYPERLINK(""http://evil"")",`);
    expect(row).toContain(`,'@SUM(A1),`);
    expect(row).toContain(`,'-2+3,`);
    expect(row).toContain(`,'+8613800138000,`);
    expect(row).toContain(`"line one, ""quoted""\nline two"`);
  });
});

describe('corrections in the log', () => {
  it('keeps a corrected record listed with its correction named, and counts and flags the correction instead', async () => {
    const gate = await server.admin({
      method: 'POST',
      url: '/api/v1/gates',
      payload: { name: 'Corrections gate' },
    });
    const gateId = gate.json<{ id: string }>().id;
    const guard = await server.enroll(gateId);
    const fever = guard.record({ temperatureC: 38.6, decision: 'referred' });
    const { id: _id, ...rest } = guard.record();
    const correction = {
      ...fever,
      ...rest,
      id: guard.record().id,
      temperatureC: 36.6,
      decision: 'admitted' as const,
      note: '复测正常',
      amends: fever.id,
    };
    expect((await server.sync(guard, [fever, correction])).accepted).toHaveLength(2);

    const list = async (query = '') =>
      (await page(`?gateId=${gateId}${query}`)).items.map((i) => [i.id, i.correctedBy]);
    expect(await list()).toEqual([
      [fever.id, correction.id],
      [correction.id, null],
    ]);
    // The corrected reading is no fever any more: the fever list is empty.
    expect(await list('&flag=fever')).toEqual([]);
    const summary = await server.admin({
      method: 'GET',
      url: `/api/v1/logs/summary?gateId=${gateId}`,
    });
    expect(summary.json()).toMatchObject({ total: 1, fever: 0, corrected: 1 });

    // A correction of the correction: the newest stands, both earlier ones are corrected.
    const again = { ...correction, id: guard.record().id, note: '再次更正', amends: correction.id };
    await server.sync(guard, [again]);
    expect(await list()).toEqual([
      [fever.id, correction.id],
      [correction.id, again.id],
      [again.id, null],
    ]);
    const csv = await server.admin({ method: 'GET', url: `/api/v1/logs.csv?gateId=${gateId}` });
    const [header, ...rows] = csv.body
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    const col = header!.split(',').indexOf('correctedBy');
    expect(rows.map((r) => r.split(',')[col])).toEqual([correction.id, again.id, '']);
    const counts = await server.admin({
      method: 'GET',
      url: `/api/v1/logs/summary?gateId=${gateId}`,
    });
    expect(counts.json()).toMatchObject({ total: 1, fever: 0, corrected: 2 });
  });
});

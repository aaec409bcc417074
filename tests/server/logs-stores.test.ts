/**
 * The committee's log routes on both stores: SQLite always, PostgreSQL when DATABASE_URL is set
 * (a loud skip without it; a failure under GATELOG_REQUIRE_POSTGRES=1). Each test gets a fresh
 * database, so the two stores must answer the same.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GateLog, LogSummaryResponse, LogsResponse } from '../../src/shared';
import type { Store } from '../../src/server/store/types';
import { parseCsv } from '../reliability/support/csv';
import { shanghaiIso } from './factories';
import { startServerOn, type TestServer } from './harness';
import { pgTarget, warnSkipped } from './support/pg';

const target = await pgTarget();
warnSkipped(target, 'the PostgreSQL half of tests/server/logs-stores.test.ts');

const STORES = [
  { name: 'sqlite', skip: false },
  { name: 'postgres', skip: target.kind !== 'ready' },
] as const;

// Defined only when PostgreSQL is wanted but missing, so a healthy run counts no extra skip.
if (target.kind === 'fail') {
  const { reason } = target;
  describe('PostgreSQL store', () => {
    it('is configured and reachable', () => {
      throw new Error(reason);
    });
  });
}

for (const { name, skip } of STORES) {
  describe.skipIf(skip)(`log routes [${name}]`, () => {
    let server: TestServer<Store>;
    let now = Date.parse('2026-12-07T02:00:00Z');
    beforeEach(async () => {
      now = Date.parse('2026-12-07T02:00:00Z');
      server = await startServerOn(name, target.kind === 'ready' ? target.url : undefined, {
        now: () => now,
      });
    });
    afterEach(() => server.close());

    const get = (url: string) => server.admin({ method: 'GET', url });
    const HOUR_MS = 3_600_000;
    /** 2026-12-07 00:00 at the gate (+08:00). */
    const DAY = Date.parse('2026-12-07T00:00:00+08:00');
    const at = (ms: number) => encodeURIComponent(shanghaiIso(ms));

    it('exports a corrected fever as no fever, as the page and the fever list count it', async () => {
      const phone = await server.enroll();
      const misread = phone.record({ temperatureC: 38.6, decision: 'referred' });
      const { id: _id, ...rest } = phone.record();
      const correction = {
        ...misread,
        ...rest,
        id: phone.record().id,
        temperatureC: 36.6,
        decision: 'admitted' as const,
        amends: misread.id,
      };
      const fever = phone.record({ temperatureC: 38.2, decision: 'referred' });
      expect((await server.sync(phone, [misread, correction, fever])).accepted).toHaveLength(3);
      const csv = await get('/api/v1/logs.csv');
      const [header, ...rows] = csv.body
        .replace(/^\uFEFF/, '')
        .trimEnd()
        .split('\r\n');
      const col = (name: string) => header!.split(',').indexOf(name);
      // A spreadsheet's filter on `fever` finds the one fever the summary counts; the corrected
      // row keeps its temperature as logged.
      expect(
        rows.map((r) => r.split(',')).map((c) => [c[0], c[col('temperatureC')], c[col('fever')]]),
      ).toEqual([
        [misread.id, '38.6', 'false'],
        [correction.id, '36.6', 'false'],
        [fever.id, '38.2', 'true'],
      ]);
      const counts = await get('/api/v1/logs/summary');
      expect(counts.json<LogSummaryResponse>()).toMatchObject({ total: 2, fever: 1, corrected: 1 });
    });

    it('exports in the language asked for (lang), the API’s names and values without one', async () => {
      const phone = await server.enroll();
      const visitor = phone.record({
        temperatureC: 38.1,
        decision: 'referred',
        person: {
          category: 'visitor',
          name: 'Li Lei',
          idType: 'passport',
          idNumber: 'E12345678',
          address: '5号楼 101',
        },
        returnee: {
          status: 'overseas',
          origin: '日本东京',
          arrivedOn: '2026-12-01',
          registered: true,
        },
        note: 'in',
      });
      const leaving = phone.record({ direction: 'out', temperatureC: undefined });
      expect((await server.sync(phone, [visitor, leaving])).accepted).toHaveLength(2);
      const table = async (query: string) => {
        const csv = await get(`/api/v1/logs.csv${query}`);
        expect(csv.statusCode, csv.body).toBe(200);
        const [header, ...rows] = csv.body
          .replace(/^\uFEFF/, '')
          .trimEnd()
          .split('\r\n')
          .map((l) => l.split(','));
        return { header: header!, rows };
      };
      const api = await table('');
      const zh = await table('?lang=zh-CN');
      const en = await table('?lang=en&for=spreadsheet');
      expect(zh.header.join()).toBe(
        '记录编号,服务器收到时间,登记时间,时区,门岗编号,门岗,门岗手机编号,班次编号,值班人员,进出,人员类别,姓名,证件类型,证件号码,手机号,住址 / 拜访对象,出入证号,体温（℃）,发热,外地返回,来自,抵达日期,居家隔离至,已向居委会登记,处置,备注,已被更正,所更正的记录,更正它的记录',
      );
      expect(en.header.join()).toBe(
        'Record ID,Received by the server,Logged at,Time zone,Gate ID,Gate,Gate phone ID,Shift ID,Guard,Direction,Category,Name,ID type,ID number,Phone,Address or whom visiting,Pass number,Temperature (°C),Fever,Returned from outside the city,From,Arrived on,Home quarantine until,Registered with the committee,Decision,Note,Corrected,Corrects record,Corrected by record',
      );
      const cells = (t: { rows: string[][] }, row: number) => (key: string) =>
        t.rows[row]![api.header.indexOf(key)];
      const choices = [
        'direction',
        'category',
        'idType',
        'fever',
        'returneeStatus',
        'registered',
        'decision',
      ];
      const asIs = ['id', 'gateId', 'name', 'idNumber', 'temperatureC', 'arrivedOn', 'note'];
      const said = (t: { rows: string[][] }, row: number, keys: string[]) =>
        keys.map(cells(t, row));
      expect(said(api, 0, choices)).toEqual([
        'in',
        'visitor',
        'passport',
        'true',
        'overseas',
        'true',
        'referred',
      ]);
      expect(said(zh, 0, choices)).toEqual(['进', '访客', '护照', '是', '境外', '是', '转居委会']);
      expect(said(en, 0, choices)).toEqual([
        'In',
        'Visitor',
        'Passport',
        'Yes',
        'Overseas',
        'Yes',
        'Referred to committee',
      ]);
      expect(said(api, 1, choices)).toEqual([
        'out',
        'resident',
        'cn_resident_id',
        'false',
        'none',
        '',
        'admitted',
      ]);
      expect(said(zh, 1, choices)).toEqual(['出', '居民', '居民身份证', '否', '否', '', '放行']);
      // Ids, dates, numbers and what was typed (a note saying "in") are as stored; so is the
      // time but for a spreadsheet (its date and time are checked below).
      for (const t of [zh, en]) {
        const fixed = said(t, 0, asIs).map((c) => c?.replace(/^\t/, ''));
        expect(fixed).toEqual(said(api, 0, asIs));
      }
      expect(said(zh, 0, ['occurredAt'])).toEqual([visitor.occurredAt]);
      expect(said(api, 0, asIs)).toEqual([
        visitor.id,
        server.gate.id,
        'Li Lei',
        'E12345678',
        '38.1',
        '2026-12-01',
        'in',
      ]);
      for (const lang of ['fr', 'zh', 'EN']) {
        const bad = await get(`/api/v1/logs.csv?lang=${lang}`);
        expect(bad.statusCode, lang).toBe(400);
        expect(bad.json()).toEqual({ error: 'invalid_request', message: 'lang: not zh-CN or en' });
      }
    });

    it('writes times a spreadsheet reads as date and time, at the record’s own offset, and says which rows were corrected', async () => {
      const phone = await server.enroll();
      // Received at 02:00:30.750 UTC: 10:00:30 at the gate, 21:00:30 the day before at -05:00.
      now = Date.parse('2026-12-07T02:00:30.750Z');
      const misread = phone.record({
        occurredAt: '2026-12-07T09:10:00.000+08:00',
        temperatureC: 38.6,
        decision: 'referred',
      });
      const { id: _id, ...rest } = phone.record();
      const correction = {
        ...misread,
        ...rest,
        id: phone.record().id,
        occurredAt: misread.occurredAt,
        temperatureC: 36.6,
        decision: 'admitted' as const,
        amends: misread.id,
      };
      // A phone set to another time zone: its passage is written at its own offset.
      const abroad = phone.record({ occurredAt: '2026-12-06T20:10:05.999-05:00' });
      expect((await server.sync(phone, [misread, correction, abroad])).accepted).toHaveLength(3);
      const read = async (query: string) => {
        const csv = await get(`/api/v1/logs.csv${query}`);
        expect(csv.statusCode, csv.body).toBe(200);
        return parseCsv(csv.body.replace(/^\uFEFF/, ''));
      };
      // Every language has the same columns: the API's names say which is which.
      const [api] = await read('');
      const keys = ['receivedAt', 'occurredAt', 'utcOffset', 'corrected', 'correctedBy'];
      const pick = (row: string[]) => keys.map((k) => row[api!.indexOf(k)]);
      const headerOf = async (query: string) => pick((await read(query))[0]!);
      const rowsOf = async (query: string) => (await read(query)).slice(1).map(pick);

      expect(api!.slice(0, 5)).toEqual(['id', 'receivedAt', 'occurredAt', 'utcOffset', 'gateId']);
      expect(api!.slice(-3)).toEqual(['corrected', 'amends', 'correctedBy']);
      expect(await headerOf('?lang=zh-CN&for=spreadsheet')).toEqual([
        '服务器收到时间',
        '登记时间',
        '时区',
        '已被更正',
        '更正它的记录',
      ]);
      expect(await headerOf('?lang=en&for=spreadsheet')).toEqual([
        'Received by the server',
        'Logged at',
        'Time zone',
        'Corrected',
        'Corrected by record',
      ]);
      // The committee's download: date and time to the second, in the time the row was logged at.
      expect(await rowsOf('?lang=zh-CN&for=spreadsheet')).toEqual([
        ['2026-12-07 10:00:30', '2026-12-07 09:10:00', 'UTC+08:00', '是', correction.id],
        ['2026-12-07 10:00:30', '2026-12-07 09:10:00', 'UTC+08:00', '否', ''],
        ['2026-12-06 21:00:30', '2026-12-06 20:10:05', 'UTC-05:00', '否', ''],
      ]);
      expect((await rowsOf('?lang=en&for=spreadsheet')).map((r) => r[3])).toEqual([
        'Yes',
        'No',
        'No',
      ]);
      // For a script, ISO times as before, and the flag as the API's true or false.
      expect(await rowsOf('')).toEqual([
        ['2026-12-07T10:00:30.750+08:00', misread.occurredAt, 'UTC+08:00', 'true', correction.id],
        ['2026-12-07T10:00:30.750+08:00', misread.occurredAt, 'UTC+08:00', 'false', ''],
        ['2026-12-06T21:00:30.750-05:00', abroad.occurredAt, 'UTC-05:00', 'false', ''],
      ]);
      // The language and the spreadsheet's form are apart: a script asking for the clerk's
      // headers alone still reads ISO times, and the spreadsheet's times come without lang too.
      expect(await headerOf('?lang=zh-CN')).toEqual(await headerOf('?lang=zh-CN&for=spreadsheet'));
      expect(await rowsOf('?lang=zh-CN')).toEqual([
        ['2026-12-07T10:00:30.750+08:00', misread.occurredAt, 'UTC+08:00', '是', correction.id],
        ['2026-12-07T10:00:30.750+08:00', misread.occurredAt, 'UTC+08:00', '否', ''],
        ['2026-12-06T21:00:30.750-05:00', abroad.occurredAt, 'UTC-05:00', '否', ''],
      ]);
      expect(await headerOf('?for=spreadsheet')).toEqual(keys);
      expect(await rowsOf('?for=spreadsheet')).toEqual([
        ['2026-12-07 10:00:30', '2026-12-07 09:10:00', 'UTC+08:00', 'true', correction.id],
        ['2026-12-07 10:00:30', '2026-12-07 09:10:00', 'UTC+08:00', 'false', ''],
        ['2026-12-06 21:00:30', '2026-12-06 20:10:05', 'UTC-05:00', 'false', ''],
      ]);
    });

    it('keeps numbers and building-unit addresses text for a spreadsheet, with no stray apostrophe', async () => {
      const phone = await server.enroll();
      const person = (p: Partial<GateLog['person']>) => ({ category: 'resident' as const, ...p });
      const records = [
        phone.record({
          person: person({
            name: '王五',
            idType: 'cn_resident_id',
            idNumber: '11010519491231002X',
            phone: '+8613800138000',
            address: '5-1',
            passId: '0012345',
          }),
        }),
        phone.record({
          person: person({ name: 'Zhao Liu', phone: '13800138000', address: '3/2' }),
          note: '3月2日',
        }),
        phone.record({
          person: person({
            name: '-2+3',
            idType: 'other',
            idNumber: '=1+2',
            address: '=HYPERLINK("http://evil","x")',
            passId: '@SUM(A1)',
          }),
          note: '-1',
        }),
        phone.record({ person: person({ address: '3号楼 502', phone: '+8613800138000' }) }),
      ];
      expect((await server.sync(phone, records)).accepted).toHaveLength(records.length);
      const cellsOf = async (query: string) => {
        const csv = await get(`/api/v1/logs.csv${query}`);
        const [header, ...rows] = parseCsv(csv.body.replace(/^\uFEFF/, ''));
        return (keys: string[]) => rows.map((row) => keys.map((k) => row[header!.indexOf(k)]));
      };
      const keys = ['idNumber', 'phone', 'address', 'passId', 'name', 'note'];
      const sheet = await cellsOf('?for=spreadsheet');
      expect(sheet(keys)).toEqual([
        // The phone's + is the clerk's to see, not an apostrophe; 5-1 is no 1 May.
        ['\t11010519491231002X', '\t+8613800138000', '\t5-1', '\t0012345', '王五', ''],
        [expect.any(String), '\t13800138000', '\t3/2', '', 'Zhao Liu', '\t3月2日'],
        // A formula stays neutralised behind the tab: a program that trims the tab finds a '.
        [
          "\t'=1+2",
          expect.any(String),
          `'=HYPERLINK("http://evil","x")`,
          "\t'@SUM(A1)",
          "\t'-2+3",
          '\t-1',
        ],
        [expect.any(String), '\t+8613800138000', '3号楼 502', '', expect.any(String), ''],
      ]);
      // For a script, as stored, with the usual ' before what looks like a formula.
      const plain = await cellsOf('');
      expect(plain(['phone', 'address', 'passId'])).toEqual([
        ["'+8613800138000", '5-1', '0012345'],
        ['13800138000', '3/2', ''],
        [expect.any(String), `'=HYPERLINK("http://evil","x")`, "'@SUM(A1)"],
        ["'+8613800138000", '3号楼 502', ''],
      ]);
    });

    describe('receivedFrom and receivedTo', () => {
      it('list and count what arrived on a day but happened before it, fevers too', async () => {
        const phone = await server.enroll();
        const send = async (receivedMs: number, occurredMs: number, fever = false) => {
          now = receivedMs;
          const r = phone.record({
            occurredAt: shanghaiIso(occurredMs),
            ...(fever && { temperatureC: 38.4, decision: 'referred' as const }),
          });
          expect((await server.sync(phone, [r])).accepted).toEqual([r.id]);
          return r.id;
        };
        await send(DAY - 12 * HOUR_MS, DAY - 13 * HOUR_MS); // yesterday, on time
        const onTime = await send(DAY + 9 * HOUR_MS, DAY + 8 * HOUR_MS); // today, on time
        const lastNight = await send(DAY + 10 * HOUR_MS, DAY - 3 * HOUR_MS, true);
        const twoDaysAgo = await send(DAY + 11 * HOUR_MS, DAY - 40 * HOUR_MS);
        await send(DAY + 25 * HOUR_MS, DAY - 2 * HOUR_MS); // arrived tomorrow

        const day = `receivedFrom=${at(DAY)}&receivedTo=${at(DAY + 24 * HOUR_MS)}`;
        const late = await get(`/api/v1/logs?${day}&to=${at(DAY)}&order=desc`);
        expect(late.statusCode, late.body).toBe(200);
        expect(late.json<LogsResponse>().items.map((i) => i.id)).toEqual([twoDaysAgo, lastNight]);
        const counts = await get(`/api/v1/logs/summary?${day}&to=${at(DAY)}`);
        expect(counts.json<LogSummaryResponse>()).toMatchObject({ total: 2, fever: 1 });
        // Everything that arrived that day, whenever it happened; and the CSV takes the same.
        const arrived = await get(`/api/v1/logs?${day}`);
        expect(arrived.json<LogsResponse>().items.map((i) => i.id)).toEqual([
          onTime,
          lastNight,
          twoDaysAgo,
        ]);
        const csv = await get(`/api/v1/logs.csv?${day}&to=${at(DAY)}`);
        expect(
          csv.body
            .trim()
            .split('\r\n')
            .slice(1)
            .map((l) => l.split(',')[0]),
        ).toEqual([lastNight, twoDaysAgo]);
      });

      it('are refused when not a date-time with its offset, or backwards', async () => {
        for (const query of [
          'receivedFrom=yesterday',
          `receivedTo=${encodeURIComponent('2026-12-07T00:00:00')}`,
          `receivedFrom=${at(DAY + 1)}&receivedTo=${at(DAY)}`,
        ]) {
          for (const path of ['/api/v1/logs', '/api/v1/logs/summary', '/api/v1/logs.csv']) {
            const res = await get(`${path}?${query}`);
            expect(res.statusCode, `${path}?${query}`).toBe(400);
            const body = res.json<{ error: string; message: string }>();
            expect(body.error).toBe('invalid_request');
            expect(body.message).toMatch(/^received(From|To)\b/);
          }
        }
      });
    });

    describe('a gateId that names no gate', () => {
      const unknown = encodeURIComponent('<img src=x onerror=alert(1)>');

      it.each(['/api/v1/logs', '/api/v1/logs/summary', '/api/v1/logs.csv'])(
        '%s answers 400 gate_unknown, naming the parameter and not echoing it',
        async (path) => {
          const phone = await server.enroll();
          await server.sync(phone, [phone.record()]);
          for (const gateId of [unknown, 'gate-removed-meanwhile']) {
            const res = await get(`${path}?gateId=${gateId}`);
            expect(res.statusCode, res.body).toBe(400);
            const body = res.json<{ error: string; message: string }>();
            expect(body).toEqual({ error: 'gate_unknown', message: 'gateId: no such gate' });
          }
          // A gate that is there still answers, with its records.
          const known = await get(`${path}?gateId=${server.gate.id}`);
          expect(known.statusCode, known.body).toBe(200);
        },
      );
    });
  });
}

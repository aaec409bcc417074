/**
 * Resident passes on the server: signed tokens (valid, forged, altered; key rotation), the
 * admin API (issue, list, revoke, printable sheet, keys) and the watchlist API.
 */
import { generateKeyPairSync } from 'node:crypto';
import QRCode from 'qrcode';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Pass, SigningKey, WatchEntry } from '../../src/shared';
import {
  base64urlDecode,
  base64urlEncode,
  parsePassToken,
  utf8Decode,
  utf8Encode,
} from '../../src/shared/passes';
import { generateSigningKey, keyId, publicJwkOf } from '../../src/server/passes/keys';
import { signPassToken, verifyPassToken } from '../../src/server/passes/tokens';
import { startServer, type TestServer } from './harness';

const DAY_MS = 86_400_000;
const T0 = Date.UTC(2020, 1, 3, 2, 0);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);

let server: TestServer;
let now = T0;
beforeEach(async () => {
  now = T0;
  server = await startServer({ now: () => now });
});
afterEach(() => server.close());

/** Issues a pass, a millisecond after the last (lists are in issue order). */
async function issue(body: Record<string, unknown>): Promise<Pass> {
  now += 1;
  const res = await server.admin({ method: 'POST', url: '/api/v1/passes', payload: body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Pass>();
}

async function keys(): Promise<SigningKey[]> {
  const res = await server.admin({ method: 'GET', url: '/api/v1/passes/keys' });
  expect(res.statusCode).toBe(200);
  return res.json<{ keys: SigningKey[] }>().keys;
}

const resident = (over: Record<string, unknown> = {}) => ({
  name: '王小明',
  address: '3号楼 502室',
  validUntil: day(T0 + 30 * DAY_MS),
  ...over,
});

describe('pass tokens', () => {
  it('a pass issued by the API verifies against the published key and says who it is', async () => {
    const pass = await issue(resident());
    expect(pass).toMatchObject({
      name: '王小明',
      address: '3号楼 502室',
      status: 'active',
      gateId: null,
    });
    expect(pass.id).toMatch(/^[0-9A-HJKMNP-TV-Z]{8}$/);
    expect(pass.token.startsWith('GP1.')).toBe(true);
    const published = await keys();
    expect(published).toHaveLength(1);
    expect(published[0]!.kid).toBe(pass.kid);
    expect(verifyPassToken(pass.token, published)).toEqual({
      v: 1,
      k: pass.kid,
      p: pass.id,
      n: '王小明',
      a: '3号楼 502室',
      u: day(T0 + 30 * DAY_MS),
    });
  });

  it('a forged pass does not verify: signed by another key under the real kid, or not signed', async () => {
    const pass = await issue(resident());
    const published = await keys();
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forger = {
      kid: pass.kid,
      privateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    };
    const forged = signPassToken(
      { v: 1, k: pass.kid, p: 'ZZZZZZZZ', n: '假冒', a: '1号楼 101', u: '2030-01-01' },
      forger,
    );
    expect(parsePassToken(forged)).toBeDefined();
    expect(verifyPassToken(forged, published)).toBeUndefined();
    const [head, body] = pass.token.split('.');
    expect(
      verifyPassToken(`${head}.${body}.${base64urlEncode(new Uint8Array(64))}`, published),
    ).toBeUndefined();
    expect(verifyPassToken('https://example.org/not-a-pass', published)).toBeUndefined();
  });

  it('an altered pass does not verify: another name, a later date, one flipped signature bit', async () => {
    const pass = await issue(resident());
    const published = await keys();
    const [head, body, sig] = pass.token.split('.') as [string, string, string];
    const payload = JSON.parse(utf8Decode(base64urlDecode(body)!)!);
    for (const change of [{ n: '李四' }, { u: '2099-12-31' }, { p: 'AAAAAAAA' }]) {
      const altered = base64urlEncode(utf8Encode(JSON.stringify({ ...payload, ...change })));
      expect(verifyPassToken(`${head}.${altered}.${sig}`, published)).toBeUndefined();
    }
    const bytes = base64urlDecode(sig)!;
    bytes[10]! ^= 1;
    expect(verifyPassToken(`${head}.${body}.${base64urlEncode(bytes)}`, published)).toBeUndefined();
    // A non-canonical last character (stray low bits) is not a second spelling of the signature.
    const last = sig.at(-1)!;
    const sibling = last === 'A' ? 'B' : 'A';
    expect(
      verifyPassToken(`${head}.${body}.${sig.slice(0, -1)}${sibling}`, published),
    ).toBeUndefined();
  });

  it('rotation: new passes are signed by the new key; old passes verify until they expire', async () => {
    const old = await issue(resident({ validUntil: day(T0 + 10 * DAY_MS) }));
    now += DAY_MS;
    const rotated = await server.admin({ method: 'POST', url: '/api/v1/passes/keys' });
    expect(rotated.statusCode).toBe(201);
    const newKid = rotated.json<SigningKey>().kid;
    expect(newKid).not.toBe(old.kid);
    const fresh = await issue(resident({ name: '王大明', validUntil: day(T0 + 60 * DAY_MS) }));
    expect(fresh.kid).toBe(newKid);

    let published = await keys();
    expect(published.map((k) => k.kid)).toEqual([old.kid, newKid]);
    expect(published[0]!.retiredAt).not.toBeNull();
    expect(verifyPassToken(old.token, published)?.p).toBe(old.id);
    expect(verifyPassToken(fresh.token, published)?.p).toBe(fresh.id);

    // The day after the old pass's last valid day (plus a day of time-zone slack): the retired
    // key is no longer published; the new one still is.
    now = T0 + 12 * DAY_MS;
    published = await keys();
    expect(published.map((k) => k.kid)).toEqual([newKid]);
    expect(verifyPassToken(old.token, published)).toBeUndefined();
    expect(verifyPassToken(fresh.token, published)?.p).toBe(fresh.id);
  });

  it('kid is the RFC 7638 thumbprint of the public key', () => {
    const key = generateSigningKey(T0);
    const jwk = JSON.parse(key.publicJwk);
    expect(key.kid).toBe(keyId(jwk));
    expect(Object.keys(jwk).sort()).toEqual(['crv', 'kty', 'x', 'y']);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    expect(keyId(publicJwkOf(privateKey))).not.toBe(key.kid);
  });

  it('the private key never leaves the server', async () => {
    await issue(resident());
    const body = (await server.admin({ method: 'GET', url: '/api/v1/passes/keys' })).body;
    expect(body).not.toMatch(/PRIVATE|"d"/);
  });
});

describe('passes API', () => {
  it('lists active passes, revokes one (204, then 204 again, 404 unknown), lists revoked ones', async () => {
    const a = await issue(resident());
    const b = await issue(resident({ name: '王大明' }));
    const del = await server.admin({
      method: 'DELETE',
      url: `/api/v1/passes/${a.id.toLowerCase().slice(0, 4)}-${a.id.slice(4)}`,
    });
    expect(del.statusCode).toBe(204);
    expect(
      (await server.admin({ method: 'DELETE', url: `/api/v1/passes/${a.id}` })).statusCode,
    ).toBe(204);
    const unknown = await server.admin({ method: 'DELETE', url: '/api/v1/passes/ZZZZZZZZ' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ error: 'pass_unknown' });

    const list = async (q = '') =>
      (await server.admin({ method: 'GET', url: `/api/v1/passes${q}` })).json<{ passes: Pass[] }>()
        .passes;
    expect((await list()).map((p) => p.id)).toEqual([b.id]);
    expect((await list('?status=revoked')).map((p) => [p.id, p.status])).toEqual([
      [a.id, 'revoked'],
    ]);
    expect((await list('?status=all')).map((p) => p.id)).toEqual([a.id, b.id]);
  });

  it('a pass for one gate is listed for that gate only; an every-gate pass for all', async () => {
    const other = await server.admin({
      method: 'POST',
      url: '/api/v1/gates',
      payload: { name: 'East' },
    });
    const eastId = other.json<{ id: string }>().id;
    const everywhere = await issue(resident());
    const east = await issue(resident({ name: '东门住户', gateId: eastId }));
    const at = async (gateId: string) =>
      (await server.admin({ method: 'GET', url: `/api/v1/passes?gateId=${gateId}` }))
        .json<{ passes: Pass[] }>()
        .passes.map((p) => p.id);
    expect(await at(eastId)).toEqual([everywhere.id, east.id]);
    expect(await at(server.gate.id)).toEqual([everywhere.id]);
    const bad = await server.admin({
      method: 'POST',
      url: '/api/v1/passes',
      payload: resident({ gateId: 'no-such-gate' }),
    });
    expect(bad.statusCode).toBe(404);
  });

  it('refuses bad requests: missing name, a past or far-future date, unknown fields, a phone token', async () => {
    for (const payload of [
      resident({ name: ' ' }),
      resident({ validUntil: day(T0 - 3 * DAY_MS) }),
      resident({ validUntil: day(T0 + 1000 * DAY_MS) }),
      resident({ validUntil: '2020-02-30' }),
      resident({ status: 'active' }),
    ]) {
      const res = await server.admin({ method: 'POST', url: '/api/v1/passes', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const phone = await server.enroll();
    const res = await server.app.inject({
      method: 'POST',
      url: '/api/v1/passes',
      headers: { authorization: `Bearer ${phone.token}` },
      payload: resident(),
    });
    expect(res.statusCode).toBe(403);
  });

  it('prints an A4 sheet: QR codes of the tokens, names and addresses in Chinese, print CSS', async () => {
    const a = await issue(resident());
    const b = await issue(
      resident({ name: '<script>alert(1)</script>', address: '5号楼 & 6号楼' }),
    );
    await server.admin({ method: 'DELETE', url: `/api/v1/passes/${b.id}` });
    const c = await issue(resident({ name: '李华', address: '7号楼 1201室' }));
    const res = await server.admin({
      method: 'GET',
      url: `/api/v1/passes/sheet.html?gateId=${server.gate.id}`,
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toMatch(/style-src 'sha256-[A-Za-z0-9+/=]+'/);
    const html = res.body;
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('王小明');
    expect(html).toContain('3号楼 502室');
    expect(html).toContain('李华');
    // Under the word the guard's phone, the committee's page and the CSV use for it.
    expect(html).toContain(
      `出入证号 <span class="number">${a.id.slice(0, 4)}-${a.id.slice(4)}</span>`,
    );
    expect(html).not.toContain('script>alert');
    expect(html).not.toContain(b.id.slice(0, 4) + '-');
    expect(html.match(/<svg /g)).toHaveLength(2);
    // The QR code on the card is the pass's token, module for module.
    const svg = await QRCode.toString(c.token, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    expect(html).toContain(svg);
    const noToken = await server.app.inject({ method: 'GET', url: '/api/v1/passes/sheet.html' });
    expect(noToken.statusCode).toBe(401);
  });

  it("leaves out of the sheet the passes a gate refuses on the clerk's day, and refuses a day no clock has", async () => {
    const lastDay = day(T0 + 2 * DAY_MS);
    const ending = await issue(resident({ name: '到期', validUntil: lastDay }));
    const going = await issue(resident({ name: '李华' }));
    const sheet = (query = '') =>
      server.admin({ method: 'GET', url: `/api/v1/passes/sheet.html${query}` });
    const cardOf = (p: Pass) => `${p.id.slice(0, 4)}-${p.id.slice(4)}`;
    // 22:00 UTC on its last day: 06:00 the next morning at a compound in Shanghai.
    now = Date.UTC(2020, 1, 5, 22, 0);
    expect(day(now)).toBe(lastDay);
    const utc = (await sheet()).body;
    expect(utc).toContain(cardOf(ending));
    expect(utc).toContain(`2 张 — ${lastDay} 有效 valid on ${lastDay}`);
    const shanghai = await sheet('?today=2020-02-06');
    expect(shanghai.statusCode).toBe(200);
    expect(shanghai.body).not.toContain(cardOf(ending));
    expect(shanghai.body).not.toContain('到期');
    expect(shanghai.body).toContain(cardOf(going));
    expect(shanghai.body).toContain('1 张 — 2020-02-06 有效 valid on 2020-02-06');
    expect(shanghai.body.match(/<svg /g)).toHaveLength(1);
    // Made at 22:00 UTC: said at the clerk's offset when the page gives it, not the server's.
    vi.stubEnv('TZ', 'UTC');
    try {
      expect((await sheet()).body).toContain(`valid on ${lastDay} — 2020-02-05 22:00 (UTC+00:00).`);
      const clerks = await sheet('?today=2020-02-06&utcOffsetMinutes=480');
      expect(clerks.body).toContain('valid on 2020-02-06 — 2020-02-06 06:00 (UTC+08:00).');
      const westward = await sheet(`?today=${lastDay}&utcOffsetMinutes=-210`);
      expect(westward.body).toContain(`valid on ${lastDay} — 2020-02-05 18:30 (UTC-03:30).`);
      for (const bad of ['900', '8.5', 'abc', '']) {
        const refused = await sheet(`?utcOffsetMinutes=${bad}`);
        expect(refused.statusCode, bad).toBe(400);
      }
    } finally {
      vi.unstubAllEnvs();
    }
    // The next day everywhere, it is gone without being asked.
    now += DAY_MS;
    expect((await sheet()).body).not.toContain(cardOf(ending));
    // A clerk's clock days off would print what the gates refuse, or leave out good passes.
    for (const wrong of ['2020-02-08', '2020-02-04', '2020-2-6']) {
      const res = await sheet(`?today=${wrong}`);
      expect(res.statusCode, wrong).toBe(400);
      expect(res.json<{ message: string }>().message, wrong).toMatch(/^today/);
    }
  });
});

describe('watchlist API', () => {
  it('adds (ID number masked in the list), lists and removes entries', async () => {
    const res = await server.admin({
      method: 'POST',
      url: '/api/v1/watchlist',
      payload: {
        name: '赵六',
        until: day(T0 + 14 * DAY_MS),
        idNumber: '31010119800101123x',
        phone: '+86 138-0013-8000',
        address: '9号楼 301',
      },
    });
    expect(res.statusCode, res.body).toBe(201);
    const entry = res.json<WatchEntry>();
    expect(entry).toMatchObject({ name: '赵六', phone: '13800138000', passId: null });
    expect(entry.idNumber).toBe('310***********123X');
    const list = await server.admin({ method: 'GET', url: '/api/v1/watchlist' });
    expect(list.json<{ watchlist: WatchEntry[] }>().watchlist.map((w) => w.id)).toEqual([entry.id]);
    expect(
      (await server.admin({ method: 'DELETE', url: `/api/v1/watchlist/${entry.id}` })).statusCode,
    ).toBe(204);
    expect(
      (await server.admin({ method: 'DELETE', url: `/api/v1/watchlist/${entry.id}` })).statusCode,
    ).toBe(404);
  });

  it('needs a pass number, ID number or phone the gate could match, and a date not in the past', async () => {
    for (const payload of [
      { name: '赵六', until: day(T0 + DAY_MS) },
      { name: '赵六', until: day(T0 - 5 * DAY_MS), phone: '13800138000' },
      { name: '赵六', until: day(T0 + DAY_MS), passId: 'pass #12' },
      // What the gate's form refuses could never raise an alert there.
      { name: '赵六', until: day(T0 + DAY_MS), idNumber: '123' },
      { name: '赵六', until: day(T0 + DAY_MS), idNumber: '310101198001011234' },
      { name: '赵六', until: day(T0 + DAY_MS), phone: 'abc' },
      { name: '赵六', until: day(T0 + DAY_MS), phone: '021-12345678' },
      { name: 'a\u0000b', until: day(T0 + DAY_MS), phone: '13800138000' },
    ]) {
      const res = await server.admin({ method: 'POST', url: '/api/v1/watchlist', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    // Written with spaces, +86 or a passport's letters, they are taken.
    for (const payload of [
      { name: '赵六', until: day(T0 + DAY_MS), idNumber: '3101 0119 8001 0112 3x' },
      { name: '赵六', until: day(T0 + DAY_MS), idNumber: 'E12345678', phone: '+86 138 0013 8000' },
    ]) {
      const res = await server.admin({ method: 'POST', url: '/api/v1/watchlist', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(201);
    }
  });
});

describe('logs keep the pass', () => {
  it('a record made from a pass shows its passId in the logs API and the CSV', async () => {
    const pass = await issue(resident());
    const phone = await server.enroll();
    const fromPass = phone.record({
      person: { passId: pass.id, name: pass.name, address: pass.address },
    });
    const typed = phone.record();
    await server.sync(phone, [fromPass, typed]);
    const logs = await server.admin({ method: 'GET', url: '/api/v1/logs' });
    const items = logs.json<{ items: { id: string; person: { passId?: string } }[] }>().items;
    expect(items.find((i) => i.id === fromPass.id)!.person.passId).toBe(pass.id);
    expect(items.find((i) => i.id === typed.id)!.person.passId).toBeUndefined();
    const csv = (await server.admin({ method: 'GET', url: '/api/v1/logs.csv' })).body;
    const [header, ...rows] = csv
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    const col = header!.split(',').indexOf('passId');
    expect(col).toBeGreaterThan(-1);
    const row = rows.find((r) => r.startsWith(fromPass.id))!;
    expect(row.split(',')[col]).toBe(pass.id);
  });
});

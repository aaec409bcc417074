/**
 * Checking passes on the phone, offline, with WebCrypto: tokens made by the server's own code
 * verify; forged, altered, expired and revoked ones do not; after a key rotation old passes
 * stay good until they expire. Typed pass numbers are checked the same way.
 */
import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { GateLogDb, applyPulledPage, setDb } from '../../src/app/db';
import { checkPassNumber, checkPassText, verifyPassToken } from '../../src/app/passes/pass-check';
import { base64urlDecode, base64urlEncode, utf8Decode, utf8Encode } from '../../src/shared/passes';
import { makeKey, makePage, makePass, publicKey } from '../support/passes';

const TODAY = '2020-02-03';
let n = 0;
beforeEach(() => {
  setDb(new GateLogDb(`pass-check-${Date.now()}-${n++}`));
});

const key = makeKey();
const other = makeKey();

async function phoneHas(...passes: ReturnType<typeof makePass>[]) {
  await applyPulledPage(
    makePage(
      [publicKey(key)],
      passes.map((pass) => ({ kind: 'pass' as const, pass })),
    ),
    `${TODAY}T08:00:00.000+08:00`,
    TODAY,
  );
}

describe('a scanned pass', () => {
  it('a valid pass verifies and gives name, address, number and last day', async () => {
    const pass = makePass(key, { validUntil: '2020-03-01' });
    await phoneHas(pass);
    expect(await checkPassText(pass.token, TODAY)).toEqual({
      ok: true,
      pass: { id: pass.id, name: '王小明', address: '3号楼 502室', validUntil: '2020-03-01' },
    });
  });

  it('a valid pass the phone has never seen still verifies: the signature is what counts', async () => {
    await phoneHas();
    const fresh = makePass(key, { id: 'AB12CD34', name: '李华' });
    expect(await checkPassText(fresh.token, TODAY)).toMatchObject({
      ok: true,
      pass: { name: '李华' },
    });
  });

  it('a forged pass does not: another key under the committee’s kid, or no real signature', async () => {
    await phoneHas();
    const forged = makePass({ ...other, kid: key.kid }, { name: '假冒' });
    expect(await checkPassText(forged.token, TODAY)).toMatchObject({
      ok: false,
      problem: 'forged',
    });
    const [head, body] = makePass(key).token.split('.');
    const zeros = `${head}.${body}.${base64urlEncode(new Uint8Array(64))}`;
    expect(await checkPassText(zeros, TODAY)).toMatchObject({ ok: false, problem: 'forged' });
  });

  it('an altered pass does not: a changed name, date or number, or one flipped signature bit', async () => {
    await phoneHas();
    const [head, body, sig] = makePass(key, { validUntil: '2020-02-10' }).token.split('.') as [
      string,
      string,
      string,
    ];
    const payload = JSON.parse(utf8Decode(base64urlDecode(body)!)!);
    for (const change of [
      { n: '李四' },
      { u: '2099-12-31' },
      { p: 'AAAAAAAA' },
      { a: '1号楼 101' },
    ]) {
      const altered = base64urlEncode(utf8Encode(JSON.stringify({ ...payload, ...change })));
      expect(await checkPassText(`${head}.${altered}.${sig}`, TODAY)).toMatchObject({
        ok: false,
        problem: 'forged',
      });
    }
    const bytes = base64urlDecode(sig)!;
    bytes[0]! ^= 0x80;
    expect(await checkPassText(`${head}.${body}.${base64urlEncode(bytes)}`, TODAY)).toMatchObject({
      ok: false,
      problem: 'forged',
    });
  });

  it('an expired pass does not, from the day after its last day', async () => {
    const pass = makePass(key, { validUntil: TODAY });
    await phoneHas(pass);
    expect((await checkPassText(pass.token, TODAY)).ok).toBe(true);
    expect(await checkPassText(pass.token, '2020-02-04')).toEqual({
      ok: false,
      problem: 'expired',
      pass: expect.objectContaining({ name: '王小明', validUntil: TODAY }),
    });
  });

  it('a revoked pass does not, although its signature is good', async () => {
    const pass = makePass(key);
    await phoneHas({ ...pass, status: 'revoked' });
    expect(await checkPassText(pass.token, TODAY)).toMatchObject({ ok: false, problem: 'revoked' });
  });

  it('a pass signed by a key the phone has not received cannot be checked yet', async () => {
    await phoneHas();
    const pass = makePass(other);
    expect(await checkPassText(pass.token, TODAY)).toMatchObject({
      ok: false,
      problem: 'unknownKey',
    });
  });

  it('another QR code is not a pass', async () => {
    await phoneHas();
    for (const text of ['https://example.org/?enroll=ABC', 'GP1.e30.AAAA', '', 'GP1..']) {
      expect(await checkPassText(text, TODAY)).toEqual({ ok: false, problem: 'notAPass' });
    }
  });

  it('key rotation: passes of the retired key verify until they expire, new ones with the new key', async () => {
    const oldPass = makePass(key, { id: 'A1D00001', validUntil: '2020-02-10' });
    const newPass = makePass(other, { id: 'NEW00002', validUntil: '2020-06-30' });
    await applyPulledPage(
      makePage(
        [publicKey(key, Date.parse('2020-02-02T00:00:00Z')), publicKey(other)],
        [
          { kind: 'pass', pass: oldPass },
          { kind: 'pass', pass: newPass },
        ],
      ),
      `${TODAY}T08:00:00.000+08:00`,
      TODAY,
    );
    expect((await checkPassText(oldPass.token, TODAY)).ok).toBe(true);
    expect((await checkPassText(newPass.token, TODAY)).ok).toBe(true);
    expect(await checkPassText(oldPass.token, '2020-02-11')).toMatchObject({ problem: 'expired' });
    // Once the server stops publishing the retired key, its passes no longer verify at all.
    await applyPulledPage(makePage([publicKey(other)], []), `${TODAY}T09:00:00.000+08:00`, TODAY);
    expect(await checkPassText(oldPass.token, TODAY)).toMatchObject({ problem: 'unknownKey' });
    expect((await checkPassText(newPass.token, TODAY)).ok).toBe(true);
  });

  it('verifyPassToken checks only the signature', async () => {
    const pass = makePass(key, { validUntil: '2001-01-01' });
    expect((await verifyPassToken(pass.token, [publicKey(key)])).ok).toBe(true);
    expect(await verifyPassToken(pass.token, [])).toMatchObject({ problem: 'unknownKey' });
  });
});

describe('a typed pass number', () => {
  it('finds the pulled pass, forgiving case, dashes and O for 0', async () => {
    const pass = makePass(key, { id: '7K3M9QX0' });
    await phoneHas(pass);
    expect(await checkPassNumber('7k3m-9qxo', TODAY)).toMatchObject({
      ok: true,
      pass: { id: '7K3M9QX0' },
    });
  });

  it('is refused when the phone has no such pass, or it is revoked or expired', async () => {
    const revoked = makePass(key, { id: 'RRRR0001' });
    const expired = makePass(key, { id: 'EEEE0001', validUntil: '2020-02-02' });
    await phoneHas({ ...revoked, status: 'revoked' }, expired);
    expect(await checkPassNumber('ZZZZ9999', TODAY)).toEqual({
      ok: false,
      problem: 'unknownNumber',
    });
    expect(await checkPassNumber('hello', TODAY)).toEqual({ ok: false, problem: 'notAPass' });
    expect(await checkPassNumber('RRRR-0001', TODAY)).toMatchObject({ problem: 'revoked' });
    expect(await checkPassNumber('EEEE-0001', TODAY)).toMatchObject({ problem: 'expired' });
  });

  it('is refused when the stored token is another pass’s', async () => {
    const real = makePass(key, { id: 'AAAA0001' });
    await phoneHas({ ...real, id: 'BBBB0002' });
    expect(await checkPassNumber('BBBB0002', TODAY)).toMatchObject({
      ok: false,
      problem: 'forged',
    });
  });
});

import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { DEFAULT_GATE_RULES, type EnrollResponse } from '../../src/shared';
import {
  GateLogDb,
  db,
  getSetting,
  outboxStats,
  saveEntry,
  setDb,
  setSetting,
  startShift,
} from '../../src/app/db';
import {
  EnrollError,
  defaultDeviceName,
  enrollDevice,
  normalizeServerUrl,
  parseEnrollInput,
} from '../../src/app/sync/enroll';
import { SyncEngine, noLock, setSyncEngine } from '../../src/app/sync/sync-engine';
import { makeEntry } from '../support/factories';

const answer: EnrollResponse = {
  deviceId: 'dev-42',
  token: 'secret-token',
  gate: { id: 'gate-2', name: '2号门', rules: { ...DEFAULT_GATE_RULES, feverThresholdC: 37.5 } },
};

function respond(status: number, body: unknown, headers: Record<string, string> = {}) {
  return vi.fn(
    async (_url: RequestInfo | URL, _init?: RequestInit) =>
      new Response(typeof body === 'string' ? body : JSON.stringify(body), { status, headers }),
  );
}

let n = 0;
let engine: SyncEngine;

beforeEach(() => {
  setDb(new GateLogDb(`test-enroll-${n++}`));
  engine = new SyncEngine({ appVersion: 't', fetch: vi.fn(), lock: noLock, env: {} });
  vi.spyOn(engine, 'onEnrolled').mockImplementation(() => {});
  setSyncEngine(engine);
});

afterEach(() => setSyncEngine(undefined));

describe('enrollDevice', () => {
  it('trades the code for a token, stores enrollment and gate, and wakes the sync runner', async () => {
    const fetch = respond(201, answer);
    await setSetting('authProblem', { status: 401, at: '2020-02-03T08:00:00.000+08:00' });
    const result = await enrollDevice(' ABC-123 ', 'https://srv.example/', {
      fetch,
      deviceName: '2号门 手机A',
    });

    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('https://srv.example/api/v1/enroll');
    expect(init?.method).toBe('POST');
    expect(JSON.parse(String(init?.body))).toEqual({
      code: 'ABC-123',
      deviceName: '2号门 手机A',
      retryKey: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
    });
    expect(new Headers(init?.headers).get('authorization')).toBeNull();

    expect(result.gate.name).toBe('2号门');
    expect(await getSetting('enrollment')).toMatchObject({
      serverUrl: 'https://srv.example',
      deviceId: 'dev-42',
      token: 'secret-token',
    });
    expect((await getSetting('enrollment'))?.enrolledAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(await getSetting('gate')).toEqual(answer.gate);
    expect(await getSetting('authProblem')).toBeUndefined();
    expect(engine.onEnrolled).toHaveBeenCalledOnce();
  });

  it('uses the same origin when no server is given', async () => {
    const fetch = respond(201, answer);
    await enrollDevice('ABC', '', { fetch });
    expect(fetch.mock.calls[0]![0]).toBe('/api/v1/enroll');
    expect((await getSetting('enrollment'))?.serverUrl).toBe('');
    const body = JSON.parse(String(fetch.mock.calls[0]![1]?.body)) as { deviceName: string };
    expect(body.deviceName.length).toBeGreaterThan(0);
  });

  it('re-enrolling replaces who the phone is and never touches its records', async () => {
    const shift = await startShift('gate-1', '王师傅');
    await saveEntry(makeEntry(), { shift, deviceId: 'dev-old', rules: DEFAULT_GATE_RULES });
    await setSetting('enrollment', {
      serverUrl: '',
      deviceId: 'dev-old',
      token: 'old',
      enrolledAt: '2020-02-01T08:00:00.000+08:00',
    });
    const before = await db.records.toArray();
    await enrollDevice('NEW', '', { fetch: respond(201, answer) });
    expect(await db.records.toArray()).toEqual(before);
    expect(await outboxStats()).toMatchObject({ pending: 1 });
    expect((await getSetting('enrollment'))?.deviceId).toBe('dev-42');
  });

  it.each([
    [410, { error: 'code_expired', message: 'expired' }, {}, 'expired'],
    [409, { error: 'code_used', message: 'used' }, {}, 'used'],
    [404, { error: 'code_unknown', message: 'unknown' }, {}, 'unknown'],
    [404, '<html>Not Found</html>', {}, 'not_a_server'],
    [400, { error: 'invalid', message: 'code: required' }, {}, 'invalid_code'],
    [500, { error: 'internal', message: 'boom' }, {}, 'server'],
    [200, '<html>captive portal</html>', {}, 'not_a_server'],
  ] as const)(
    'turns HTTP %i into a clear reason and stores nothing',
    async (status, body, headers, reason) => {
      const err = await enrollDevice('ABC', '', { fetch: respond(status, body, headers) }).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(EnrollError);
      expect((err as EnrollError).reason).toBe(reason);
      expect(await getSetting('enrollment')).toBeUndefined();
      expect(await getSetting('gate')).toBeUndefined();
      expect(engine.onEnrolled).not.toHaveBeenCalled();
    },
  );

  it('says how long to wait when rate-limited', async () => {
    const err = (await enrollDevice('ABC', '', {
      fetch: respond(429, { error: 'rate_limited', message: 'slow down' }, { 'retry-after': '60' }),
    }).catch((e: unknown) => e)) as EnrollError;
    expect(err.reason).toBe('rate_limited');
    expect(err.retryAfterMs).toBe(60_000);
  });

  it('reports a network failure as such', async () => {
    const fetch = vi.fn(async () => {
      throw new TypeError('Failed to fetch');
    });
    const err = (await enrollDevice('ABC', 'srv.example', { fetch }).catch(
      (e: unknown) => e,
    )) as EnrollError;
    expect(err.reason).toBe('network');
  });

  it('tries a code again with the same key, so an enrollment whose answer was lost is given again', async () => {
    let lose = true;
    const keys: string[] = [];
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      keys.push((JSON.parse(String(init?.body)) as { retryKey: string }).retryKey);
      if (lose) throw new TypeError('Failed to fetch'); // the answer never came
      return new Response(JSON.stringify(answer), { status: 201 });
    });
    const err = (await enrollDevice('K7Q-2M', 'srv.example', { fetch }).catch(
      (e: unknown) => e,
    )) as EnrollError;
    expect(err.reason).toBe('network');
    lose = false;
    await enrollDevice(' k7q 2m ', 'srv.example', { fetch });
    expect(keys[1]).toBe(keys[0]);
    // Another code, or another server, has a key of its own.
    await enrollDevice('OTHER', 'srv.example', { fetch });
    await enrollDevice('K7Q-2M', 'srv2.example', { fetch });
    expect(new Set(keys).size).toBe(3);
    expect(keys[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("keeps a lost answer's key in the phone's storage until the code enrolls it", async () => {
    const sent: string[] = [];
    let lose = true;
    const fetch = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
      sent.push((JSON.parse(String(init?.body)) as { retryKey: string }).retryKey);
      if (lose) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify(answer), { status: 201 });
    });
    const name = 'gatelog:enroll-key:https://kept.example K7Q2M';
    const storage = () => {
      const items = new Map<string, string>();
      return {
        getItem: (k: string) => items.get(k) ?? null,
        setItem: (k: string, v: string) => void items.set(k, v),
        removeItem: (k: string) => void items.delete(k),
      };
    };
    vi.stubGlobal('localStorage', storage());
    vi.stubGlobal('sessionStorage', storage());
    onTestFinished(() => void vi.unstubAllGlobals());
    await enrollDevice('K7Q-2M', 'kept.example', { fetch }).catch(() => {});
    // localStorage, not the tab's sessionStorage: the installed app closed takes that with it.
    expect(localStorage.getItem(name)).toBe(sent[0]);
    expect(sessionStorage.getItem(name)).toBeNull();
    lose = false;
    await enrollDevice('k7q2m', 'kept.example', { fetch });
    expect(sent[1]).toBe(sent[0]);
    expect(localStorage.getItem(name)).toBeNull();
  });

  it('refuses an empty code and a bad server address without calling the server', async () => {
    const fetch = respond(201, answer);
    await expect(enrollDevice('  ', '', { fetch })).rejects.toMatchObject({
      reason: 'invalid_code',
    });
    await expect(enrollDevice('ABC', 'ftp://srv.example', { fetch })).rejects.toMatchObject({
      reason: 'bad_server_url',
    });
    expect(fetch).not.toHaveBeenCalled();
  });
});

describe('enrollment input', () => {
  it('reads a bare code or a whole enrollment link', () => {
    expect(parseEnrollInput(' K7Q-2M ')).toEqual({ code: 'K7Q-2M' });
    expect(parseEnrollInput('https://gl.example.org/?enroll=K7Q-2M')).toEqual({
      code: 'K7Q-2M',
      serverUrl: 'https://gl.example.org',
    });
  });

  it('normalizes the server address; the app’s own origin becomes same-origin', () => {
    expect(normalizeServerUrl('', 'https://app.example')).toBe('');
    expect(normalizeServerUrl('https://app.example/', 'https://app.example')).toBe('');
    expect(normalizeServerUrl('gl.example.org', 'https://app.example')).toBe(
      'https://gl.example.org',
    );
    expect(normalizeServerUrl('http://10.0.0.5:8080/gatelog/', 'https://app.example')).toBe(
      'http://10.0.0.5:8080/gatelog',
    );
    expect(() => normalizeServerUrl('ftp://x', 'https://app.example')).toThrow(EnrollError);
  });

  it('names the phone by its kind and date', () => {
    expect(defaultDeviceName('Mozilla/5.0 (Linux; Android 10; SM-G960F)')).toMatch(
      /^Android \d{4}-\d\d-\d\d$/,
    );
    expect(defaultDeviceName('Mozilla/5.0 (iPhone; CPU iPhone OS 13_3 like Mac OS X)')).toMatch(
      /^iPhone /,
    );
  });
});

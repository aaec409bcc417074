import 'fake-indexeddb/auto';
import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import {
  GateLogDb,
  endShift,
  getSetting,
  readStartup,
  saveDraft,
  saveEntry,
  setDb,
  setSetting,
  startShift,
} from '../../src/app/db';
import { makeEntry } from '../support/factories';

let n = 0;
/** The mode of every IndexedDB transaction the database opens. */
let modes: string[] = [];

beforeEach(() => {
  const next = new GateLogDb(`test-startup-${n++}`);
  next.use({
    stack: 'dbcore',
    name: 'record-modes',
    create: (down) => ({
      ...down,
      transaction: (stores, mode, options) => {
        modes.push(mode);
        return down.transaction(stores, mode, options);
      },
    }),
  });
  setDb(next);
});

describe('the start-up read', () => {
  it('gives a new phone an id once, with the default rules and no shift', async () => {
    const first = await readStartup();
    expect(first).toMatchObject({ rules: DEFAULT_GATE_RULES, shift: undefined, draft: undefined });
    expect(first.deviceId).toMatch(/^local-/);
    expect(await getSetting('deviceId')).toBe(first.deviceId);
    expect((await readStartup()).deviceId).toBe(first.deviceId);
  });

  it('reads the gate, enrollment, shift, draft and sync state in one read-only transaction', async () => {
    const rules = { ...DEFAULT_GATE_RULES, feverThresholdC: 37.5 };
    await setSetting('gate', { id: 'gate-1', name: 'North gate', rules });
    await setSetting('enrollment', {
      serverUrl: 'https://example.org',
      deviceId: 'dev-9',
      token: 't',
      enrolledAt: '2020-02-03T08:00:00.000+08:00',
    });
    const shift = await startShift('gate-1', 'Wang');
    await saveDraft({ person: { name: '孙八' } });
    await saveEntry(makeEntry(), { shift, deviceId: 'dev-9', rules });
    await setSetting('lastSync', { at: '2020-02-03T09:00:00.000+08:00' });
    await setSetting('authProblem', { status: 401, at: '2020-02-03T09:00:00.000+08:00' });

    modes = [];
    const s = await readStartup();
    expect(modes).toEqual(['readonly']);
    expect(s).toMatchObject({
      deviceId: 'dev-9',
      gate: { id: 'gate-1', name: 'North gate' },
      rules,
      shift: { id: shift.id, guard: 'Wang' },
      draft: { person: { name: '孙八' } },
      lastSync: { at: '2020-02-03T09:00:00.000+08:00' },
      authProblem: { status: 401 },
      erased: undefined,
      pending: 1,
      rejected: 0,
    });
  });

  it('leaves out an ended shift', async () => {
    const shift = await startShift('gate-1', 'Wang');
    await endShift(shift.id);
    expect((await readStartup()).shift).toBeUndefined();
  });
});

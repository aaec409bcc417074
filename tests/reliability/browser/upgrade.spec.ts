/**
 * Scenario 10 — the app is upgraded on a phone with work outstanding. The phone's database was
 * written by the previous release (Dexie schema version 1, support/v1-database.ts) and holds
 * 1,000 records not sent yet, and a tab of that release still has it open. The new build (this
 * one: its newest Dexie version, 2 today) opens it: the old tab lets go, the upgrade runs from
 * version 1 through every later one, and nothing is lost — all 1,000 reach the server, once, and
 * so does an entry saved in the old tab after the upgrade.
 * Then a newer service worker is offered and accepted, and still everything is there.
 */
import { DEFAULT_GATE_RULES } from '../../../src/shared';
import { localIsoWithOffset } from '../../../src/app/db/time';
import { uuidv7 } from '../../../src/app/db/uuid';
import { createGate, enrollPhone } from '../../e2e/support/admin';
import { nameBox, waitForServiceWorker } from '../../e2e/support/app';
import { expect, forEachDatabase, test } from './support/fixtures';
import {
  expectServerHoldsExactly,
  makeRecords,
  phoneRecords,
  storedRow,
  syncBar,
  waitUntilNothingPending,
} from './support/phone';
import { watchSync } from './support/sync-watch';
import {
  V1_STORES,
  declaredVersion1Stores,
  latestDeclaredVersion,
  nativeVersion,
  storeNames,
  storedVersion,
  writeV1Database,
} from './support/v1-database';

const RECORDS = 1_000;

test('the released version 1 schema is still declared exactly as the v1 database is written', () => {
  expect(declaredVersion1Stores()).toEqual(V1_STORES);
});

forEachDatabase(() => {
  test(`a version 1 database with ${RECORDS} unsent records and an old tab open: the new build upgrades it, loses nothing, sends all`, async ({
    page: oldTab,
    context,
    server,
  }) => {
    // The phone, as the previous release enrolled it and left it: mid-shift, 1,000 waiting.
    const gate = await createGate(server, 'Upgrade Gate');
    const enrolled = await enrollPhone(server, gate.id, 'Old release phone');
    const startedAt = Date.now() - 3 * 3_600_000;
    const shift = {
      id: uuidv7(startedAt),
      gateId: gate.id,
      guard: 'Old Guard',
      startedAt: localIsoWithOffset(new Date(startedAt)),
      counts: { total: RECORDS, in: RECORDS, out: 0, fever: 0, returnees: 0, refused: 0 },
    };
    const who = {
      deviceId: enrolled.deviceId,
      gateId: gate.id,
      shiftId: shift.id,
      guard: shift.guard,
    };
    const records = makeRecords(who, RECORDS, {
      at: startedAt + 60_000,
      name: (i) => `Upgrade ${String(i).padStart(4, '0')}`,
    });
    await oldTab.goto('/healthz');
    await writeV1Database(oldTab, {
      settings: [
        {
          key: 'enrollment',
          value: {
            serverUrl: '',
            deviceId: enrolled.deviceId,
            token: enrolled.token,
            enrolledAt: localIsoWithOffset(new Date(startedAt - 86_400_000)),
          },
        },
        { key: 'gate', value: { id: gate.id, name: gate.name, rules: DEFAULT_GATE_RULES } },
        { key: 'currentShiftId', value: shift.id },
        { key: 'guards', value: [shift.guard] },
      ],
      shifts: [shift],
      records: records.map((r) => storedRow(r, startedAt + 60_000)),
      counters: [{ key: 'pending', n: RECORDS }],
    });
    expect(await storedVersion(oldTab)).toBe(nativeVersion(1));

    // The new build opens it while the old tab still holds it.
    const watch = await watchSync(context);
    const app = await context.newPage();
    await app.goto('/?lang=en');
    await expect(nameBox(app)).toBeVisible();
    await expect(app.getByText('Old Guard', { exact: true })).toBeVisible();
    expect(await storedVersion(app)).toBe(nativeVersion(latestDeclaredVersion()));
    expect(await storeNames(app)).toEqual(expect.arrayContaining(Object.keys(V1_STORES)));
    // The old tab was asked to let go, and did (Dexie closes on versionchange).
    expect(await oldTab.evaluate(() => window.__gatelogV1VersionChange ?? 0)).toBeGreaterThan(0);

    // …and reopened it at the new version when next used (Dexie 4): an entry the guard saves
    // in the old tab after the upgrade lands in the upgraded database, and goes too.
    const [late] = makeRecords(who, 1, { name: () => 'Saved in the old tab' });
    await oldTab.evaluate(
      async ({ row }) => {
        const db = window.__gatelogV1!;
        await db.transaction('rw', ['records', 'counters'], async () => {
          await db.table('records').add(row);
          const pending = await db.table('counters').get('pending');
          await db.table('counters').put({ key: 'pending', n: (pending?.n ?? 0) + 1 });
        });
      },
      { row: storedRow(late!, Date.now() - 60_000) },
    );
    expect(await oldTab.evaluate(() => window.__gatelogV1!.isOpen())).toBe(true);
    expect(await storedVersion(app)).toBe(nativeVersion(latestDeclaredVersion()));
    await syncBar(app).getByRole('button', { name: 'Sync now' }).click();

    const expected = [...records, late!].map((r) => r.id).sort();
    await waitUntilNothingPending(app, 90_000);
    await expect(syncBar(app)).toContainText('Every record has been sent');
    const onPhone = await phoneRecords(app);
    expect(onPhone.map((r) => r.id).sort()).toEqual(expected);
    expect(onPhone.every((r) => r.syncState === 'synced')).toBe(true);
    await expectServerHoldsExactly(server, gate.id, expected);
    expect(Math.max(...watch.calls.map((c) => c.ids.length))).toBeLessThanOrEqual(500);
    await watch.stop();

    // A newer service worker after that: offered, accepted, and nothing moves.
    await waitForServiceWorker(app);
    server.override('/sw.js', (body) => `${body}\n// the next release\n`);
    await app.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
    const banner = app.getByRole('region', { name: 'A new version is ready' });
    await expect(banner).toBeVisible();
    const reloaded = app.waitForEvent('load');
    await banner.getByRole('button', { name: 'Update' }).click();
    await reloaded;
    await expect(nameBox(app)).toBeVisible();
    await expect(syncBar(app)).toContainText('Every record has been sent');
    const after = await phoneRecords(app);
    expect(after).toHaveLength(RECORDS + 1);
    expect(after.every((r) => r.syncState === 'synced')).toBe(true);
  });
});

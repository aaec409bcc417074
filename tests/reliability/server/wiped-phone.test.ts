/**
 * Scenario 13 (server part): a phone the server already knows loses its local storage. The
 * server tells it what it last acknowledged from it: `GET /api/v1/device/config` (device token)
 * carries `lastRecordId` and `lastSyncAt` for the calling device, so the phone can see that the
 * server holds records it no longer has. The mark only grows: a resend of older records does
 * not move it back.
 *
 * A real server process and a node phone; the wipe replaces the phone's database with an empty
 * one that keeps only the enrollment (what survives when the token is kept or restored).
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { DeviceConfig, SyncResponse } from '../../../src/shared';
import { enrollPhone, type NodePhone } from '../support/phone';
import {
  PROCESS_ADMIN_TOKEN,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process';
import {
  createScratchDb,
  describeEachStore,
  storeTargets,
  type ScratchDb,
} from '../support/stores';

async function deviceConfig(base: string, token: string): Promise<DeviceConfig> {
  const res = await fetch(`${base}/api/v1/device/config`, {
    headers: { authorization: `Bearer ${token}` },
  });
  expect(res.status).toBe(200);
  return (await res.json()) as DeviceConfig;
}

const targets = await storeTargets('reliability scenario 13 (wiped phone)');

describeEachStore('scenario 13: a known phone whose storage was wiped', targets, (target) => {
  let db: ScratchDb;
  let server: ServerProcess;
  let phone: NodePhone | undefined;

  beforeAll(async () => {
    db = await createScratchDb(target, 'wiped');
    server = await startServerProcess(db);
  });
  afterAll(async () => {
    phone?.stop();
    await server?.stop();
    await db?.drop();
  });

  it('device config reports the last record the server acknowledged and when it last synced', async () => {
    phone = await enrollPhone({ serverUrl: server.base, adminToken: PROCESS_ADMIN_TOKEN });
    expect(await deviceConfig(server.base, phone.token)).toMatchObject({
      deviceId: phone.deviceId,
      lastRecordId: null,
      lastSyncAt: null,
    });

    const ids = await phone.save(30);
    const before = Date.now();
    phone.engine.start();
    await phone.waitUntilAllSent(30_000);
    const after = Date.now();
    phone.engine.stop();
    const last = [...ids].sort().at(-1)!;

    const oldest = (await phone.db.getRecord([...ids].sort()[0]!))!.record;

    // The wipe: every record gone, the enrollment kept.
    const enrollment = await phone.db.getSetting('enrollment');
    phone.db.setDb(new phone.db.GateLogDb(`wiped-${phone.deviceId}`));
    await phone.db.setSetting('enrollment', enrollment!);
    expect(await phone.db.db.records.count()).toBe(0);

    const config = await deviceConfig(server.base, phone.token);
    expect(config.lastRecordId).toBe(last);
    const syncedAt = Date.parse(config.lastSyncAt!);
    expect(syncedAt).toBeGreaterThanOrEqual(before - 1_000);
    expect(syncedAt).toBeLessThanOrEqual(after + 1_000);
    expect(await db.recordIds()).toContain(last);
    expect(await phone.db.getRecord(config.lastRecordId!)).toBeUndefined();

    // The committee sees the same mark.
    const list = await fetch(`${server.base}/api/v1/devices`, {
      headers: { authorization: `Bearer ${PROCESS_ADMIN_TOKEN}` },
    });
    const devices = ((await list.json()) as { devices: { id: string; lastRecordId: string }[] })
      .devices;
    expect(devices.find((d) => d.id === phone!.deviceId)?.lastRecordId).toBe(last);

    // The oldest record sent again is a duplicate: acknowledged, and the mark stays.
    const resend = await fetch(`${server.base}/api/v1/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${phone.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        batchId: crypto.randomUUID(),
        device: { appVersion: 'reliability', pending: 1 },
        records: [oldest],
      }),
    });
    expect(resend.status).toBe(200);
    expect(((await resend.json()) as SyncResponse).duplicates).toEqual([oldest.id]);
    expect((await deviceConfig(server.base, phone.token)).lastRecordId).toBe(last);
  });
});

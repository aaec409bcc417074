/**
 * Joining a server: the enrollment, the gate and its rules stored in one transaction, and the
 * entries logged before it addressed to that gate and device. Used by sync/enroll.ts only.
 */
import { db } from './db';
import { resendAfter } from './outbox-repo';
import {
  LOCAL_GATE_ID,
  deleteSetting,
  setSetting,
  type Enrollment,
  type GateSetting,
} from './settings-repo';

/**
 * Stores a (re-)enrollment in one transaction: who the phone is, its gate and rules, and
 * forgets an earlier auth problem. Records are not touched, but for those of an enrollment the
 * server lost (`lostDeviceId`), pending again.
 */
export async function saveEnrollment(
  enrollment: Enrollment,
  gate: GateSetting,
  lostDeviceId?: string,
): Promise<void> {
  await db.transaction(
    'rw',
    [db.settings, db.records, db.outbox, db.rejections, db.shifts, db.counters],
    async () => {
      await setSetting('enrollment', enrollment);
      await setSetting('gate', gate);
      await deleteSetting('authProblem');
      await addressLocalRecords(enrollment.deviceId, gate.id);
      // The server no longer knew the enrollment replaced (restored from an earlier backup): what
      // it acknowledged to it may be gone too, and goes again (a duplicate where it is not).
      if (lostDeviceId !== undefined) await resendAfter(null, lostDeviceId);
    },
  );
}

/**
 * Entries logged before the phone joined a server carry no real gate or device: they could
 * never be sent. On enrollment they take the gate and device the server gave, so they sync
 * like the rest. Only such never-sendable records change; anything addressed stays as it is.
 */
async function addressLocalRecords(deviceId: string, gateId: string): Promise<void> {
  await db.records
    .where('[gateId+day+id]')
    // Every key of the local gate: [gate] sorts before them, [gate, []] after (arrays sort
    // after strings).
    .between([LOCAL_GATE_ID], [LOCAL_GATE_ID, []])
    .modify((r) => {
      r.gateId = gateId;
      r.record = { ...r.record, gateId, deviceId };
    });
  await db.shifts
    .where('id')
    .above('')
    .filter((s) => s.gateId === LOCAL_GATE_ID)
    .modify({ gateId });
}

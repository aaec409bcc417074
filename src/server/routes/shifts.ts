/**
 * POST /api/v1/shifts/:id/close (DESIGN.md §5.7): the phone says how many records its shift
 * has and the SHA-256 of their sorted ids; the server answers with what it holds of that shift
 * from this phone, and a receipt only when both agree.
 */
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import {
  CATEGORIES,
  DIRECTIONS,
  passageAmong,
  shiftCloseRequestSchema,
  shiftDigestInput,
  type ShiftCloseResponse,
  type ShiftReceipt,
} from '../../shared';
import type { AppContext } from '../context';
import { deviceOf } from '../auth';
import { HttpError } from '../errors';
import { sha256Hex } from '../secrets';
import type { ShiftRecordFacts } from '../store/types';
import { parseOr400 } from '../validate';

const paramsSchema = z.object({ id: z.uuid() });

const zeroCounts = (keys: readonly string[]): Record<string, number> =>
  Object.fromEntries(keys.map((k) => [k, 0]));

/**
 * The receipt's counts of the people a shift logged: a correction replaces the record it
 * amends, and the newest of two corrections of one record the other (all stay stored and are
 * counted in `recordCount`), as on the phone's summary and in the committee's log. A correction
 * made in this shift of a record of an earlier one is no passage of this shift: it is counted in
 * `recordCount` only (the earlier shift's receipt counts that passage). `later`: the versions of
 * this shift's records made in later shifts (`Store.laterVersions`); each passage is counted as
 * last corrected, wherever that was stored, as the phone counts it in this shift.
 */
export function shiftCounts(
  facts: readonly ShiftRecordFacts[],
  later: readonly ShiftRecordFacts[] = [],
): Pick<ShiftReceipt, 'byDirection' | 'byCategory' | 'fever' | 'returnees' | 'refused'> {
  const byDirection = zeroCounts(DIRECTIONS);
  const byCategory = zeroCounts(CATEGORIES);
  let fever = 0;
  let returnees = 0;
  let refused = 0;
  const versions = [...facts, ...later];
  /** Each corrected record's newest correction. */
  const newest = new Map<string, string>();
  for (const f of versions) {
    if (f.amends !== null && f.id > (newest.get(f.amends) ?? '')) newest.set(f.amends, f.id);
  }
  const byId = new Map(versions.map((f) => [f.id, f]));
  for (const f of versions) {
    if ((newest.get(f.id) ?? '') > f.id) continue;
    if (f.amends !== null && newest.get(f.amends)! > f.id) continue;
    if (f.amends !== null && !passageAmong(f, byId)) continue;
    byDirection[f.direction] = (byDirection[f.direction] ?? 0) + 1;
    byCategory[f.category] = (byCategory[f.category] ?? 0) + 1;
    if (f.isFever) fever++;
    if (f.returneeStatus !== 'none') returnees++;
    if (f.decision === 'refused') refused++;
  }
  return { byDirection, byCategory, fever, returnees, refused };
}

export default function shiftsRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/shifts/:id/close', { preHandler: ctx.auth.device }, async (request) => {
    const device = deviceOf(request);
    const { id: shiftId } = parseOr400(paramsSchema, request.params);
    const body = parseOr400(shiftCloseRequestSchema, request.body);
    // A shift is the phone's that began it: the first of its records the server stored came
    // from that phone (under this enrollment or an earlier one), and its records are those the
    // phone logged. Another phone of the gate that sends records with the shift's id (a bug, or
    // a guess) has them stored, as every record is, and in the log; they are no part of this
    // shift's receipt, and that phone cannot end the shift.
    const phoneIds = new Set([device.id, ...device.formerDevices.map((f) => f.deviceId)]);
    const isPhones = (f: ShiftRecordFacts) => phoneIds.has(f.deviceId);
    // A shift begun under an earlier enrollment at another gate is that gate's.
    let gateId = device.gateId;
    let held = await ctx.store.shiftSummary(gateId, shiftId);
    for (const former of held.some(isPhones) ? [] : device.formerDevices) {
      const theirs = await ctx.store.shiftSummary(former.gateId, shiftId);
      if (theirs.some(isPhones)) {
        [gateId, held] = [former.gateId, theirs];
        break;
      }
    }
    // The first stored (`held` is in id order: of two stored at once, the older).
    const first = held.reduce<ShiftRecordFacts | undefined>(
      (a, f) => (a === undefined || f.receivedAt < a.receivedAt ? f : a),
      undefined,
    );
    if (first && !isPhones(first)) {
      throw new HttpError(
        409,
        'shift_of_another_phone',
        'This shift was begun on another phone of the gate: only that phone can end it.',
      );
    }
    const facts = held.filter(isPhones);
    const digest = sha256Hex(shiftDigestInput(facts.map((f) => f.id)));
    const now = ctx.now();
    await ctx.store.touchDevice(device.id, { seenAt: now });

    const complete = facts.length === body.recordCount && digest === body.digest;
    if (!complete) {
      const answer: ShiftCloseResponse = { received: facts.length, complete: false, receipt: null };
      return answer;
    }
    const receipt: ShiftReceipt = {
      shiftId,
      gateId,
      recordCount: facts.length,
      ...shiftCounts(facts, (await ctx.store.laterVersions(gateId, shiftId)).filter(isPhones)),
      closedAt: new Date(now).toISOString(),
    };
    await ctx.store.saveShiftClose({
      deviceId: device.id,
      shiftId,
      gateId,
      recordCount: facts.length,
      digest,
      receipt: JSON.stringify(receipt),
      closedAt: now,
    });
    const answer: ShiftCloseResponse = { received: facts.length, complete: true, receipt };
    return answer;
  });
}

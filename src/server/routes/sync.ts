/**
 * POST /api/v1/sync (DESIGN.md §5): one batch from one phone. Each record is parsed alone with
 * the gate's schema, so one bad record never sinks the batch; the valid ones go into the store
 * in one transaction, and every record gets exactly one answer: accepted, duplicate (same id,
 * same content, already stored) or rejected with a reason. A known id with other content is a
 * conflict and never overwrites what is stored.
 */
import type { FastifyInstance } from 'fastify';
import { syncRequestSchema, type SyncResponse } from '../../shared';
import type { AppContext } from '../context';
import { deviceOf } from '../auth';
import { HttpError } from '../errors';
import { idOf, sortRecords, type BatchGate } from '../sync-batch';
import { serverUtcOffsetMinutes } from '../time-zone';
import type { FormerDevice } from '../store/types';
import { parseOr400 } from '../validate';

/**
 * The stored JSON of a batch's records that are stored already, when it looks like a batch sent
 * again (its first record is stored: a phone whose answer was lost sends the same records in the
 * same order); else nothing, for the cost of one look-up.
 */
async function storedAlready(ctx: AppContext, records: unknown[]): Promise<Map<string, string>> {
  const ids = records.map(idOf);
  const first = ids[0];
  if (first === undefined || (await ctx.store.storedRecordJson([first])).size === 0) {
    return new Map();
  }
  return ctx.store.storedRecordJson(ids);
}

/** The gates of a phone's earlier enrollments, by their device ids, as they are now. */
async function formerGatesOf(
  ctx: AppContext,
  formerDevices: readonly FormerDevice[],
): Promise<Map<string, BatchGate>> {
  const gates = new Map<string, BatchGate>();
  for (const { deviceId, gateId } of formerDevices) {
    const gate = await ctx.store.getGate(gateId);
    if (gate) {
      const { rules, highestFeverThresholdC } = gate;
      gates.set(deviceId, { gateId, rules, highestFeverThresholdC });
    }
  }
  return gates;
}

/**
 * The other phones enrolled at this phone's gate, with when each was revoked (or null), when a record of the batch names a device
 * other than this phone (rare: records a phone saved under an earlier enrollment); else none.
 */
async function gatePhonesOf(
  ctx: AppContext,
  device: { id: string; gateId: string },
  records: readonly unknown[],
): Promise<ReadonlyMap<string, number | null> | undefined> {
  const namesAnother = records.some((r) => {
    const named = (r as { deviceId?: unknown } | null)?.deviceId;
    return typeof named === 'string' && named !== device.id;
  });
  if (!namesAnother) return undefined;
  const phones = await ctx.store.listDevices();
  return new Map(phones.filter((d) => d.gateId === device.gateId).map((d) => [d.id, d.revokedAt]));
}

/** A phone turned away comes back after this many seconds (plus its own spread). */
export const BUSY_RETRY_AFTER_S = 2;
/** How often, at most, the log says that requests were turned away. */
const BUSY_LOG_EVERY_MS = 10_000;

export default function syncRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Sync requests received and not yet answered (their bodies arriving, checked or stored).
  let inFlight = 0;
  let turnedAway = 0;
  let loggedAt = -Infinity;
  // Each request's deadline for its body.
  const bodyDue = new WeakMap<object, ReturnType<typeof setTimeout>>();
  app.post(
    '/api/v1/sync',
    {
      // The phone first: a request without a good token is answered at once and never takes
      // a place in flight (requests that sent their headers and trickled a body held them all).
      onRequest: [
        ctx.auth.device,
        (request, reply, done) => {
          if (inFlight >= ctx.syncMaxInFlight) {
            // Before the body is read: a turned-away batch costs next to nothing, and what is
            // in flight keeps the whole machine (see SYNC_MAX_IN_FLIGHT).
            turnedAway++;
            if (performance.now() - loggedAt >= BUSY_LOG_EVERY_MS) {
              request.log.warn(
                { turnedAway, maxInFlight: ctx.syncMaxInFlight },
                'sync requests turned away: too many at once',
              );
              loggedAt = performance.now();
              turnedAway = 0;
            }
            reply.header('retry-after', String(BUSY_RETRY_AFTER_S));
            done(
              new HttpError(
                503,
                'busy',
                'The server is taking many batches at once; this phone sends again shortly',
              ),
            );
            return;
          }
          inFlight++;
          // A body that stops coming frees its place (SYNC_BODY_TIMEOUT_MS).
          const bodyTimer = setTimeout(() => request.raw.destroy(), ctx.syncBodyTimeoutMs);
          bodyDue.set(request, bodyTimer);
          reply.raw.once('close', () => {
            clearTimeout(bodyTimer);
            inFlight--;
          });
          done();
        },
      ],
      // The body has arrived (and is parsed): no more waiting for it.
      preValidation: (request, _reply, done) => {
        clearTimeout(bodyDue.get(request));
        done();
      },
      bodyLimit: ctx.syncBodyLimitBytes,
    },
    async (request) => {
      const device = deviceOf(request);
      const body = parseOr400(syncRequestSchema, request.body);
      const gate = await ctx.store.getGate(device.gateId);
      if (!gate) throw new Error('The gate of an enrolled device is missing');
      const receivedAt = ctx.now();
      const stored = await storedAlready(ctx, body.records);
      const { rows, rejected, duplicates, acknowledged } = sortRecords(body.records, {
        deviceId: device.id,
        gatePhones: await gatePhonesOf(ctx, device, body.records),
        gateId: device.gateId,
        rules: gate.rules,
        highestFeverThresholdC: gate.highestFeverThresholdC,
        ...(device.formerDevices.length > 0 && {
          formerGates: await formerGatesOf(ctx, device.formerDevices),
        }),
        receivedAt,
        batchId: body.batchId,
        stored,
      });

      const { inserted, existing } = await ctx.store.insertRecords(
        rows,
        {
          deviceId: device.id,
          seenAt: receivedAt,
          status: body.device,
          ...(acknowledged !== undefined && { acknowledged }),
        },
        {
          othersWaiting: inFlight > 1,
          // Looked up by storedAlready a moment ago, and not stored.
          firstNotStored: stored.size === 0 && rows[0]?.id === idOf(body.records[0], 0),
        },
      );
      if (rows.length > 0) ctx.faults?.reach('kill-after-commit');
      const accepted = new Set(inserted);
      for (const row of rows) {
        if (accepted.has(row.id)) continue;
        if (existing.get(row.id) === row.json) duplicates.push(row.id);
        else {
          rejected.push({
            id: row.id,
            code: 'conflict',
            message: 'id: already stored with different content; the stored record is kept',
          });
        }
      }

      const answer: SyncResponse = {
        batchId: body.batchId,
        accepted: inserted,
        duplicates,
        rejected,
        serverTime: new Date(receivedAt).toISOString(),
      };
      const offset = serverUtcOffsetMinutes(receivedAt);
      if (offset !== undefined) answer.utcOffsetMinutes = offset;
      return answer;
    },
  );
}

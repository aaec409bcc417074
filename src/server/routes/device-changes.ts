/**
 * GET /api/v1/device/changes?since=<cursor>: the phone's pull. Changes after the cursor (passes
 * issued and revoked, watchlist entries set and removed) in the order they committed, a page
 * at a time, plus the gate's rules and the published signing keys as they are now.
 *
 * The cursor is the last change's `seq`. Change writers take turns (see the store), so a seq
 * the phone has seen is never followed by a smaller one committing later: resuming from it
 * skips nothing and repeats nothing. The changes are read before the keys, so every pass in
 * a page was signed by a key the same answer publishes. The feed holds only each entity's
 * latest change (`store/feed.ts`), which leaves a phone at any cursor with the same state.
 */
import type { FastifyInstance } from 'fastify';
import {
  DEVICE_CHANGES_DEFAULT_LIMIT,
  deviceChangeSchema,
  deviceChangesQuerySchema,
  type DeviceChangesResponse,
} from '../../shared';
import type { AppContext } from '../context';
import { deviceOf } from '../auth';
import { gateView } from '../gates';
import { publishedKeys } from '../passes/keys';
import { parseOr400 } from '../validate';

export default function deviceChangesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/device/changes', { preHandler: ctx.auth.device }, async (request) => {
    const device = deviceOf(request);
    const q = parseOr400(deviceChangesQuerySchema, request.query);
    const since = Number(q.since ?? '0');
    const limit = q.limit ?? DEVICE_CHANGES_DEFAULT_LIMIT;
    const rows = await ctx.store.listChanges(device.gateId, since, limit + 1);
    const page = rows.slice(0, limit);
    const now = ctx.now();
    const [gate, keys] = await Promise.all([
      ctx.store.getGate(device.gateId),
      publishedKeys(ctx.store, now),
    ]);
    if (!gate) throw new Error('The gate of an enrolled device is missing');
    await ctx.store.touchDevice(device.id, { seenAt: now });
    const answer: DeviceChangesResponse = {
      cursor: String(page.at(-1)?.seq ?? since),
      more: rows.length > limit,
      serverTime: new Date(now).toISOString(),
      gate: gateView(gate),
      keys,
      changes: page.map((r) => deviceChangeSchema.parse(JSON.parse(r.payload))),
    };
    return answer;
  });
}

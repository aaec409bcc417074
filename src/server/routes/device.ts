/**
 * GET /api/v1/device/config: what the phone needs to know about its gate, and what the server
 * last acknowledged from it (so a phone whose storage was wiped can tell what it lost).
 */
import type { FastifyInstance } from 'fastify';
import type { DeviceConfig } from '../../shared';
import type { AppContext } from '../context';
import { deviceOf } from '../auth';
import { gateView } from '../gates';
import { serverUtcOffsetMinutes } from '../time-zone';

export default function deviceRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/device/config', { preHandler: ctx.auth.device }, async (request) => {
    const device = deviceOf(request);
    const gate = await ctx.store.getGate(device.gateId);
    if (!gate) throw new Error('The gate of an enrolled device is missing');
    const now = ctx.now();
    await ctx.store.touchDevice(device.id, { seenAt: now });
    const answer: DeviceConfig = {
      deviceId: device.id,
      gate: gateView(gate),
      serverTime: new Date(now).toISOString(),
      lastRecordId: device.lastRecordId,
      lastSyncAt: device.lastSyncAt === null ? null : new Date(device.lastSyncAt).toISOString(),
    };
    const offset = serverUtcOffsetMinutes(now);
    if (offset !== undefined) answer.utcOffsetMinutes = offset;
    return answer;
  });
}

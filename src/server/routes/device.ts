/** GET /api/v1/device/config: what the phone needs to know about its gate. */
import type { FastifyInstance } from 'fastify';
import type { DeviceConfig } from '../../shared';
import type { AppContext } from '../context';
import { deviceOf } from '../auth';
import { gateView } from '../gates';

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
    };
    return answer;
  });
}

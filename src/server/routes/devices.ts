/** The committee's view of enrolled phones: list and revoke (admin). */
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import type { DeviceSummary } from '../../shared';
import type { AppContext } from '../context';
import { replacements } from '../enrollment';
import type { DeviceRow } from '../store/types';
import { HttpError } from '../errors';
import { parseOr400 } from '../validate';

const paramsSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export default function devicesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/devices', { preHandler: ctx.auth.admin }, async () => {
    const [devices, gates] = await Promise.all([ctx.store.listDevices(), ctx.store.listGates()]);
    const gateNames = new Map(gates.map((g) => [g.id, g.name]));
    const replacedBy = replacements(devices);
    const summaryOf = ({ id, name, gateId }: DeviceRow) => ({
      id,
      name,
      gateName: gateNames.get(gateId) ?? '',
    });
    return {
      devices: devices.map((d): DeviceSummary => ({
        id: d.id,
        name: d.name,
        gateId: d.gateId,
        gateName: gateNames.get(d.gateId) ?? '',
        createdAt: new Date(d.createdAt).toISOString(),
        lastSeenAt: iso(d.lastSeenAt),
        lastSyncAt: iso(d.lastSyncAt),
        revoked: d.revokedAt !== null,
        revokedAt: iso(d.revokedAt),
        lastRecordId: d.lastRecordId,
        status: d.status,
        ...(replacedBy.has(d.id) && { replacedBy: summaryOf(replacedBy.get(d.id)!) }),
      })),
    };
  });

  app.delete('/api/v1/devices/:id', { preHandler: ctx.auth.admin }, async (request, reply) => {
    const { id } = parseOr400(paramsSchema, request.params);
    if (!(await ctx.store.revokeDevice(id, ctx.now()))) {
      throw new HttpError(404, 'device_unknown', 'No such device');
    }
    return reply.code(204).send();
  });
}

/**
 * What the committee's admin API says about phones (`GET /api/v1/devices`), parsed with the
 * shared schema — beside tests/e2e/support/admin.ts, which covers gates, codes and logs.
 */
import { deviceListResponseSchema, type DeviceSummary } from '../../../../src/shared';
import type { GateServer } from '../../../e2e/support/server';

/** Every phone the server knows, with what it last acknowledged from each. */
export async function listDevices(server: GateServer): Promise<DeviceSummary[]> {
  const res = await fetch(`${server.url}/api/v1/devices`, {
    headers: { authorization: `Bearer ${server.adminToken}` },
  });
  if (!res.ok) throw new Error(`GET /api/v1/devices: ${res.status} ${await res.text()}`);
  return deviceListResponseSchema.parse(await res.json()).devices;
}

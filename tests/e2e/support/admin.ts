/**
 * The committee's side of the browser suites: the admin REST API (DESIGN §6) over real HTTP to
 * the server under test, with its admin token — what a staff member's browser or script sees.
 * Answers are parsed with the shared schemas, so a drift in the API fails here, not later.
 */
import {
  deviceListResponseSchema,
  enrollResponseSchema,
  enrollmentCodeResponseSchema,
  gateSchema,
  logsResponseSchema,
  type DeviceSummary,
  type EnrollResponse,
  type Gate,
  type LogItem,
} from '../../../src/shared';
import type { GateServer } from './server';

/** Page size of `listLogs`: small, so a few dozen records already take several pages. */
export const LOGS_PAGE_LIMIT = 20;

async function adminFetch(server: GateServer, path: string, init: RequestInit = {}) {
  if (!server.adminToken) throw new Error(`a ${server.kind} server has no admin API`);
  const res = await fetch(server.url + path, {
    ...init,
    headers: {
      authorization: `Bearer ${server.adminToken}`,
      ...(init.body !== undefined && { 'content-type': 'application/json' }),
      ...init.headers,
    },
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${res.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as unknown;
}

/** `GET /api/v1/devices`: the enrolled phones. */
export async function listDevices(server: GateServer): Promise<DeviceSummary[]> {
  return deviceListResponseSchema.parse(await adminFetch(server, '/api/v1/devices')).devices;
}

/** `DELETE /api/v1/devices/{id}`: the committee revokes a phone. */
export async function revokeDevice(server: GateServer, id: string): Promise<void> {
  await adminFetch(server, `/api/v1/devices/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

/** `POST /api/v1/gates`: a new gate with the default rules. */
export async function createGate(server: GateServer, name: string): Promise<Gate> {
  return gateSchema.parse(
    await adminFetch(server, '/api/v1/gates', {
      method: 'POST',
      body: JSON.stringify({ name }),
    }),
  );
}

/** `POST /api/v1/gates/{id}/enrollment-codes`: a single-use code and its link. */
export async function createEnrollmentCode(server: GateServer, gateId: string) {
  return enrollmentCodeResponseSchema.parse(
    await adminFetch(server, `/api/v1/gates/${encodeURIComponent(gateId)}/enrollment-codes`, {
      method: 'POST',
    }),
  );
}

/** A phone enrolled at the gate through the API, as a script would (no browser): its token. */
export async function enrollPhone(
  server: GateServer,
  gateId: string,
  deviceName: string,
): Promise<EnrollResponse> {
  const { code } = await createEnrollmentCode(server, gateId);
  const res = await fetch(`${server.url}/api/v1/enroll`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, deviceName }),
  });
  return enrollResponseSchema.parse(await res.json());
}

/** Every stored record of a gate, following `nextCursor` through `GET /api/v1/logs`. */
export async function listLogs(
  server: GateServer,
  gateId: string,
): Promise<{ items: LogItem[]; pages: number }> {
  const items: LogItem[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const query = new URLSearchParams({ gateId, limit: String(LOGS_PAGE_LIMIT) });
    if (cursor) query.set('cursor', cursor);
    const page = logsResponseSchema.parse(await adminFetch(server, `/api/v1/logs?${query}`));
    items.push(...page.items);
    cursor = page.nextCursor;
    pages++;
    if (pages > 1_000) throw new Error('GET /api/v1/logs: the cursor never ends');
  } while (cursor);
  return { items, pages };
}

/** How many stored rows each id has (the dedup key: every count must be 1). */
export function countById(items: readonly { id: string }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { id } of items) counts.set(id, (counts.get(id) ?? 0) + 1);
  return counts;
}

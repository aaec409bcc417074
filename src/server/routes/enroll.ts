/** POST /api/v1/enroll: a phone trades a single-use code for a device token. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { enrollRequestSchema, type EnrollResponse } from '../../shared';
import type { AppContext } from '../context';
import type { DeviceRow, NewDevice } from '../store/types';
import { HttpError } from '../errors';
import { gateView } from '../gates';
import { enrollmentCodeHash, newToken, sha256Hex } from '../secrets';
import { parseOr400 } from '../validate';

const REFUSALS: Record<'unknown' | 'used' | 'expired', () => HttpError> = {
  unknown: () =>
    new HttpError(
      404,
      'code_unknown',
      'Unknown enrollment code; check it or ask the committee / 登记码无效，请核对或向居委会索取',
    ),
  used: () =>
    new HttpError(
      409,
      'code_used',
      'This enrollment code was already used; ask the committee for a new one / 登记码已使用，请向居委会索取新码',
    ),
  expired: () =>
    new HttpError(
      410,
      'code_expired',
      'This enrollment code has expired; ask the committee for a new one / 登记码已过期，请向居委会索取新码',
    ),
};

/** How many earlier enrollments a phone keeps: a phone moved this often has sent the oldest. */
export const MAX_FORMER_DEVICES = 8;

/** An earlier enrollment the new one takes the records of: its id, gate and own earlier ones. */
type Former = Pick<DeviceRow, 'id' | 'gateId' | 'formerDevices'>;

/**
 * The enrollment a phone proves with its present token (revoked or not: the committee may revoke
 * a phone before it is enrolled at another gate, and what it saved before must still reach the
 * server). An unknown token proves nothing and is no error: the phone enrolls as a new one; so
 * does one showing a token whose enrollment another has taken over and used.
 *
 * Unless the server knows no device of the id the phone names either (`formerDeviceId`): it was
 * restored from a backup made before that enrollment, which it lost. A device of that id is
 * made again (`lost`) at the new enrollment's gate, revoked with the others, so that the phone's
 * records saved under it, for that gate, still reach the server. Naming no phone the server
 * has, it can speak for no one else, and for no other gate.
 *
 * Read before the enrollment's transaction; `formerOf` decides once the code's gate is known.
 */
async function readFormer(
  ctx: AppContext,
  body: { formerToken?: string; formerDeviceId?: string },
): Promise<{ byToken: DeviceRow | null; devices: DeviceRow[] } | null> {
  if (body.formerToken === undefined) return null;
  const [byToken, devices] = await Promise.all([
    ctx.store.getDeviceByTokenHash(sha256Hex(body.formerToken)),
    ctx.store.listDevices(),
  ]);
  return { byToken, devices };
}

function formerOf(
  read: Awaited<ReturnType<typeof readFormer>>,
  body: { formerDeviceId?: string; deviceName: string },
  gateId: string,
  now: number,
): { former: Former | null; lost?: NewDevice } {
  if (!read) return { former: null };
  const { byToken: former, devices } = read;
  if (!former) {
    const lostId = body.formerDeviceId;
    if (lostId === undefined || devices.some((d) => d.id === lostId)) return { former: null };
    return {
      former: { id: lostId, gateId, formerDevices: [] },
      lost: {
        id: lostId,
        gateId,
        name: body.deviceName,
        tokenHash: sha256Hex(newToken()), // held by no one
        createdAt: now,
      },
    };
  }
  // Taken over already by an enrollment a phone has used: the phone holds that one's token now,
  // so whoever shows the old one again is not that phone. Not yet used, it is the same phone,
  // which never heard the answer that enrolled it.
  const taken = devices.some(
    (d) => d.formerDevices[0]?.deviceId === former.id && d.lastSeenAt !== null,
  );
  return { former: taken ? null : former };
}

/**
 * A used code asked for again with the key it was used with: the phone never heard the answer
 * (the network dropped it), so the enrollment it made is given again, with `token` in place of
 * the one lost, while no phone has used it. Anyone else gets the code's refusal.
 */
async function askedAgain(
  ctx: AppContext,
  body: { code: string; retryKey?: string },
  reason: 'unknown' | 'used' | 'expired',
  token: string,
  now: number,
): Promise<{ deviceId: string; gateId: string } | null> {
  if (reason !== 'used' || body.retryKey === undefined) return null;
  return ctx.store.retryEnrollment(
    enrollmentCodeHash(body.code),
    sha256Hex(body.retryKey),
    sha256Hex(token),
    now,
  );
}

export default function enrollRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/enroll',
    { config: { rateLimit: ctx.enrollRateLimit === false ? undefined : ctx.enrollRateLimit } },
    async (request, reply) => {
      const body = parseOr400(enrollRequestSchema, request.body);
      const now = ctx.now();
      const token = newToken();
      const deviceId = randomUUID();
      const read = await readFormer(ctx, body);
      // The code used and the phone made in one transaction: never a used code and no phone.
      const used = await ctx.store.enrollWithCode(enrollmentCodeHash(body.code), now, (gateId) => {
        const { former, lost } = formerOf(read, body, gateId, now);
        const device: NewDevice = {
          id: deviceId,
          gateId,
          name: body.deviceName,
          tokenHash: sha256Hex(token),
          createdAt: now,
          // The new enrollment sends their records, each for its own gate.
          ...(former && {
            formerDevices: [
              { deviceId: former.id, gateId: former.gateId },
              ...former.formerDevices,
            ].slice(0, MAX_FORMER_DEVICES),
          }),
        };
        // The phone holds the new token only: the one it replaced is revoked, and the
        // committee's list shows it replaced rather than a phone gone quiet with records to send.
        return {
          devices: lost ? [lost, device] : [device],
          revoke: former ? [former.id] : [],
          ...(body.retryKey !== undefined && {
            retry: { hash: sha256Hex(body.retryKey), deviceId },
          }),
        };
      });
      const enrolled: { deviceId: string; gateId: string } | null = used.ok
        ? { deviceId, gateId: used.gateId }
        : await askedAgain(ctx, body, used.reason, token, now);
      if (!enrolled) throw REFUSALS[used.ok ? 'used' : used.reason]();
      const gate = await ctx.store.getGate(enrolled.gateId);
      if (!gate) throw new Error('The gate of an enrollment code is missing');
      const answer: EnrollResponse = {
        deviceId: enrolled.deviceId,
        token,
        gate: gateView(gate),
      };
      return reply.code(201).send(answer);
    },
  );
}

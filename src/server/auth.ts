/**
 * Bearer-token auth. A token is either the admin token or a device token; each endpoint
 * accepts exactly one kind: the wrong kind is 403, an unknown token 401, a revoked phone 403.
 * Phones are also rate-limited per device here, once they are known.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AdminToken } from './admin-token';
import { HttpError } from './errors';
import { sameHash, sha256Hex } from './secrets';
import type { DeviceRow, Store } from './store/types';

declare module 'fastify' {
  interface FastifyRequest {
    /** The authenticated phone, on device endpoints. */
    device: DeviceRow | null;
  }
}

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

export interface Auth {
  /** preHandler of the phone's endpoints. */
  device: Hook;
  /** preHandler of the committee's endpoints. */
  admin: Hook;
}

/** Counts a request of a known phone; answers the seconds to wait when over its limit. */
export type DeviceLimiter = (request: FastifyRequest) => Promise<number | null>;

const MAX_TOKEN_CHARS = 512;

function bearerHash(request: FastifyRequest): string {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '');
  if (!m || m[1]!.length > MAX_TOKEN_CHARS) {
    throw new HttpError(401, 'unauthorized', 'Missing bearer token');
  }
  return sha256Hex(m[1]!);
}

/** Builds the two auth hooks. */
export function makeAuth(
  store: Store,
  adminToken: AdminToken,
  deviceLimiter?: DeviceLimiter,
): Auth {
  const unknown = () => new HttpError(401, 'unauthorized', 'Unknown token');

  return {
    async device(request, reply) {
      const hash = bearerHash(request);
      if (sameHash(hash, adminToken.currentHash())) {
        throw new HttpError(403, 'forbidden', 'The admin token cannot act as a phone');
      }
      const device = await store.getDeviceByTokenHash(hash);
      if (!device) throw unknown();
      if (device.revokedAt !== null) {
        throw new HttpError(
          403,
          'device_revoked',
          'This phone was removed by the committee; enroll it again / 此手机已被居委会移除，请重新加入',
        );
      }
      request.device = device;
      if (deviceLimiter) {
        const retryAfterS = await deviceLimiter(request);
        if (retryAfterS !== null) {
          reply.header('retry-after', String(retryAfterS));
          throw new HttpError(429, 'rate_limited', 'Too many requests from this phone');
        }
      }
    },

    async admin(request) {
      const hash = bearerHash(request);
      if (sameHash(hash, adminToken.checkedHash(request.log))) return;
      if (await store.getDeviceByTokenHash(hash)) {
        throw new HttpError(403, 'forbidden', 'This endpoint needs the admin token');
      }
      throw unknown();
    },
  };
}

/** The authenticated device of a device endpoint (set by `auth.device`). */
export function deviceOf(request: FastifyRequest): DeviceRow {
  if (!request.device) throw new HttpError(401, 'unauthorized', 'Not authenticated');
  return request.device;
}

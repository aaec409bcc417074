/**
 * Fixtures for pass tests on the phone side: real signing keys and tokens made with the
 * server's own code, and pulled pages to store them on a phone the way the pull does.
 */
import { generateSigningKey, signingKeyView } from '../../src/server/passes/keys';
import { signPassToken } from '../../src/server/passes/tokens';
import type { DeviceChange, DeviceChangesResponse, DevicePass, SigningKey } from '../../src/shared';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import type { SigningKeyRow } from '../../src/server/store/types';

export type TestKey = Omit<SigningKeyRow, 'active' | 'retiredAt'>;

export function makeKey(now = Date.now()): TestKey {
  return generateSigningKey(now);
}

export function publicKey(key: TestKey, retiredAt: number | null = null): SigningKey {
  return signingKeyView({ ...key, active: retiredAt === null, retiredAt });
}

/** A pass signed with `key`, as the pull feed carries it. */
export function makePass(key: TestKey, over: Partial<Omit<DevicePass, 'token'>> = {}): DevicePass {
  const pass = {
    id: '7K3M9QX2',
    name: '王小明',
    address: '3号楼 502室',
    validUntil: '2099-12-31',
    status: 'active' as const,
    ...over,
  };
  const token = signPassToken(
    { v: 1, k: key.kid, p: pass.id, n: pass.name, a: pass.address, u: pass.validUntil },
    key,
  );
  return { ...pass, token };
}

/** One page of the pull feed. */
export function makePage(
  keys: SigningKey[],
  changes: DeviceChange[],
  over: Partial<DeviceChangesResponse> = {},
): DeviceChangesResponse {
  return {
    cursor: String(changes.length),
    more: false,
    serverTime: new Date().toISOString(),
    gate: { id: 'gate-1', name: 'North gate', rules: { ...DEFAULT_GATE_RULES } },
    keys,
    changes,
    ...over,
  };
}

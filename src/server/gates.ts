/** Creating and changing gates, shared by the API, the CLI and the first start. */
import { randomUUID } from 'node:crypto';
import {
  DEFAULT_GATE_NAME,
  newGateRulesSchema,
  type Gate,
  type GateRulesInput,
  type UpdateGateRequest,
} from '../shared';
import type { GatePatch, GateRow, NewGateRow, Store } from './store/types';

/** Creates a gate with the given rules (defaults filled in). */
export async function createGate(
  store: Store,
  name: string,
  rules: GateRulesInput = {},
  now: number = Date.now(),
): Promise<GateRow> {
  const gate: NewGateRow = {
    id: randomUUID(),
    name,
    rules: newGateRulesSchema.parse(rules),
    createdAt: now,
  };
  await store.createGate(gate);
  return { ...gate, highestFeverThresholdC: gate.rules.feverThresholdC };
}

/**
 * Renames a gate and/or changes some of its rules (the others are kept); null when there is no
 * such gate. Phones see it on their next pull or config read: both carry the gate as it is now.
 */
export function updateGate(
  store: Store,
  id: string,
  change: UpdateGateRequest,
): Promise<GateRow | null> {
  const patch: GatePatch = {
    ...(change.name !== undefined && { name: change.name }),
    ...(change.rules !== undefined && { rules: change.rules }),
  };
  return store.updateGate(id, patch);
}

/** The first gate, created as "Main gate / 正门" when there is none yet. */
export async function ensureDefaultGate(store: Store): Promise<GateRow> {
  const [first] = await store.listGates();
  return first ?? createGate(store, DEFAULT_GATE_NAME);
}

/** A gate as the API shows it. */
export function gateView(g: GateRow): Gate {
  return { id: g.id, name: g.name, rules: g.rules };
}

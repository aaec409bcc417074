/** Creating gates, shared by the API, the CLI and the first start. */
import { randomUUID } from 'node:crypto';
import { gateRulesSchema, type Gate, type GateRulesInput } from '../shared';
import type { GateRow, Store } from './store/types';

export const DEFAULT_GATE_NAME = 'Main gate / 正门';

/** Creates a gate with the given rules (defaults filled in). */
export async function createGate(
  store: Store,
  name: string,
  rules: GateRulesInput = {},
  now: number = Date.now(),
): Promise<GateRow> {
  const gate: GateRow = {
    id: randomUUID(),
    name,
    rules: gateRulesSchema.parse(rules),
    createdAt: now,
  };
  await store.createGate(gate);
  return gate;
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

/**
 * POST /api/v1/sync (DESIGN.md §5): one batch from one phone. Each record is parsed alone with
 * the gate's schema, so one bad record never sinks the batch; the valid ones go into the store
 * in one transaction, and every record gets exactly one answer: accepted, duplicate (same id,
 * same content, already stored) or rejected with a reason. A known id with other content is a
 * conflict and never overwrites what is stored.
 */
import type { FastifyInstance } from 'fastify';
import {
  makeGateLogSchema,
  syncRequestSchema,
  type GateRules,
  type Rejection,
  type SyncResponse,
} from '../../shared';
import type { AppContext } from '../context';
import { deviceOf } from '../auth';
import { canonicalJson, recordJson, toRecordRow } from '../records';
import type { RecordRow } from '../store/types';
import { issuesMessage, parseOr400 } from '../validate';

type GateLogSchema = ReturnType<typeof makeGateLogSchema>;
const schemaCache = new Map<string, GateLogSchema>();

/** The record schema of a gate's rules; gates share one when their rules are equal. */
function schemaFor(rules: GateRules): GateLogSchema {
  const key = canonicalJson(rules);
  let schema = schemaCache.get(key);
  if (!schema) {
    if (schemaCache.size >= 100) schemaCache.clear();
    schema = makeGateLogSchema(rules);
    schemaCache.set(key, schema);
  }
  return schema;
}

const idOf = (record: unknown, index: number): string => {
  const id = (record as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : `#${index}`;
};

export default function syncRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post(
    '/api/v1/sync',
    { preHandler: ctx.auth.device, bodyLimit: ctx.syncBodyLimitBytes },
    async (request) => {
      const device = deviceOf(request);
      const body = parseOr400(syncRequestSchema, request.body);
      const gate = await ctx.store.getGate(device.gateId);
      if (!gate) throw new Error('The gate of an enrolled device is missing');
      const schema = schemaFor(gate.rules);
      const receivedAt = ctx.now();

      const rejected: Rejection[] = [];
      const rows: RecordRow[] = [];
      const seen = new Map<string, string>();
      body.records.forEach((raw, index) => {
        const id = idOf(raw, index);
        const parsed = schema.safeParse(raw);
        if (!parsed.success) {
          rejected.push({ id, code: 'invalid', message: issuesMessage(parsed.error.issues) });
          return;
        }
        const record = parsed.data;
        if (record.gateId !== device.gateId) {
          rejected.push({ id, code: 'wrong_gate', message: 'gateId: not the gate of this phone' });
          return;
        }
        const json = recordJson(record);
        const earlier = seen.get(id);
        if (earlier !== undefined) {
          // The same id twice in one batch: one answer for a repeat, a conflict for a change.
          if (earlier !== json) {
            rejected.push({
              id,
              code: 'conflict',
              message: 'id: sent twice with different content',
            });
          }
          return;
        }
        seen.set(id, json);
        rows.push(toRecordRow(record, gate.rules, receivedAt, body.batchId, json));
      });

      // Records reference their device, so one naming a device this server never enrolled
      // cannot be stored. It is refused on its own: before, it failed the whole batch with a
      // 500 that the phone retried for ever, its other records stuck behind it.
      let storable = rows;
      const otherDevices = new Set(rows.map((r) => r.deviceId).filter((id) => id !== device.id));
      if (otherDevices.size > 0) {
        const known = new Set((await ctx.store.listDevices()).map((d) => d.id));
        storable = rows.filter((row) => {
          if (known.has(row.deviceId)) return true;
          rejected.push({
            id: row.id,
            code: 'invalid',
            message: 'deviceId: not a phone enrolled on this server',
          });
          return false;
        });
      }

      const { inserted, existing } = await ctx.store.insertRecords(storable);
      if (storable.length > 0) ctx.faults?.reach('kill-after-commit');
      const accepted = new Set(inserted);
      const duplicates: string[] = [];
      for (const row of storable) {
        if (accepted.has(row.id)) continue;
        if (existing.get(row.id) === row.json) duplicates.push(row.id);
        else {
          rejected.push({
            id: row.id,
            code: 'conflict',
            message: 'id: already stored with different content; the stored record is kept',
          });
        }
      }

      const acknowledged = [...inserted, ...duplicates].sort();
      await ctx.store.touchDevice(device.id, {
        seenAt: receivedAt,
        status: body.device,
        ...(acknowledged.length > 0 && { lastRecordId: acknowledged.at(-1)! }),
      });

      const answer: SyncResponse = {
        batchId: body.batchId,
        accepted: inserted,
        duplicates,
        rejected,
        serverTime: new Date(receivedAt).toISOString(),
      };
      return answer;
    },
  );
}

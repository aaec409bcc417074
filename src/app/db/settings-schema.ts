/**
 * What each device setting holds, and how a stored one is read back: parsed, and undefined when
 * absent or unreadable, so bad stored data falls back to a safe default instead of breaking the
 * app. No Dexie here: the start-up read (startup-read.ts) parses settings before Dexie loads.
 */
import * as z from 'zod/mini';
import { gateRulesSchema } from '../../shared';

const gateSettingSchema = z.object({
  id: z.string(),
  name: z.string(),
  rules: gateRulesSchema,
});
export type GateSetting = z.infer<typeof gateSettingSchema>;

const enrollmentSchema = z.object({
  serverUrl: z.string(),
  deviceId: z.string(),
  token: z.string(),
  enrolledAt: z.string(),
});
export type Enrollment = z.infer<typeof enrollmentSchema>;

const persistenceSchema = z.object({ asked: z.boolean(), granted: z.boolean() });
export type Persistence = z.infer<typeof persistenceSchema>;

const lastSyncSchema = z.object({
  at: z.string(),
  serverTime: z.optional(z.string()),
  /** The server's UTC offset then, in minutes east of UTC (the sync answer's utcOffsetMinutes). */
  serverUtcOffsetMinutes: z.optional(z.number()),
});
export type LastSync = z.infer<typeof lastSyncSchema>;

const erasedSchema = z.object({
  /** The greatest record id the server acknowledged from this phone, missing on the phone. */
  lastRecordId: z.string(),
  /** When the server last received a batch from this phone (server time, ISO). */
  lastSyncAt: z.optional(z.nullable(z.string())),
  /** When the phone noticed (device time, ISO with offset). */
  detectedAt: z.string(),
  /** When the guard tapped OK: not shown again for this `lastRecordId`. */
  dismissedAt: z.optional(z.string()),
});
export type ErasedNotice = z.infer<typeof erasedSchema>;

const schemas = {
  deviceId: z.string(),
  gate: gateSettingSchema,
  enrollment: enrollmentSchema,
  guards: z.array(z.string()),
  locale: z.enum(['zh-CN', 'en']),
  currentShiftId: z.string(),
  draft: z.record(z.string(), z.unknown()),
  persistence: persistenceSchema,
  lastSync: lastSyncSchema,
  authProblem: z.object({ status: z.number(), at: z.string() }),
  erased: erasedSchema,
  /** What retention deleted so far: the greatest record id, how many, when last. */
  purged: z.object({ throughId: z.string(), records: z.number(), lastAt: z.string() }),
} as const;

export type SettingKey = keyof typeof schemas;
export type SettingValue<K extends SettingKey> = z.infer<(typeof schemas)[K]>;

export function parseSetting<K extends SettingKey>(
  key: K,
  row: { value: unknown } | undefined,
): SettingValue<K> | undefined {
  if (!row) return undefined;
  const parsed = schemas[key].safeParse(row.value);
  return parsed.success ? (parsed.data as SettingValue<K>) : undefined;
}

/** The gate id of a phone that has not joined a server yet. */
export const LOCAL_GATE_ID = 'local';

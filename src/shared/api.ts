/**
 * The REST API v1 messages (DESIGN.md §6) as zod schemas: the server validates requests and
 * generates its OpenAPI document from them; the phone parses the server's answers with them.
 * Records inside a sync request are parsed one by one (see `gateLogSchema`), so one bad record
 * never sinks its batch: here they are only `unknown`.
 */
import * as z from 'zod/mini';
import { gateRulesPatchSchema, gateRulesSchema, newGateRulesSchema } from './gate-rules';
import { gateLogSchema } from './gatelog';
import { isWatchIdNumber, isWatchPhone, normalizePassId } from './passes';
import { LOCALES, recordWords, type Locale } from './record-words';
import { NOT_PLAIN_TEXT, isPlainText } from './rules';

export const SYNC_MAX_RECORDS = 500;

/**
 * The header of every answer of the API and of `/healthz`: the server's GateLog version (its
 * package.json's). An answer that fails a client's checks but carries it is GateLog's of another
 * version (a field added or renamed), not some other server's.
 */
export const GATELOG_VERSION_HEADER = 'x-gatelog-version';
export const SYNC_MAX_BATCH_BYTES = 512 * 1024;

export const gateSchema = z.object({
  id: z.string(),
  name: z.string(),
  rules: gateRulesSchema,
});

export const enrollRequestSchema = z.strictObject({
  code: z.string().check(z.trim(), z.minLength(1), z.maxLength(128)),
  deviceName: z.string().check(z.trim(), z.minLength(1), z.maxLength(80)),
  /**
   * The token of the phone's present enrollment on this server, revoked or not: the phone's
   * records of that enrollment's gate that are not sent yet may still go with the new token.
   */
  formerToken: z.optional(z.string().check(z.minLength(1), z.maxLength(512))),
  /**
   * The device id of that enrollment. Used only when the server knows neither the token nor a
   * device of that id (it was restored from a backup made before the phone enrolled): the
   * records saved under it, for the gate of the new enrollment, are then taken too.
   */
  formerDeviceId: z.optional(z.string().check(z.minLength(1), z.maxLength(128))),
  /**
   * A random key the phone sends with every try of one code. When an answer was lost (the
   * network dropped it), the same code with the same key gets the enrollment it made, with a new
   * token, as long as no phone has used that enrollment yet; without it the code is used up.
   */
  retryKey: z.optional(z.string().check(z.minLength(16), z.maxLength(128))),
});

export const enrollResponseSchema = z.object({
  deviceId: z.string(),
  token: z.string(),
  gate: gateSchema,
});

export const deviceStatusSchema = z.strictObject({
  appVersion: z.string().check(z.maxLength(40)),
  /** Records the phone still holds to send once this batch is answered. */
  pending: z.int().check(z.gte(0)),
  /** When the oldest of those was made. */
  oldestPendingAt: z.optional(z.iso.datetime({ offset: true })),
  persisted: z.optional(z.boolean()),
  usageBytes: z.optional(z.number().check(z.gte(0))),
  quotaBytes: z.optional(z.number().check(z.gte(0))),
});

export const syncRequestSchema = z.strictObject({
  batchId: z.uuid(),
  device: deviceStatusSchema,
  records: z.array(z.unknown()).check(z.maxLength(SYNC_MAX_RECORDS)),
});

/**
 * Why a record was refused. The gate is the boundary of what a phone may write: a record made
 * under an earlier enrollment of the same phone (another device id, same gate) is accepted.
 */
export const REJECT_CODES = ['invalid', 'conflict', 'wrong_gate'] as const;

export const rejectionSchema = z.object({
  id: z.string(),
  code: z.string(),
  message: z.string(),
});

/**
 * The server's UTC offset at an answer's `serverTime`, in minutes east of UTC (480 in China): a
 * phone set to another time zone files its records under the wrong hour and day, and is told so.
 * Absent when the server's own zone is UTC (as a container's is unless TZ is set), and from older
 * servers: then the phone checks its clock only.
 */
const utcOffsetMinutesSchema = z.optional(z.int().check(z.gte(-14 * 60), z.lte(14 * 60)));

export const syncResponseSchema = z.object({
  batchId: z.string(),
  accepted: z.array(z.string()),
  duplicates: z.array(z.string()),
  rejected: z.array(rejectionSchema),
  serverTime: z.string(),
  utcOffsetMinutes: utcOffsetMinutesSchema,
});

export const shiftCloseRequestSchema = z.strictObject({
  recordCount: z.int().check(z.gte(0)),
  digest: z.string().check(z.regex(/^[0-9a-f]{64}$/)),
});

export const shiftReceiptSchema = z.object({
  shiftId: z.string(),
  gateId: z.string(),
  recordCount: z.int(),
  byDirection: z.record(z.string(), z.int()),
  byCategory: z.record(z.string(), z.int()),
  fever: z.int(),
  returnees: z.int(),
  refused: z.int(),
  closedAt: z.string(),
});

export const shiftCloseResponseSchema = z.object({
  received: z.int(),
  complete: z.boolean(),
  receipt: z.nullable(shiftReceiptSchema),
});

export const deviceConfigSchema = z.object({
  deviceId: z.string(),
  gate: gateSchema,
  serverTime: z.string(),
  utcOffsetMinutes: utcOffsetMinutesSchema,
  /**
   * The greatest record id the server acknowledged to this phone, null before its first: a phone
   * whose storage was wiped compares it with what it still holds. Optional: older servers.
   */
  lastRecordId: z.optional(z.nullable(z.string())),
  /** When this phone's last sync batch arrived (server time), null before its first. */
  lastSyncAt: z.optional(z.nullable(z.string())),
});

const gateNameSchema = z
  .string()
  .check(z.trim(), z.minLength(1), z.maxLength(80), z.refine(isPlainText, NOT_PLAIN_TEXT));

export const createGateRequestSchema = z.strictObject({
  name: gateNameSchema,
  rules: z.optional(newGateRulesSchema),
});

/** PATCH /api/v1/gates/{id}: a new name, some rules, or both; phones get it on their next pull. */
export const updateGateRequestSchema = z
  .strictObject({
    name: z.optional(gateNameSchema),
    rules: z.optional(gateRulesPatchSchema),
  })
  .check(
    z.refine((u) => u.name !== undefined || Object.keys(u.rules ?? {}).length > 0, {
      message: 'nothing to change: name or rules is required',
      // Only of a body that is otherwise right: `{rules: {fever: 37.5}}` is a wrong name.
      when: (payload) => payload.issues.length === 0,
    }),
  );

export const enrollmentCodeResponseSchema = z.object({
  code: z.string(),
  expiresAt: z.string(),
  url: z.string(),
});

export const errorResponseSchema = z.object({
  error: z.string(),
  message: z.string(),
});

/**
 * `GET /api/v1/gates`: every gate, in the order they were made (then by id), a stable order and
 * not a reader's: clients sort them by name for display (`gatesByName`).
 */
export const gateListResponseSchema = z.object({
  gates: z.array(gateSchema),
});

/** One phone as the committee sees it: where it is, when it last synced, what it reported. */
export const deviceSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  gateId: z.string(),
  gateName: z.string(),
  createdAt: z.string(),
  lastSeenAt: z.nullable(z.string()),
  lastSyncAt: z.nullable(z.string()),
  revoked: z.boolean(),
  revokedAt: z.nullable(z.string()),
  /** The greatest record id the server acknowledged to this phone. */
  lastRecordId: z.nullable(z.string()),
  /** What the phone last reported on sync (backlog, storage, app version). */
  status: z.nullable(deviceStatusSchema),
  /**
   * The same phone enrolled again (at this gate or another): its records not sent yet go with
   * that enrollment, and this one is revoked.
   */
  replacedBy: z.optional(z.object({ id: z.string(), name: z.string(), gateName: z.string() })),
});

export const deviceListResponseSchema = z.object({
  devices: z.array(deviceSummarySchema),
});

export const LOG_FLAGS = ['fever', 'returnee', 'refused'] as const;
export const LOGS_DEFAULT_LIMIT = 100;
export const LOGS_MAX_LIMIT = 1000;

/** A count in a query string, written in plain digits ("0x10", "1e3" and " 5 " are refused). */
const queryInt = (max: number) =>
  z.pipe(
    z.pipe(
      z.string().check(z.regex(/^\d{1,9}$/)),
      z.transform((s: string) => Number(s)),
    ),
    z.number().check(z.int(), z.gte(1), z.lte(max)),
  );
/** The longest text the log's search takes (a name is at most 60, an address 80). */
export const LOGS_SEARCH_MAX = 80;

/**
 * A log export's file name: its local days (one, or first_last, since-/until- when open at one
 * end, `all` when it has none) and its flag, as `gatelog-2026-12-05_2026-12-06-fever.csv`; in
 * Chinese (`lang` zh-CN) as the clerk says them, `门岗登记-2026-12-05至2026-12-06-发热.csv`. The
 * committee's page names its download so, and the API its attachment.
 */
export function logsCsvFileName(
  firstDay: string | undefined,
  lastDay: string | undefined,
  flag: LogFlag | undefined,
  lang?: Locale,
): string {
  const zh = lang === 'zh-CN';
  const days =
    firstDay && lastDay
      ? firstDay === lastDay
        ? firstDay
        : `${firstDay}${zh ? '至' : '_'}${lastDay}`
      : firstDay
        ? zh
          ? `${firstDay}起`
          : `since-${firstDay}`
        : lastDay
          ? zh
            ? `${lastDay}止`
            : `until-${lastDay}`
          : zh
            ? '全部'
            : 'all';
  const flagName = flag && (zh ? recordWords['zh-CN'][FLAG_WORDS[flag]] : flag);
  return `${zh ? '门岗登记' : 'gatelog'}-${days}${flagName ? `-${flagName}` : ''}.csv`;
}

/** The record's word (`recordWords`) for what each flag marks. */
const FLAG_WORDS: Record<LogFlag, string> = {
  fever: 'fever',
  returnee: 'returnee',
  refused: 'decision.refused',
};

export const logsQuerySchema = z
  .object({
    gateId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
    from: z.optional(z.iso.datetime({ offset: true })),
    to: z.optional(z.iso.datetime({ offset: true })),
    /**
     * Bounds on the server's `receivedAt` (`receivedTo` exclusive), as `from`/`to` bound
     * `occurredAt`: with `to` at the day's start, the records of earlier days that arrived that
     * day (a phone offline, a shift synced late).
     */
    receivedFrom: z.optional(z.iso.datetime({ offset: true })),
    receivedTo: z.optional(z.iso.datetime({ offset: true })),
    flag: z.optional(z.enum(LOG_FLAGS)),
    /**
     * Records whose name, address or phone holds this text (Latin letters in any case), or whose
     * ID number or pass is it (whole: an ID number is never matched in part; a pass number also
     * as printed on the card, 7K3M-9QX2, or in lower case).
     */
    q: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(LOGS_SEARCH_MAX))),
    /** `asc` (the default): in the order received; `desc`: the newest first. */
    order: z.optional(z.enum(['asc', 'desc'])),
    cursor: z.optional(z.string().check(z.maxLength(512))),
    limit: z.optional(queryInt(LOGS_MAX_LIMIT)),
    /**
     * The CSV only: `spreadsheet` writes both times as a spreadsheet reads a date and time
     * (`2026-12-07 09:10:00`) instead of ISO, and ID, phone and pass numbers so that a
     * spreadsheet keeps them as text (a tab before each): opened as numbers, an 18-digit ID
     * keeps 15 digits. Typed text it would turn into a number or a date (the address `5-1`,
     * `3/2`, `0101`) gets the tab too. A phone's `+8613800138000` is written without the `'`
     * (harmless as a formula); other formula-looking text keeps it, after the tab.
     */
    for: z.optional(z.enum(['spreadsheet'])),
    /**
     * The CSV only: the language of its header and of its choices (direction, category, ID type,
     * returnee, decision, yes/no), as the committee's page says them; ids, dates, numbers and
     * what was typed stay as stored. Without it, the field names and values of the API (`in`,
     * `admitted`, `true`), for scripts. Words only: times are written for a spreadsheet with
     * `for=spreadsheet` alone (the page asks for both), so a script asking for the clerk's
     * headers still reads ISO times.
     */
    lang: z.optional(z.enum(LOCALES, 'not zh-CN or en')),
  })
  .check(
    z.refine(
      (q) => q.from === undefined || q.to === undefined || Date.parse(q.from) <= Date.parse(q.to),
      {
        message: 'after to',
        path: ['from'],
      },
    ),
    z.refine(
      (q) =>
        q.receivedFrom === undefined ||
        q.receivedTo === undefined ||
        Date.parse(q.receivedFrom) <= Date.parse(q.receivedTo),
      { message: 'after receivedTo', path: ['receivedFrom'] },
    ),
  );

/** A stored record in the admin list: a GateLog with its ID number masked, plus `receivedAt`. */
export const logItemSchema = z.object({
  ...gateLogSchema.shape,
  receivedAt: z.string(),
  /**
   * How far the sending phone's clock was off the server's (ms, positive = ahead), null when the
   * server cannot tell. The list orders by `receivedAt`, never by the phone's `occurredAt`.
   */
  clockSkewMs: z.optional(z.nullable(z.number())),
  /** The phone's clock was off by more than 10 minutes: `occurredAt` is not to be trusted. */
  clockSkewed: z.optional(z.boolean()),
  /**
   * A fever by the gate's threshold when the server received it: what the `fever` filter and
   * the CSV's column go by.
   */
  isFever: z.optional(z.boolean()),
  /**
   * The id of the newest later record of the gate that supersedes this one, null when none does:
   * one whose `amends` names it, or else a later correction of the record this one corrects (the
   * newest correction is the one that counts). A corrected record stays in the log, but counts
   * no more: the flag filters and the totals go by the correction.
   */
  correctedBy: z.optional(z.nullable(z.string())),
});

const logCountsShape = {
  /** Records that no later record corrects. */
  total: z.number(),
  fever: z.number(),
  returnee: z.number(),
  refused: z.number(),
  /** Records a later one of their gate supersedes (see `correctedBy`): listed, not counted above. */
  corrected: z.number(),
};

/**
 * `GET /api/v1/logs/summary`: what the filters (all but `flag`) match, counted by flag, in all
 * and for each gate with any, in gate id order (stable, not a reader's: the committee's page
 * shows them by name, `gatesByName`).
 */
export const logSummarySchema = z.object({
  ...logCountsShape,
  byGate: z.array(z.object({ gateId: z.string(), ...logCountsShape })),
});

export const logsResponseSchema = z.object({
  items: z.array(logItemSchema),
  /** Opaque; pass it back as `cursor` for the next page. Null on the last page. */
  nextCursor: z.nullable(z.string()),
});

export const healthResponseSchema = z.object({
  ok: z.boolean(),
  db: z.boolean(),
});

export type UpdateGateRequest = z.infer<typeof updateGateRequestSchema>;
export type Gate = z.infer<typeof gateSchema>;
export type EnrollRequest = z.infer<typeof enrollRequestSchema>;
export type EnrollResponse = z.infer<typeof enrollResponseSchema>;
export type DeviceStatus = z.infer<typeof deviceStatusSchema>;
export type SyncRequest = z.infer<typeof syncRequestSchema>;
export type SyncResponse = z.infer<typeof syncResponseSchema>;
export type Rejection = z.infer<typeof rejectionSchema>;
export type ShiftCloseRequest = z.infer<typeof shiftCloseRequestSchema>;
export type ShiftReceipt = z.infer<typeof shiftReceiptSchema>;
export type ShiftCloseResponse = z.infer<typeof shiftCloseResponseSchema>;
export type DeviceConfig = z.infer<typeof deviceConfigSchema>;
export type DeviceSummary = z.infer<typeof deviceSummarySchema>;
export type LogFlag = (typeof LOG_FLAGS)[number];
export type LogsQuery = z.infer<typeof logsQuerySchema>;
export type LogItem = z.infer<typeof logItemSchema>;
export type LogsResponse = z.infer<typeof logsResponseSchema>;
export type LogSummaryResponse = z.infer<typeof logSummarySchema>;

// ---- resident passes, the watchlist, and the phone's pull of them -------------------------

export const PASS_STATUSES = ['active', 'revoked'] as const;
export const DEVICE_CHANGES_DEFAULT_LIMIT = 500;
export const DEVICE_CHANGES_MAX_LIMIT = 1000;

const isoDate = z.iso.date('dateInvalid');
const trimmed = (min: number, max: number) =>
  z
    .string()
    .check(
      z.trim(),
      z.minLength(min, 'required'),
      z.maxLength(max, 'tooLong'),
      z.refine(isPlainText, NOT_PLAIN_TEXT),
    );

/** A public signing key as the phones get it: verify-only JWK of an ECDSA P-256 key. */
export const publicJwkSchema = z.object({
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
});

export const signingKeySchema = z.object({
  kid: z.string(),
  jwk: publicJwkSchema,
  createdAt: z.string(),
  /** When a newer key took over signing; the key stays published until its passes expire. */
  retiredAt: z.nullable(z.string()),
});

export const signingKeyListResponseSchema = z.object({ keys: z.array(signingKeySchema) });

/** POST /api/v1/passes: one member of a household. No gate: valid at every gate. */
export const createPassRequestSchema = z.strictObject({
  name: trimmed(1, 60),
  address: trimmed(1, 80),
  validUntil: isoDate,
  gateId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
});

export const passSchema = z.object({
  id: z.string(),
  gateId: z.nullable(z.string()),
  name: z.string(),
  address: z.string(),
  validUntil: z.string(),
  status: z.enum(PASS_STATUSES),
  kid: z.string(),
  /** What the QR code carries. */
  token: z.string(),
  createdAt: z.string(),
  revokedAt: z.nullable(z.string()),
});

export const passListQuerySchema = z.object({
  gateId: z.optional(z.string().check(z.minLength(1), z.maxLength(64))),
  status: z.optional(z.enum([...PASS_STATUSES, 'all'])),
});

/**
 * GET /api/v1/passes/sheet.html: the cards of passes a gate still takes on `today`, the clerk's
 * calendar day (the compound's; the server's own day is UTC's), as the page greys the others.
 */
export const passSheetQuerySchema = z.object({
  gateId: passListQuerySchema.shape.gateId,
  today: z.optional(isoDate),
  /**
   * The clerk's UTC offset, in minutes east of UTC (`480` in Shanghai, `-300` in New York): the
   * sheet says when it was made in the clerk's time, not in the server's zone (a server in a
   * container runs in UTC). Without it, the server's zone.
   */
  utcOffsetMinutes: z.optional(
    z.pipe(
      z.pipe(
        z.string().check(z.regex(/^-?\d{1,3}$/)),
        z.transform((s: string) => Number(s)),
      ),
      z.int().check(z.gte(-14 * 60), z.lte(14 * 60)),
    ),
  ),
});

export const passListResponseSchema = z.object({ passes: z.array(passSchema) });

/** POST /api/v1/watchlist: someone under home quarantine, found at the gate by any of the three. */
export const createWatchRequestSchema = z
  .strictObject({
    name: trimmed(1, 60),
    until: isoDate,
    // A pass number as printed on the card (case, dashes and O/0 forgiven).
    passId: z.optional(
      trimmed(1, 64).check(z.refine((p) => normalizePassId(p) !== undefined, 'passInvalid')),
    ),
    idNumber: z.optional(trimmed(1, 40).check(z.refine(isWatchIdNumber, 'idInvalid'))),
    phone: z.optional(trimmed(1, 40).check(z.refine(isWatchPhone, 'phoneInvalid'))),
    address: z.optional(trimmed(0, 80)),
    note: z.optional(trimmed(0, 200)),
  })
  .check(
    z.refine((w) => !!(w.passId || w.idNumber || w.phone), {
      message: 'passId, idNumber or phone is required',
      path: ['passId'],
    }),
  );

/** A watchlist entry as the committee lists it (ID number masked). */
export const watchEntrySchema = z.object({
  id: z.string(),
  name: z.string(),
  until: z.string(),
  passId: z.nullable(z.string()),
  idNumber: z.nullable(z.string()),
  phone: z.nullable(z.string()),
  address: z.nullable(z.string()),
  note: z.nullable(z.string()),
  createdAt: z.string(),
});

export const watchListResponseSchema = z.object({ watchlist: z.array(watchEntrySchema) });

/** A pass as a phone keeps it: enough to fill the form, check the token, and see a revocation. */
export const devicePassSchema = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string(),
  validUntil: z.string(),
  status: z.enum(PASS_STATUSES),
  token: z.string(),
});

/**
 * A watchlist entry as a phone keeps it: ID number and phone only as SHA-256 hex of
 * `watchHashInput` (src/shared/passes.ts), compared with what the guard enters.
 */
export const deviceWatchSchema = z.object({
  id: z.string(),
  name: z.string(),
  until: z.string(),
  address: z.optional(z.string()),
  passId: z.optional(z.string()),
  idHash: z.optional(z.string()),
  phoneHash: z.optional(z.string()),
});

/** One change of the pull feed, in order: the state of a pass or watch entry after it. */
export const deviceChangeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pass'), pass: devicePassSchema }),
  z.object({ kind: z.literal('watch'), watch: deviceWatchSchema }),
  z.object({ kind: z.literal('unwatch'), id: z.string() }),
]);

export const deviceChangesQuerySchema = z.object({
  /** The `cursor` of the previous answer; absent or '0' from the start. */
  since: z.optional(z.string().check(z.regex(/^\d{1,15}$/))),
  limit: z.optional(queryInt(DEVICE_CHANGES_MAX_LIMIT)),
});

/**
 * GET /api/v1/device/changes: the changes after `since` (passes issued and revoked, watchlist
 * entries set and removed), with the gate and its rules and the published signing keys as they
 * are now. `cursor` goes back as `since`; `more` says another page is waiting.
 */
export const deviceChangesResponseSchema = z.object({
  cursor: z.string(),
  more: z.boolean(),
  serverTime: z.string(),
  gate: gateSchema,
  keys: z.array(signingKeySchema),
  changes: z.array(deviceChangeSchema),
});

export type PublicJwk = z.infer<typeof publicJwkSchema>;
export type SigningKey = z.infer<typeof signingKeySchema>;
export type CreatePassRequest = z.infer<typeof createPassRequestSchema>;
export type Pass = z.infer<typeof passSchema>;
export type PassStatus = (typeof PASS_STATUSES)[number];
export type CreateWatchRequest = z.infer<typeof createWatchRequestSchema>;
export type WatchEntry = z.infer<typeof watchEntrySchema>;
export type DevicePass = z.infer<typeof devicePassSchema>;
export type DeviceWatch = z.infer<typeof deviceWatchSchema>;
export type DeviceChange = z.infer<typeof deviceChangeSchema>;
export type DeviceChangesResponse = z.infer<typeof deviceChangesResponseSchema>;

/**
 * GET /api/openapi.json: the REST API described from the shared zod schemas, so the document
 * cannot drift from what the server parses and answers. Built once, on first request.
 */
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import {
  createGateRequestSchema,
  createPassRequestSchema,
  createWatchRequestSchema,
  deviceChangesQuerySchema,
  deviceChangesResponseSchema,
  deviceConfigSchema,
  deviceListResponseSchema,
  enrollmentCodeResponseSchema,
  enrollRequestSchema,
  enrollResponseSchema,
  errorResponseSchema,
  gateListResponseSchema,
  gateLogSchema,
  gateSchema,
  healthResponseSchema,
  logsQuerySchema,
  logsResponseSchema,
  logSummarySchema,
  passListQuerySchema,
  passSheetQuerySchema,
  passListResponseSchema,
  passSchema,
  shiftCloseRequestSchema,
  shiftCloseResponseSchema,
  signingKeyListResponseSchema,
  signingKeySchema,
  syncRequestSchema,
  syncResponseSchema,
  updateGateRequestSchema,
  watchEntrySchema,
  watchListResponseSchema,
} from '../../shared';
import type { AppContext } from '../context';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodMiniType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as JsonSchema;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });
const error = (description: string) => ({ description, ...json('Error') });

const AUTH_ERRORS = {
  401: error('Missing or unknown token'),
  403: error('Wrong kind of token, or a revoked phone'),
  429: error('Rate limited; see Retry-After'),
};

/** The OpenAPI 3.1 document of REST API v1. */
export function buildOpenApi(): JsonSchema {
  const components: Record<string, JsonSchema> = {
    GateLog: jsonSchema(gateLogSchema, 'input'),
    Gate: jsonSchema(gateSchema, 'output'),
    EnrollRequest: jsonSchema(enrollRequestSchema, 'input'),
    EnrollResponse: jsonSchema(enrollResponseSchema, 'output'),
    SyncRequest: jsonSchema(syncRequestSchema, 'input'),
    SyncResponse: jsonSchema(syncResponseSchema, 'output'),
    ShiftCloseRequest: jsonSchema(shiftCloseRequestSchema, 'input'),
    ShiftCloseResponse: jsonSchema(shiftCloseResponseSchema, 'output'),
    DeviceConfig: jsonSchema(deviceConfigSchema, 'output'),
    CreateGateRequest: jsonSchema(createGateRequestSchema, 'input'),
    UpdateGateRequest: jsonSchema(updateGateRequestSchema, 'input'),
    GateList: jsonSchema(gateListResponseSchema, 'output'),
    EnrollmentCode: jsonSchema(enrollmentCodeResponseSchema, 'output'),
    DeviceList: jsonSchema(deviceListResponseSchema, 'output'),
    LogsResponse: jsonSchema(logsResponseSchema, 'output'),
    LogSummary: jsonSchema(logSummarySchema, 'output'),
    Health: jsonSchema(healthResponseSchema, 'output'),
    CreatePassRequest: jsonSchema(createPassRequestSchema, 'input'),
    Pass: jsonSchema(passSchema, 'output'),
    PassList: jsonSchema(passListResponseSchema, 'output'),
    SigningKey: jsonSchema(signingKeySchema, 'output'),
    SigningKeyList: jsonSchema(signingKeyListResponseSchema, 'output'),
    CreateWatchRequest: jsonSchema(createWatchRequestSchema, 'input'),
    WatchEntry: jsonSchema(watchEntrySchema, 'output'),
    WatchList: jsonSchema(watchListResponseSchema, 'output'),
    DeviceChangesResponse: jsonSchema(deviceChangesResponseSchema, 'output'),
    Error: jsonSchema(errorResponseSchema, 'output'),
  };
  /** Query parameters of a GET, each described by its property of the shared query schema. */
  const queryParameters = (schema: z.ZodMiniType, names: string[]) => {
    const { properties } = jsonSchema(schema, 'input') as {
      properties: Record<string, JsonSchema>;
    };
    return names.map((name) => {
      if (!properties[name]) throw new Error(`No query parameter ${name} in its schema`);
      return { name, in: 'query', required: false, schema: properties[name] };
    });
  };
  const logParameters = (names: string[]) => queryParameters(logsQuerySchema, names);
  const filterNames = ['gateId', 'from', 'to', 'receivedFrom', 'receivedTo', 'flag', 'q', 'order'];
  const idParam = (description: string) => ({
    name: 'id',
    in: 'path',
    required: true,
    description,
    schema: { type: 'string' },
  });
  const admin = [{ admin: [] }];
  const device = [{ device: [] }];

  return {
    openapi: '3.1.0',
    info: {
      title: 'GateLog API',
      version: '1',
      description:
        'Sync server of the GateLog gate-checkpoint logbook (DESIGN.md §6). Every answer of the API and of /healthz names the server’s GateLog version in the `x-gatelog-version` header.',
    },
    components: {
      schemas: components,
      securitySchemes: {
        device: { type: 'http', scheme: 'bearer', description: 'Device token from enrollment' },
        admin: { type: 'http', scheme: 'bearer', description: "The committee's admin token" },
      },
    },
    paths: {
      '/api/v1/enroll': {
        post: {
          summary: 'Enroll a phone with a single-use code',
          description:
            "A phone enrolled again sends its present token as `formerToken` (even a revoked one): the records it saved under that enrollment and has not sent yet are then taken with the new token, each for its own gate. A token the server does not know is no error; and when the server knows no device of its `formerDeviceId` either (restored from a backup made before that enrollment), the records saved under that id for the new enrollment's gate are taken too. A phone sends the same random `retryKey` with every try of a code: a used code tried again with the key it was used with, while its enrollment has not been used and the code has not expired, answers 201 with that enrollment and a new token (the answer to the first try was lost).",
          requestBody: { required: true, ...json('EnrollRequest') },
          responses: {
            201: { description: 'Enrolled', ...json('EnrollResponse') },
            400: error('Invalid request'),
            404: error('Unknown code'),
            409: error('Code already used'),
            410: error('Code expired'),
            429: error('Too many attempts'),
          },
        },
      },
      '/api/v1/sync': {
        post: {
          summary: 'Push a batch of records; every record is answered',
          description:
            'Each record is `accepted` (stored now), a `duplicate` (stored already with the same content, whatever the gate’s rules are now: a batch sent again after a lost answer comes back so) or `rejected` with a code: `invalid`, `wrong_gate`, or `conflict` (its id is stored with other content, which is kept). The body may be sent gzip-compressed (`Content-Encoding: gzip`), as the app sends a large one; the body limit applies to it decompressed. Any API request body may.',
          security: device,
          requestBody: { required: true, ...json('SyncRequest') },
          responses: {
            200: { description: 'Per-record answers', ...json('SyncResponse') },
            400: error('Malformed JSON or envelope, or a body that is not valid gzip'),
            413: error('Body too large, decompressed: halve the batch'),
            415: error('A Content-Encoding other than gzip'),
            ...AUTH_ERRORS,
            503: error(
              'Too many batches at once (GATELOG_SYNC_MAX_IN_FLIGHT); nothing was read: send it again after Retry-After',
            ),
          },
        },
      },
      '/api/v1/shifts/{id}/close': {
        post: {
          summary: 'Close a shift: compare counts and digests',
          security: device,
          parameters: [idParam('The shift id (UUID)')],
          requestBody: { required: true, ...json('ShiftCloseRequest') },
          responses: {
            200: {
              description: 'What the server holds of the shift from this phone',
              ...json('ShiftCloseResponse'),
            },
            400: error('Invalid request'),
            409: error('A shift another phone of the gate began (shift_of_another_phone)'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/device/changes': {
        get: {
          summary:
            "The phone's pull: passes and watchlist changes after a cursor, with the gate's rules and the signing keys as they are now",
          description:
            "Each change is an entity's whole state after it (a pass, a watch entry, or a watch entry's removal), in commit order; `cursor` goes back as `since` and resumes without gaps or repeats. The feed keeps only each entity's latest change, and drops those of passes and entries more than a week past their last day: a new phone's first pull is one change per live entity, and a phone's state after pulling to the end is the same whatever its cursor was.",
          security: device,
          parameters: queryParameters(deviceChangesQuerySchema, ['since', 'limit']),
          responses: {
            200: { description: 'A page of changes', ...json('DeviceChangesResponse') },
            400: error('Invalid cursor or limit'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/device/config': {
        get: {
          summary: "This phone's gate and its rules",
          security: device,
          responses: { 200: { description: 'Config', ...json('DeviceConfig') }, ...AUTH_ERRORS },
        },
      },
      '/api/v1/gates': {
        get: {
          summary: 'List gates',
          description:
            'In the order they were made (then by id): a stable order, not a reader’s; clients sort by name to show them.',
          security: admin,
          responses: { 200: { description: 'Gates', ...json('GateList') }, ...AUTH_ERRORS },
        },
        post: {
          summary: 'Create a gate',
          security: admin,
          requestBody: { required: true, ...json('CreateGateRequest') },
          responses: {
            201: { description: 'Created', ...json('Gate') },
            400: error('Invalid request'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/gates/{id}': {
        patch: {
          summary:
            'Rename a gate and/or change some of its rules (the others are kept); phones get them on their next pull',
          security: admin,
          parameters: [idParam('The gate id')],
          requestBody: { required: true, ...json('UpdateGateRequest') },
          responses: {
            200: { description: 'The gate as it is now', ...json('Gate') },
            400: error('Invalid request, or nothing to change'),
            404: error('Unknown gate'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/gates/{id}/enrollment-codes': {
        post: {
          summary: 'Make a single-use enrollment code for a gate',
          security: admin,
          parameters: [idParam('The gate id')],
          responses: {
            201: { description: 'Code and link', ...json('EnrollmentCode') },
            404: error('Unknown gate'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/devices': {
        get: {
          summary: 'List phones: last sync, backlog, storage',
          security: admin,
          responses: { 200: { description: 'Phones', ...json('DeviceList') }, ...AUTH_ERRORS },
        },
      },
      '/api/v1/devices/{id}': {
        delete: {
          summary: 'Revoke a phone',
          security: admin,
          parameters: [idParam('The device id')],
          responses: {
            204: { description: 'Revoked' },
            404: error('Unknown device'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/logs': {
        get: {
          summary:
            'Records, keyset-paginated by (receivedAt, id), ascending or (order=desc) the newest first; ID numbers masked',
          security: admin,
          parameters: logParameters([...filterNames, 'cursor', 'limit']),
          responses: {
            200: { description: 'A page', ...json('LogsResponse') },
            400: error('Invalid filter or cursor; gate_unknown: gateId names no gate'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/logs/summary': {
        get: {
          summary:
            'How many records the filters match (all but flag), and how many of them each flag marks, in all and gate by gate',
          description:
            '`byGate` has one entry per gate with any record, in gate id order: a stable order, not a reader’s; clients sort by name to show them.',
          security: admin,
          parameters: logParameters(filterNames.filter((n) => n !== 'flag' && n !== 'order')),
          responses: {
            200: { description: 'The counts', ...json('LogSummary') },
            400: error('Invalid filter; gate_unknown: gateId names no gate'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/logs.csv': {
        get: {
          summary:
            "Every matching record as CSV (UTF-8 with BOM), streamed, with whether it was corrected later (corrected) and its newest correction (correctedBy); both times are at the offset the passage was logged at, named in utcOffset (UTC+08:00); for=spreadsheet writes them as a spreadsheet reads a date and time (2026-12-07 09:10:00, to the second) instead of ISO text, and keeps ID, phone and pass numbers, and typed text that would turn into a number or a date (an address 5-1 or 3/2), text in a spreadsheet (a leading tab; formula-looking text keeps its apostrophe after it, but for a sign and digits such as +8613800138000); lang=zh-CN or lang=en writes the header and the choices (direction, category, ID type, returnee, decision, fever, registered and corrected as yes/no) in that language, as the committee page says them, and lang=zh-CN names the file in Chinese too (Content-Disposition filename*=UTF-8''…, with the English name as filename); without lang, the API field names and values (in, admitted, true). The two are apart: lang changes only the words, for=spreadsheet only how times, numbers and typed text are written; the committee page's download asks for both, and an export asking lang alone (a script's, with the clerk's headers) keeps ISO times and the numbers as stored: ask for=spreadsheet too for a file to open in Excel or WPS",
          security: admin,
          parameters: logParameters([...filterNames, 'for', 'lang']),
          responses: {
            200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            400: error(
              'Invalid filter, for or lang (lang: not zh-CN or en); gate_unknown: gateId names no gate',
            ),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/passes': {
        get: {
          summary: 'List resident passes (default: active ones)',
          security: admin,
          parameters: queryParameters(passListQuerySchema, ['gateId', 'status']),
          responses: {
            200: { description: 'Passes', ...json('PassList') },
            400: error('Invalid filter'),
            ...AUTH_ERRORS,
          },
        },
        post: {
          summary: 'Issue a resident pass, signed with the active key (no gate: every gate)',
          security: admin,
          requestBody: { required: true, ...json('CreatePassRequest') },
          responses: {
            201: { description: 'Issued', ...json('Pass') },
            400: error('Invalid request, or a date in the past or too far ahead'),
            404: error('Unknown gate'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/passes/{id}': {
        delete: {
          summary: 'Revoke a pass (phones learn it on their next pull)',
          security: admin,
          parameters: [idParam('The pass number')],
          responses: {
            204: { description: 'Revoked' },
            404: error('Unknown pass'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/passes/sheet.html': {
        get: {
          summary:
            "A printable A4 sheet of the cards, with their QR codes, of the passes a gate takes on `today` (the clerk's day, YYYY-MM-DD, within a day of UTC's; the server's UTC day when not given): revoked and expired ones are left out. Its header says when it was made at `utcOffsetMinutes` (the clerk's UTC offset in minutes east, 480 in Shanghai, as the committee's page sends it), else in the server's time zone",
          security: admin,
          parameters: queryParameters(passSheetQuerySchema, [
            'gateId',
            'today',
            'utcOffsetMinutes',
          ]),
          responses: {
            200: {
              description: 'HTML page',
              content: { 'text/html': { schema: { type: 'string' } } },
            },
            400: error("Invalid filter, or a `today` more than a day off the server's"),
            404: error('Unknown gate'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/passes/keys': {
        get: {
          summary: 'The published signing keys: the active one and those with passes still valid',
          security: admin,
          responses: { 200: { description: 'Keys', ...json('SigningKeyList') }, ...AUTH_ERRORS },
        },
        post: {
          summary: 'Rotate: a new key signs from now on; passes signed before stay valid',
          security: admin,
          responses: { 201: { description: 'The new key', ...json('SigningKey') }, ...AUTH_ERRORS },
        },
      },
      '/api/v1/watchlist': {
        get: {
          summary: 'The watchlist (home quarantine); ID numbers masked',
          security: admin,
          responses: { 200: { description: 'Entries', ...json('WatchList') }, ...AUTH_ERRORS },
        },
        post: {
          summary: 'Put someone on the watchlist, found by pass number, ID number or phone',
          security: admin,
          requestBody: { required: true, ...json('CreateWatchRequest') },
          responses: {
            201: { description: 'Added', ...json('WatchEntry') },
            400: error('Invalid request, or a date in the past'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/watchlist/{id}': {
        delete: {
          summary: 'Take someone off the watchlist (phones learn it on their next pull)',
          security: admin,
          parameters: [idParam('The watchlist entry id')],
          responses: {
            204: { description: 'Removed' },
            404: error('Unknown entry'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/openapi.json': {
        get: {
          summary: 'This document',
          responses: {
            200: {
              description: 'OpenAPI 3.1',
              content: { 'application/json': { schema: { type: 'object' } } },
            },
          },
        },
      },
      '/healthz': {
        get: {
          summary: 'Liveness and readiness',
          responses: {
            200: { description: 'Up', ...json('Health') },
            503: { description: 'Database down', ...json('Health') },
          },
        },
      },
    },
  };
}

export default function openapiRoutes(app: FastifyInstance, _ctx: AppContext): void {
  let doc: JsonSchema | undefined;
  app.get('/api/openapi.json', async () => (doc ??= buildOpenApi()));
}

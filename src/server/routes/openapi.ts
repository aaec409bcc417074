/**
 * GET /api/openapi.json: the REST API described from the shared zod schemas, so the document
 * cannot drift from what the server parses and answers. Built once, on first request.
 */
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import {
  createGateRequestSchema,
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
  shiftCloseRequestSchema,
  shiftCloseResponseSchema,
  syncRequestSchema,
  syncResponseSchema,
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
    GateList: jsonSchema(gateListResponseSchema, 'output'),
    EnrollmentCode: jsonSchema(enrollmentCodeResponseSchema, 'output'),
    DeviceList: jsonSchema(deviceListResponseSchema, 'output'),
    LogsResponse: jsonSchema(logsResponseSchema, 'output'),
    Health: jsonSchema(healthResponseSchema, 'output'),
    Error: jsonSchema(errorResponseSchema, 'output'),
  };
  const logsQuery = jsonSchema(logsQuerySchema, 'input') as {
    properties: Record<string, JsonSchema>;
  };
  const logParameters = (names: string[]) =>
    names.map((name) => ({
      name,
      in: 'query',
      required: false,
      schema: logsQuery.properties[name],
    }));
  const filterNames = ['gateId', 'from', 'to', 'flag'];
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
      description: 'Sync server of the GateLog gate-checkpoint logbook (DESIGN.md §6).',
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
          security: device,
          requestBody: { required: true, ...json('SyncRequest') },
          responses: {
            200: { description: 'Per-record answers', ...json('SyncResponse') },
            400: error('Malformed JSON or envelope'),
            413: error('Body too large: halve the batch'),
            ...AUTH_ERRORS,
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
            200: { description: 'What the server holds', ...json('ShiftCloseResponse') },
            400: error('Invalid request'),
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
          summary: 'Records, keyset-paginated by (receivedAt, id); ID numbers masked',
          security: admin,
          parameters: logParameters([...filterNames, 'cursor', 'limit']),
          responses: {
            200: { description: 'A page', ...json('LogsResponse') },
            400: error('Invalid filter or cursor'),
            ...AUTH_ERRORS,
          },
        },
      },
      '/api/v1/logs.csv': {
        get: {
          summary: 'Every matching record as CSV (UTF-8 with BOM), streamed',
          security: admin,
          parameters: logParameters(filterNames),
          responses: {
            200: { description: 'CSV', content: { 'text/csv': { schema: { type: 'string' } } } },
            400: error('Invalid filter'),
            ...AUTH_ERRORS,
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

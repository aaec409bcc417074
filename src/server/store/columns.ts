/**
 * The records table's columns in one order, shared by every store implementation so the
 * multi-row INSERT and the row mapping cannot drift apart.
 */
import type { RecordRow } from './types';

export const RECORD_COLUMNS = [
  ['id', 'id'],
  ['schema_version', 'schemaVersion'],
  ['device_id', 'deviceId'],
  ['gate_id', 'gateId'],
  ['shift_id', 'shiftId'],
  ['guard', 'guard'],
  ['occurred_at', 'occurredAt'],
  ['occurred_ms', 'occurredMs'],
  ['direction', 'direction'],
  ['category', 'category'],
  ['name', 'name'],
  ['id_type', 'idType'],
  ['id_number', 'idNumber'],
  ['phone', 'phone'],
  ['address', 'address'],
  ['pass_id', 'passId'],
  ['temperature_c', 'temperatureC'],
  ['returnee_status', 'returneeStatus'],
  ['returnee_origin', 'returneeOrigin'],
  ['arrived_on', 'arrivedOn'],
  ['quarantine_until', 'quarantineUntil'],
  ['registered', 'registered'],
  ['decision', 'decision'],
  ['note', 'note'],
  ['amends', 'amends'],
  ['is_fever', 'isFever'],
  ['received_at', 'receivedAt'],
  ['batch_id', 'batchId'],
  ['json', 'json'],
] as const satisfies readonly (readonly [string, keyof RecordRow])[];

export const RECORD_COLUMN_LIST = RECORD_COLUMNS.map(([c]) => c).join(', ');

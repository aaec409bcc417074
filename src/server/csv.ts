/**
 * The CSV export of stored records (RFC 4180, UTF-8 with BOM so spreadsheet software reads
 * Chinese right). Cells that a spreadsheet would run as a formula are neutralised with `'`.
 */
import type { RecordRow } from './store/types';

export const CSV_BOM = '\uFEFF';
const ROWS_PER_CHUNK = 500;

const COLUMNS: readonly [header: string, cell: (r: RecordRow, gateName: string) => unknown][] = [
  ['id', (r) => r.id],
  ['receivedAt', (r) => new Date(r.receivedAt).toISOString()],
  ['occurredAt', (r) => r.occurredAt],
  ['gateId', (r) => r.gateId],
  ['gateName', (_r, gateName) => gateName],
  ['deviceId', (r) => r.deviceId],
  ['shiftId', (r) => r.shiftId],
  ['guard', (r) => r.guard],
  ['direction', (r) => r.direction],
  ['category', (r) => r.category],
  ['name', (r) => r.name],
  ['idType', (r) => r.idType],
  ['idNumber', (r) => r.idNumber],
  ['phone', (r) => r.phone],
  ['address', (r) => r.address],
  ['passId', (r) => r.passId],
  ['temperatureC', (r) => r.temperatureC],
  ['fever', (r) => r.isFever],
  ['returneeStatus', (r) => r.returneeStatus],
  ['returneeOrigin', (r) => r.returneeOrigin],
  ['arrivedOn', (r) => r.arrivedOn],
  ['quarantineUntil', (r) => r.quarantineUntil],
  ['registered', (r) => r.registered],
  ['decision', (r) => r.decision],
  ['note', (r) => r.note],
  ['amends', (r) => r.amends],
];

/** One CSV cell: quoted when needed, formula-looking text prefixed with `'`. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const line = (cells: readonly unknown[]): string => cells.map(csvCell).join(',') + '\r\n';

/** The export as text chunks: BOM and header first, then rows a few hundred at a time. */
export async function* csvChunks(
  rows: AsyncIterable<RecordRow>,
  gateNames: ReadonlyMap<string, string>,
): AsyncGenerator<string> {
  yield CSV_BOM + line(COLUMNS.map(([header]) => header));
  let chunk = '';
  let n = 0;
  for await (const r of rows) {
    const gateName = gateNames.get(r.gateId) ?? '';
    chunk += line(COLUMNS.map(([, cell]) => cell(r, gateName)));
    if (++n % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

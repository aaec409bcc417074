/**
 * The CSV export of stored records (RFC 4180, UTF-8 with BOM so spreadsheet software reads
 * Chinese right). Cells that a spreadsheet would run as a formula are neutralised with `'`.
 */
import type { GateLog } from '../shared';
import type { LogRow } from './store/types';

export const CSV_BOM = '\uFEFF';
const ROWS_PER_CHUNK = 500;

type Cell = (row: LogRow, record: GateLog, gateName: string) => unknown;

/**
 * `ms` as an ISO time at the UTC offset `like` is written at (`2026-12-07T05:06:00+08:00`): the
 * time received beside the time the passage happened, at the gate's offset, so that one row
 * does not read as two different days. UTC (`Z`) when `like` has no offset.
 */
export function atOffsetOf(ms: number, like: string): string {
  const m = /([+-])(\d\d):(\d\d)$/.exec(like);
  if (!m) return new Date(ms).toISOString();
  const offsetMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
  const local = new Date(ms + offsetMin * 60_000).toISOString().slice(0, -1); // drop the Z
  return `${local}${m[0]}`;
}

/**
 * Record fields come from the stored canonical JSON, not from the column copies: PostgreSQL's
 * columns cannot hold U+0000 (the store puts U+FFFD there), and the export must give back
 * exactly what the phone sent, on either store.
 */
const COLUMNS: readonly [header: string, cell: Cell][] = [
  ['id', (_r, g) => g.id],
  ['receivedAt', (r, g) => atOffsetOf(r.receivedAt, g.occurredAt)],
  ['occurredAt', (_r, g) => g.occurredAt],
  ['gateId', (_r, g) => g.gateId],
  ['gateName', (_r, _g, gateName) => gateName],
  ['deviceId', (_r, g) => g.deviceId],
  ['shiftId', (_r, g) => g.shiftId],
  ['guard', (_r, g) => g.guard],
  ['direction', (_r, g) => g.direction],
  ['category', (_r, g) => g.person.category],
  ['name', (_r, g) => g.person.name],
  ['idType', (_r, g) => g.person.idType],
  ['idNumber', (_r, g) => g.person.idNumber],
  ['phone', (_r, g) => g.person.phone],
  ['address', (_r, g) => g.person.address],
  ['passId', (_r, g) => g.person.passId],
  ['temperatureC', (_r, g) => g.temperatureC],
  // As the page and the fever list have it: a corrected reading flags nothing (its correction
  // does, or not); the temperature is still there as logged.
  ['fever', (r) => r.isFever && r.correctedBy === null],
  ['returneeStatus', (_r, g) => g.returnee.status],
  ['returneeOrigin', (_r, g) => g.returnee.origin],
  ['arrivedOn', (_r, g) => g.returnee.arrivedOn],
  ['quarantineUntil', (_r, g) => g.returnee.quarantineUntil],
  ['registered', (_r, g) => g.returnee.registered],
  ['decision', (_r, g) => g.decision],
  ['note', (_r, g) => g.note],
  ['amends', (_r, g) => g.amends],
  // The newest record correcting this one: the row to read instead.
  ['correctedBy', (r) => r.correctedBy],
];

/** One CSV cell: quoted when needed, formula-looking text prefixed with `'`. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Columns of numbers that are names, not quantities. A spreadsheet opening the file reads
 * "110105199808213150" as a number: shown as 1.10105E+17, kept to 15 digits, the last three
 * lost. For one (`for=spreadsheet`) such a cell starts with a tab, which keeps it text.
 */
const NUMBER_NAMES = new Set(['idNumber', 'phone', 'passId']);

/** A number-name cell for a spreadsheet: the tab, then the cell as ever (quoted when needed). */
const asText = (value: unknown): string => {
  const cell = csvCell(value);
  if (cell === '') return '';
  return cell.startsWith('"') ? `"\t${cell.slice(1)}` : `\t${cell}`;
};

export interface CsvOptions {
  /** Number-name columns kept as text by spreadsheets (a leading tab). */
  spreadsheet?: boolean;
}

/** The export as text chunks: BOM and header first, then rows a few hundred at a time. */
export async function* csvChunks(
  rows: AsyncIterable<LogRow>,
  gateNames: ReadonlyMap<string, string>,
  options: CsvOptions = {},
): AsyncGenerator<string> {
  const writers = COLUMNS.map(([header]) =>
    options.spreadsheet && NUMBER_NAMES.has(header) ? asText : csvCell,
  );
  const line = (cells: readonly unknown[]): string =>
    cells.map((c, i) => writers[i]!(c)).join(',') + '\r\n';
  yield CSV_BOM + COLUMNS.map(([header]) => csvCell(header)).join(',') + '\r\n';
  let chunk = '';
  let n = 0;
  for await (const r of rows) {
    const gateName = gateNames.get(r.gateId) ?? '';
    const record = JSON.parse(r.json) as GateLog;
    chunk += line(COLUMNS.map(([, cell]) => cell(r, record, gateName)));
    if (++n % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

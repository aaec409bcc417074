/**
 * The CSV export of stored records (RFC 4180, UTF-8 with BOM so spreadsheet software reads
 * Chinese right). Cells that a spreadsheet would run as a formula are neutralised with `'`.
 * In a language (`lang`), the header and the choices (`in`, `admitted`, `true`…) are the words
 * the committee's page shows (src/shared/record-words.ts); ids, times, numbers and typed text
 * are as stored. Without one, the API's field names and values, for scripts. For a spreadsheet
 * (`for=spreadsheet`), times are written as one reads a date and time, not ISO text. The two are
 * apart: a language changes the words alone, so a script asking for the clerk's headers still
 * reads ISO times (the committee's page asks for both).
 */
import { exportWords, recordWords, type GateLog, type Locale } from '../shared';
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
 * `ms` as a spreadsheet reads a date and time (`2026-12-07 05:06:30`), in the local time of the
 * offset `like` is written at (atOffsetOf), to the second: Excel and WPS take ISO's `T…+08:00`
 * as text, which sorts and filters as no time. The offset is in a column of its own.
 */
export function spreadsheetTime(ms: number, like: string): string {
  return atOffsetOf(Math.floor(ms / 1000) * 1000, like)
    .slice(0, 19)
    .replace('T', ' ');
}

/** The UTC offset a time is written at, as a time zone is named (`UTC+08:00`; `Z` is `UTC+00:00`). */
export function utcOffsetOf(iso: string): string {
  const m = /[+-]\d\d:\d\d$/.exec(iso);
  return `UTC${m ? m[0] : '+00:00'}`;
}

/**
 * Record fields come from the stored canonical JSON, not from the column copies: PostgreSQL's
 * columns cannot hold U+0000 (the store puts U+FFFD there), and the export must give back
 * exactly what the phone sent, on either store.
 */
interface Column {
  /** The header without a language: the record's field name, as the API has it. */
  key: string;
  cell: Cell;
  /** The cell for a spreadsheet (`for=spreadsheet`), when it is not `cell`'s. */
  sheetCell?: Cell;
  /** The header's word, when it is not `key` (`recordWords`, else `exportWords`). */
  word?: string;
  /** The values are choices, said as `${choice}.${value}`; `yesNo`, booleans said yes or no. */
  choice?: string;
}

const COLUMNS: readonly Column[] = [
  { key: 'id', cell: (_r, g) => g.id },
  // Both times at the offset the phone logged the passage at: the one `utcOffset` names.
  {
    key: 'receivedAt',
    cell: (r, g) => atOffsetOf(r.receivedAt, g.occurredAt),
    sheetCell: (r, g) => spreadsheetTime(r.receivedAt, g.occurredAt),
  },
  {
    key: 'occurredAt',
    cell: (_r, g) => g.occurredAt,
    sheetCell: (_r, g) => spreadsheetTime(Date.parse(g.occurredAt), g.occurredAt),
  },
  { key: 'utcOffset', cell: (_r, g) => utcOffsetOf(g.occurredAt) },
  { key: 'gateId', cell: (_r, g) => g.gateId },
  { key: 'gateName', word: 'gate', cell: (_r, _g, gateName) => gateName },
  { key: 'deviceId', cell: (_r, g) => g.deviceId },
  { key: 'shiftId', cell: (_r, g) => g.shiftId },
  { key: 'guard', cell: (_r, g) => g.guard },
  { key: 'direction', choice: 'direction', cell: (_r, g) => g.direction },
  { key: 'category', choice: 'category', cell: (_r, g) => g.person.category },
  { key: 'name', cell: (_r, g) => g.person.name },
  { key: 'idType', choice: 'idType', cell: (_r, g) => g.person.idType },
  { key: 'idNumber', cell: (_r, g) => g.person.idNumber },
  { key: 'phone', cell: (_r, g) => g.person.phone },
  { key: 'address', cell: (_r, g) => g.person.address },
  { key: 'passId', cell: (_r, g) => g.person.passId },
  { key: 'temperatureC', cell: (_r, g) => g.temperatureC },
  // As the page and the fever list have it: a corrected reading flags nothing (its correction
  // does, or not); the temperature is still there as logged.
  { key: 'fever', choice: 'yesNo', cell: (r) => r.isFever && r.correctedBy === null },
  {
    key: 'returneeStatus',
    word: 'returnee',
    choice: 'returnee',
    cell: (_r, g) => g.returnee.status,
  },
  { key: 'returneeOrigin', word: 'origin', cell: (_r, g) => g.returnee.origin },
  { key: 'arrivedOn', cell: (_r, g) => g.returnee.arrivedOn },
  { key: 'quarantineUntil', cell: (_r, g) => g.returnee.quarantineUntil },
  { key: 'registered', choice: 'yesNo', cell: (_r, g) => g.returnee.registered },
  { key: 'decision', choice: 'decision', cell: (_r, g) => g.decision },
  { key: 'note', cell: (_r, g) => g.note },
  // Corrected later (as the page marks it): a spreadsheet's filter on it finds the rows to skip.
  { key: 'corrected', choice: 'yesNo', cell: (r) => r.correctedBy !== null },
  { key: 'amends', cell: (_r, g) => g.amends },
  // The newest record correcting this one: the row to read instead.
  { key: 'correctedBy', cell: (r) => r.correctedBy },
];

/**
 * The header and a choice's value in `lang`: the page's words for the record, else the
 * export's own. A value with no word (none is expected: the schema allows only these) is kept.
 */
function sayer(lang: Locale | undefined) {
  if (lang === undefined)
    return { header: (c: Column) => c.key, value: (_c: Column, v: unknown) => v };
  const words: Record<string, string | undefined> = { ...recordWords[lang], ...exportWords[lang] };
  return {
    header: (c: Column) => words[c.word ?? c.key] ?? c.key,
    value: (c: Column, v: unknown) => {
      if (c.choice === undefined || v === undefined || v === null) return v;
      const key = c.choice === 'yesNo' ? (v ? 'yes' : 'no') : `${c.choice}.${String(v)}`;
      return words[key] ?? v;
    },
  };
}

/** What a spreadsheet runs as a formula (OWASP's list: `= + - @`, tab, carriage return). */
const FORMULA_START = /^[=+\-@\t\r]/;

const quoted = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);

/** One CSV cell: quoted when needed, formula-looking text prefixed with `'`. */
export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = String(value);
  return quoted(FORMULA_START.test(s) ? `'${s}` : s);
}

/**
 * Columns of numbers that are names, not quantities. A spreadsheet opening the file reads
 * "110105199808213150" as a number: shown as 1.10105E+17, kept to 15 digits, the last three
 * lost. For one (`for=spreadsheet`) such a cell starts with a tab, which keeps it text.
 */
const NUMBER_NAMES = new Set(['idNumber', 'phone', 'passId']);

/** Columns of typed text: for a spreadsheet, a tab before what it would not keep as typed. */
const TYPED_TEXT = new Set(['gateName', 'guard', 'name', 'address', 'returneeOrigin', 'note']);

/**
 * Text a spreadsheet would not keep as typed: a number (`0101` loses its 0), a date (the
 * building-unit `5-1`, `3/2`, `3月2日` become 1 May, 2 March), a time, a fraction, a percentage,
 * an amount, E notation, TRUE or FALSE: digits and the signs those use, or the two words.
 */
const READ_AS_NUMBER = /^(?=.*\d)[\d .,:/+\-()%$¥￥€£eE年月日时分秒]+$|^(?:true|false)$/i;

/** A sign and digits: run as a formula it makes that number, and calls nothing. */
const SIGNED_DIGITS = /^[+-]?\d+$/;

/**
 * A cell a spreadsheet keeps as text: a tab, then the cell. The tab alone does not stop a
 * formula everywhere (OWASP lists it among the characters that start one: a program that trims
 * it reads what follows), so formula-looking text keeps its `'` after the tab; but not a sign
 * and digits, a phone's `+8613800138000`, harmless as a formula, where the `'` would only show
 * in the clerk's cell (after a tab it is no hidden text prefix: it is the cell's second letter).
 */
const asText = (value: unknown): string => {
  if (value === null || value === undefined || value === '') return '';
  const s = String(value);
  const cell = SIGNED_DIGITS.test(s) ? quoted(s) : csvCell(s);
  return cell.startsWith('"') ? `"\t${cell.slice(1)}` : `\t${cell}`;
};

/** Typed text for a spreadsheet: as text when it would else turn into a number or a date. */
const asTypedText = (value: unknown): string =>
  typeof value === 'string' && READ_AS_NUMBER.test(value) ? asText(value) : csvCell(value);

/** How a column's cells are written for a spreadsheet. */
const spreadsheetWriter = (key: string): ((value: unknown) => string) =>
  NUMBER_NAMES.has(key) ? asText : TYPED_TEXT.has(key) ? asTypedText : csvCell;

export interface CsvOptions {
  /**
   * Number-name columns, and typed text that would turn into a number or a date, kept as text
   * by spreadsheets (a leading tab).
   */
  spreadsheet?: boolean;
  /** The header and the choices in this language; without one, the API's names and values. */
  lang?: Locale | undefined;
}

/** The export as text chunks: BOM and header first, then rows a few hundred at a time. */
export async function* csvChunks(
  rows: AsyncIterable<LogRow>,
  gateNames: ReadonlyMap<string, string>,
  options: CsvOptions = {},
): AsyncGenerator<string> {
  const say = sayer(options.lang);
  const writers = COLUMNS.map(({ key }) =>
    options.spreadsheet ? spreadsheetWriter(key) : csvCell,
  );
  const cells = COLUMNS.map((c) => (options.spreadsheet && c.sheetCell) || c.cell);
  const line = (r: LogRow, record: GateLog, gateName: string): string =>
    COLUMNS.map((c, i) => writers[i]!(say.value(c, cells[i]!(r, record, gateName)))).join(',') +
    '\r\n';
  yield CSV_BOM + COLUMNS.map((c) => csvCell(say.header(c))).join(',') + '\r\n';
  let chunk = '';
  let n = 0;
  for await (const r of rows) {
    chunk += line(r, JSON.parse(r.json) as GateLog, gateNames.get(r.gateId) ?? '');
    if (++n % ROWS_PER_CHUNK === 0) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

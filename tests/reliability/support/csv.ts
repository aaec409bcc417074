/** A strict RFC 4180 reader (CRLF rows, `"` quoting), to read back the server's CSV export. */

/** Rows of cells; throws on a stray quote or an unterminated quoted cell. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  let started = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i += 2;
      } else if (c === '"') {
        quoted = false;
        i++;
        if (i < text.length && text[i] !== ',' && text[i] !== '\r') {
          throw new Error(`csv: text after a closing quote at ${i}`);
        }
      } else {
        cell += c;
        i++;
      }
      continue;
    }
    if (c === '"') {
      if (cell !== '') throw new Error(`csv: quote inside an unquoted cell at ${i}`);
      quoted = true;
      started = true;
      i++;
    } else if (c === ',') {
      row.push(cell);
      cell = '';
      started = true;
      i++;
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      started = false;
      i += 2;
    } else if (c === '\n' || c === '\r') {
      throw new Error(`csv: bare line break in an unquoted cell at ${i}`);
    } else {
      cell += c;
      started = true;
      i++;
    }
  }
  if (quoted) throw new Error('csv: unterminated quoted cell');
  if (started || cell !== '') {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

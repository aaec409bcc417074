/** The gate rules editor's text fields → the values `gateRulesSchema` checks. */

/** "湖北, 温州\n浙江" → ['湖北', '温州', '浙江']: commas (either width), 、, ; or new lines. */
export function splitRegions(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[,，、;；\n\r]+/)) {
    const r = part.trim();
    if (r !== '' && !out.includes(r)) out.push(r);
  }
  return out;
}

/** A number as typed ("37,3", " 14 "); empty is NaN, which the schema refuses. */
export function parseNumber(s: string): number {
  const t = s.trim().replace(',', '.');
  return t === '' ? Number.NaN : Number(t);
}

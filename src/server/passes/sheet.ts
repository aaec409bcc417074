/**
 * A printable A4 sheet of pass cards: eight to a page, each with its QR code (inline SVG from
 * `qrcode`), the member's name and household address in Chinese, the pass number to type when
 * a camera fails, and the last valid day. One self-contained HTML page; its only style is
 * inline and allowed by hash in its own Content-Security-Policy.
 */
import { createHash } from 'node:crypto';
import QRCode from 'qrcode';
import { formatPassId, isPassExpired } from '../../shared/passes';
import type { PassRow } from '../store/types';
import { dateTimeAtOffset, localDateTime } from '../terminal';

const STYLE = `
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { margin: 0; font-family: "PingFang SC", "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; color: #000; }
header { margin: 0 0 6mm; font-size: 12pt; }
.sheet { display: grid; grid-template-columns: repeat(2, 1fr); gap: 5mm; }
.card { border: 0.4mm dashed #555; border-radius: 3mm; padding: 4mm; height: 64mm;
  display: grid; grid-template-columns: 40mm 1fr; gap: 4mm; align-items: center;
  break-inside: avoid; page-break-inside: avoid; }
.card svg { width: 40mm; height: 40mm; display: block; }
.title { font-size: 10pt; letter-spacing: 0.1em; margin: 0 0 2mm; }
.name { font-size: 20pt; font-weight: 700; margin: 0 0 2mm; }
.address { font-size: 13pt; margin: 0 0 3mm; }
.meta { font-size: 9.5pt; margin: 0; line-height: 1.5; }
.number { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: 12pt; font-weight: 700; }
.empty { font-size: 14pt; }
@media screen { body { padding: 10mm; max-width: 210mm; margin: 0 auto; } }
@media print { header { display: none; } }
`;

/** The Content-Security-Policy the sheet needs (its inline style, nothing else). */
export const SHEET_CSP = [
  "default-src 'none'",
  `style-src 'sha256-${createHash('sha256').update(STYLE).digest('base64')}'`,
  "img-src 'self' data:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export interface SheetOptions {
  /** Shown at the top of the page (not printed) and on each card. */
  gateName?: string | undefined;
  /** When the sheet was made, for the header. */
  now: number;
  /**
   * The reader's UTC offset in minutes east (the committee page's clerk's): the header's time is
   * said in it. Without one, this computer's zone (the CLI's terminal).
   */
  utcOffsetMinutes?: number | undefined;
  /** The compound's calendar day (YYYY-MM-DD): passes past their last day are left out. */
  today: string;
}

/**
 * The sheet of the given passes that a gate still takes on `opts.today`, in their order, and
 * how many cards it holds: an expired pass's card would be refused at every gate.
 */
export async function renderPassSheet(
  passes: readonly PassRow[],
  opts: SheetOptions,
): Promise<{ html: string; cards: number }> {
  const inForce = passes.filter((p) => !isPassExpired(p.validUntil, opts.today));
  const cards = await Promise.all(
    inForce.map(async (p) => {
      const svg = await QRCode.toString(p.token, {
        type: 'svg',
        errorCorrectionLevel: 'M',
        margin: 2,
      });
      return `<section class="card" aria-label="${escapeHtml(p.name)}">
  ${svg}
  <div>
    <p class="title">居民出入证 · ${escapeHtml(opts.gateName ?? '全部门岗')}</p>
    <p class="name">${escapeHtml(p.name)}</p>
    <p class="address">${escapeHtml(p.address)}</p>
    <p class="meta">出入证号 <span class="number">${formatPassId(p.id)}</span><br>有效期至 ${escapeHtml(p.validUntil)}</p>
  </div>
</section>`;
    }),
  );
  const made =
    opts.utcOffsetMinutes === undefined
      ? localDateTime(opts.now)
      : dateTimeAtOffset(opts.now, opts.utcOffsetMinutes);
  const html = `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>居民出入证 Resident passes</title>
<style>${STYLE}</style>
</head>
<body>
<header>居民出入证 Resident passes — ${escapeHtml(opts.gateName ?? '全部门岗 all gates')} — ${inForce.length} 张 — ${opts.today} 有效 valid on ${opts.today} — ${made}. 用 A4 纸打印，沿虚线剪开。Print on A4 and cut along the dashed lines.</header>
<main class="sheet">
${cards.length ? cards.join('\n') : '<p class="empty">没有有效的出入证 No active passes.</p>'}
</main>
</body>
</html>
`;
  return { html, cards: inForce.length };
}

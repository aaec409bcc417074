#!/usr/bin/env node
/**
 * Draws GateLog's icons: a checkpoint boom barrier in brand blue on white. One geometry, in a
 * 100×100 box, is rasterised (4×4 supersampling, pure Node, PNG encoded with zlib) into the
 * favicon and the PNG icons the manifest and iOS ask for.
 * Run `node scripts/make-icons.mjs` after changing the mark, and commit the files it writes.
 */
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';
import { deflateSync } from 'node:zlib';

const BRAND = [0x0b, 0x3d, 0x91];
const WHITE = [0xff, 0xff, 0xff];

/**
 * The mark, painted in order: a post, a striped boom resting on a small support, the ground.
 * Each shape is a rounded rectangle {x, y, w, h, r} in the 100×100 box.
 */
const MARK = [
  { x: 14, y: 26, w: 16, h: 62, r: 4, fill: BRAND }, // post
  { x: 26, y: 36, w: 64, h: 14, r: 7, fill: BRAND }, // boom
  { x: 44, y: 39, w: 7, h: 8, r: 0, fill: WHITE }, // boom stripes
  { x: 60, y: 39, w: 7, h: 8, r: 0, fill: WHITE },
  { x: 76, y: 39, w: 7, h: 8, r: 0, fill: WHITE },
  { x: 78, y: 50, w: 7, h: 38, r: 2, fill: BRAND }, // rest post
  { x: 6, y: 86, w: 88, h: 7, r: 3.5, fill: BRAND }, // ground
];
// The mark's bounding box, to centre it.
const MARK_BOX = { x: 6, y: 26, w: 88, h: 67 };

/** Icons to write: size in px, the mark's width as a share of the icon, corner radius share. */
const ICONS = [
  // "any" icons: a little margin; browsers show them as they are.
  { file: 'icon-192.png', size: 192, markShare: 0.78 },
  { file: 'icon-512.png', size: 512, markShare: 0.78 },
  // maskable: full-bleed background, mark inside the 80 % safe circle (a square of side ≈ 56 %).
  { file: 'icon-maskable-512.png', size: 512, markShare: 0.56 },
  // iOS fills transparency with black and rounds the corners itself: opaque, full bleed.
  { file: 'apple-touch-icon.png', size: 180, markShare: 0.7 },
  // The favicon, on white so it shows on dark tab strips too. A PNG, not an SVG: Chrome fetches
  // the favicon again at every navigation, the app's own screen changes included, and decodes
  // it on the page's main thread, where an SVG is a document to parse (≈20 ms at 4× CPU, traced
  // while the logbook opened) and a small PNG a fraction of a millisecond.
  { file: 'favicon.png', size: 48, markShare: 0.74 },
];

/** True when the point lies inside the rounded rectangle. */
function inside(s, px, py) {
  if (px < s.x || px > s.x + s.w || py < s.y || py > s.y + s.h) return false;
  const r = Math.min(s.r, s.w / 2, s.h / 2);
  if (r === 0) return true;
  const cx = Math.min(Math.max(px, s.x + r), s.x + s.w - r);
  const cy = Math.min(Math.max(py, s.y + r), s.y + s.h - r);
  return (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
}

/** Paints the mark into an RGBA buffer of size×size, mark scaled to markShare of the width. */
function rasterise(size, markShare) {
  const SS = 4; // samples per axis
  const scale = (size * markShare) / MARK_BOX.w; // px per mark unit
  const ox = size / 2 - (MARK_BOX.x + MARK_BOX.w / 2) * scale;
  const oy = size / 2 - (MARK_BOX.y + MARK_BOX.h / 2) * scale;
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0];
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          const ux = (x + (sx + 0.5) / SS - ox) / scale;
          const uy = (y + (sy + 0.5) / SS - oy) / scale;
          let c = WHITE;
          for (const s of MARK) if (inside(s, ux, uy)) c = s.fill;
          acc[0] += c[0];
          acc[1] += c[1];
          acc[2] += c[2];
        }
      }
      const i = (y * size + x) * 4;
      rgba[i] = Math.round(acc[0] / (SS * SS));
      rgba[i + 1] = Math.round(acc[1] / (SS * SS));
      rgba[i + 2] = Math.round(acc[2] / (SS * SS));
      rgba[i + 3] = 255;
    }
  }
  return rgba;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** Encodes an RGBA buffer as an 8-bit truecolour-with-alpha PNG. */
function encodePng(size, rgba) {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // RGBA
  const raw = Buffer.alloc((size * 4 + 1) * size);
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    rgba.copy(raw, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = new URL('../public/', import.meta.url);
for (const icon of ICONS) {
  writeFileSync(
    new URL(icon.file, out),
    encodePng(icon.size, rasterise(icon.size, icon.markShare)),
  );
}
process.stdout.write(`Wrote ${ICONS.map((i) => i.file).join(', ')} to public/\n`);

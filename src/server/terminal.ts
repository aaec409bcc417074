/** What `main.ts` and the CLI print for the operator: addresses and scannable links. */
import { networkInterfaces } from 'node:os';
import QRCode from 'qrcode';
import { sayIn, type Say } from './cli-messages';
import type { Config } from './config';
import { localIsoWithOffset } from '../shared/local-time';
import { phoneLink } from '../shared/urls';
import { phoneBaseOf } from './enrollment';

/** The addresses the server answers on: localhost and every LAN IPv4 when bound to all. */
export function serverUrls(config: Pick<Config, 'host' | 'port'>): string[] {
  const all = config.host === '0.0.0.0' || config.host === '::';
  if (!all)
    return [
      `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${config.port}`,
    ];
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && i.family === 'IPv4' && !i.internal)
    .map((i) => `http://${i!.address}:${config.port}`);
  return [`http://localhost:${config.port}`, ...lan];
}

/** The base of links for phones: GATELOG_PUBLIC_URL, else the first LAN address. */
export function phoneBaseUrl(config: Pick<Config, 'host' | 'port' | 'publicUrl'>): string {
  return config.publicUrl ?? phoneBaseOf(serverUrls(config));
}

/**
 * A moment as the operator at this terminal reads it: the date and time in this computer's time
 * zone (TZ) with its offset, `2026-12-14 16:56 (UTC+08:00)`. An enrollment code's end was
 * printed as 2026-12-14T08:56:03.832Z, which a clerk in Shanghai reads as eight in the morning.
 */
export function localDateTime(ms: number): string {
  const iso = localIsoWithOffset(new Date(ms));
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} (UTC${iso.slice(23)})`;
}

/**
 * The same moment at a UTC offset (minutes east) rather than this computer's: `2026-12-14 16:56
 * (UTC+08:00)` at 480, as a reader in another zone than the server's reads a clock.
 */
export function dateTimeAtOffset(ms: number, offsetMinutes: number): string {
  const wall = new Date(ms + offsetMinutes * 60_000).toISOString();
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hhmm = `${String(Math.trunc(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${wall.slice(0, 10)} ${wall.slice(11, 16)} (UTC${sign}${hhmm})`;
}

/**
 * The line above an enrollment link, in npm start's output and codes:create's (in the terminal's
 * language there). Its end read with nested brackets, `(single use, until 2026-12-14 16:56
 * (UTC+08:00)):`.
 */
export function enrollmentHeading(
  gateName: string,
  expiresAt: number,
  say: Say = sayIn('en'),
): string {
  return say('enrollHeading', { gate: gateName, until: localDateTime(expiresAt) });
}

/** A QR code of `text` drawn with block characters, for scanning off the terminal. */
export function terminalQr(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'terminal', small: true });
}

/**
 * Printed under the enrollment link when phones cannot use it as they should: over plain HTTP
 * on another host (no offline), or at this computer's own address (HOST=127.0.0.1, as behind a
 * proxy, with no GATELOG_PUBLIC_URL), which a phone cannot open at all: that link was printed
 * with nothing said. In the terminal's language (`say`).
 */
export function phoneLinkNote(baseUrl: string, say: Say = sayIn('en')): string | null {
  const link = phoneLink(baseUrl);
  if (link === null || link.kind === 'https') return null;
  return link.kind === 'loopback'
    ? say('start.linkNote.loopback', { host: link.host })
    : say('start.linkNote.plainHttp');
}

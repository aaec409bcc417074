/** What `main.ts` and the CLI print for the operator: addresses and scannable links. */
import { networkInterfaces } from 'node:os';
import QRCode from 'qrcode';
import type { Config } from './config';
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

/** A QR code of `text` drawn with block characters, for scanning off the terminal. */
export function terminalQr(text: string): Promise<string> {
  return QRCode.toString(text, { type: 'terminal', small: true });
}

/** Printed when phones would reach the server over plain HTTP on another host. */
export function httpsHint(baseUrl: string): string | null {
  const u = new URL(baseUrl);
  if (u.protocol === 'https:' || u.hostname === 'localhost' || u.hostname === '127.0.0.1')
    return null;
  return (
    'Note: phones work offline only over HTTPS. Put the server behind HTTPS (a reverse proxy) ' +
    'and set GATELOG_PUBLIC_URL to that address.'
  );
}

/** Addresses as a phone sees them: what the server and the committee's page both check. */

/**
 * The WHATWG URL parser, a global in every runtime that imports this folder (browser, service
 * worker, Node), which compiles against ES2022 alone: the part of it used here.
 */
declare const URL: new (url: string) => ParsedUrl;
interface ParsedUrl {
  protocol: string;
  hostname: string;
  host: string;
}

/**
 * A URL's hostname (as the URL parser writes it) that names this computer itself (localhost,
 * 127.x, ::1): a phone opening it reaches itself, not the server.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const bare = hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '');
  return (
    bare === 'localhost' ||
    bare.endsWith('.localhost') ||
    /^127\.\d+\.\d+\.\d+$/.test(bare) ||
    bare === '::1' ||
    // 127.x written as IPv6 (::ffff:127.0.0.1, as the URL parser writes it).
    /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(bare)
  );
}

/**
 * How a phone can use a link to the server (an enrollment link, or its base):
 * - `loopback`: this computer's own address (localhost, 127.x, ::1), over http or https: a phone
 *   opening it reaches itself, not the server;
 * - `plainHttp`: plain http to another computer (a LAN address): a phone opens it and enrolls,
 *   but without https runs no service worker, so it neither installs the app nor works offline;
 * - `https`: as phones should have it.
 */
export type PhoneLinkKind = 'loopback' | 'plainHttp' | 'https';

export interface PhoneLink {
  kind: PhoneLinkKind;
  /** The host as the URL parser writes it, lowercase, without its port (`[::1]`). */
  hostname: string;
  /** The same with its port, when the link has one (`192.168.1.5:8080`). */
  host: string;
}

/**
 * What a link is to a phone (`PhoneLinkKind`), judged once for the committee's page and for
 * what `npm start` prints; null for what is not an http(s) URL. Each says it in its own words.
 */
export function phoneLink(url: string): PhoneLink | null {
  let u: ParsedUrl;
  try {
    u = new URL(url);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  const kind: PhoneLinkKind = isLoopbackHostname(u.hostname)
    ? 'loopback'
    : u.protocol === 'http:'
      ? 'plainHttp'
      : 'https';
  return { kind, hostname: u.hostname, host: u.host };
}

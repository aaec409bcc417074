/** Addresses as a phone sees them: what the server and the committee's page both check. */

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

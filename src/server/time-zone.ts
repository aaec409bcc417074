/** The server's time zone, as the phones are told it (their own is checked against it). */

/** The names a zone of plain UTC goes by: a server left in it set no zone of its own. */
const UTC_ZONES = new Set(['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT', 'Etc/Universal', 'Etc/Zulu']);

/**
 * The server's UTC offset at `at` (Unix ms), in minutes east of UTC, from its time zone (TZ, else
 * the system's); undefined when that zone is UTC. A server in a container runs in UTC unless TZ
 * is set: its phones in China would all be told their correct +08:00 was wrong.
 */
export function serverUtcOffsetMinutes(at: number): number | undefined {
  if (inUtc()) return undefined;
  // -0 (a zone at UTC+0 in winter, as Europe/London) is written 0.
  return -new Date(at).getTimezoneOffset() || 0;
}

/** The zone's name read once for each value of TZ: every sync answer asks (a formatter is slow). */
let zoneOf: { tz: string | undefined; utc: boolean } | undefined;

function inUtc(): boolean {
  const tz = process.env.TZ;
  if (zoneOf === undefined || zoneOf.tz !== tz) {
    zoneOf = { tz, utc: UTC_ZONES.has(new Intl.DateTimeFormat().resolvedOptions().timeZone) };
  }
  return zoneOf.utc;
}

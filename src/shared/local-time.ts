/** Local wall-clock timestamps with their UTC offset, as GateLog records carry them. */

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** `2020-02-03T08:15:00.123+08:00` for the given instant in the phone's time zone. */
export function localIsoWithOffset(d: Date = new Date()): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
    `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
    `${sign}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`
  );
}

/** Today's local calendar date, YYYY-MM-DD. */
export function localToday(d: Date = new Date()): string {
  return localIsoWithOffset(d).slice(0, 10);
}

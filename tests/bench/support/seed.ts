/**
 * Fills the app's IndexedDB fast, inside the page, with raw IndexedDB on the schema Dexie made
 * (db 'gatelog', src/app/db/db.ts): valid GateLog v1 records as StoredRecord rows, the pending
 * ones' outbox rows, the shifts they belong to with their counts, the quick-lookup people, and
 * the pending counter — all
 * consistent, as if every record had been saved through the form.
 *
 * `seedInPage` runs in the browser (passed as source text; see `inPage`), so it is one
 * self-contained function. `makeRecords` is the same generator for Node, to check the records
 * against the shared schema.
 */
import type { Page } from 'playwright-core';

export interface SeedSpec {
  /** Records in all. */
  total: number;
  /** How many of them were logged today, in the current shift (the rest on earlier days). */
  today: number;
  /** The newest this-many records are `pending`; the rest are `synced`. */
  pending: number;
  /** Distinct people the records cycle through. */
  people: number;
  /** Records per earlier shift. */
  perShift: number;
  /** Override the gate and device (enrolled phone); default: the current shift's / settings'. */
  gateId?: string;
  deviceId?: string;
  /** Milliseconds; default Date.now() (given in Node for the schema check). */
  now?: number;
}

export interface SeedResult {
  records: number;
  pending: number;
  shifts: number;
  people: number;
  ms: number;
}

/** Runs `fn(arg)` in the page. tsx keeps function names with `__name(…)`: give it one. */
export async function inPage<A, R>(page: Page, fn: (arg: A) => R | Promise<R>, arg: A): Promise<R> {
  const src = `(() => { const __name = (f) => f; return (${fn.toString()})(${JSON.stringify(arg)}); })()`;
  return page.evaluate(src) as Promise<R>;
}

/**
 * The generator and the writer, as one function for the page. With `dryRun` it only returns
 * the first records it would write (no IndexedDB), which Node uses to check them.
 */
export async function seedInPage(
  spec: SeedSpec & { dryRun?: number; shift?: { id: string; gateId: string; guard: string } },
): Promise<SeedResult & { sample?: unknown[] }> {
  const t0 = performance.now();
  const now = spec.now ?? Date.now();
  const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const localIso = (ms: number) => {
    const d = new Date(ms);
    const off = -d.getTimezoneOffset();
    return (
      `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}` +
      `T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}` +
      `${off >= 0 ? '+' : '-'}${pad(Math.trunc(off / 60))}:${pad(off % 60)}`
    );
  };
  const W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const residentId = (n: number) => {
    const birth = new Date(Date.UTC(1950, 0, 1) + (n % 20000) * 86_400_000);
    const ymd = birth.toISOString().slice(0, 10).replace(/-/g, '');
    const first17 = `310101${ymd}${pad(n % 1000, 3)}`;
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(first17[i]) * W[i]!;
    return first17 + '10X98765432'[sum % 11];
  };
  let lastMs = -1;
  let seq = 0;
  const hex = (n: number, w: number) => n.toString(16).padStart(w, '0');
  const uuidv7 = (ms: number) => {
    if (ms <= lastMs) {
      seq++;
      if (seq > 0xfff) {
        lastMs++;
        seq = 0;
      }
    } else {
      lastMs = ms;
      seq = 0;
    }
    const r = new Uint8Array(8);
    crypto.getRandomValues(r);
    const t = hex(lastMs, 12);
    const v = hex(0x7000 | seq, 4);
    const variant = hex(0x8000 | (((r[0]! << 8) | r[1]!) & 0x3fff), 4);
    const tail = [...r.slice(2)].map((b) => hex(b, 2)).join('');
    return `${t.slice(0, 8)}-${t.slice(8)}-${v}-${variant}-${tail}`;
  };
  type Counts = {
    total: number;
    in: number;
    out: number;
    fever: number;
    returnees: number;
    refused: number;
  };
  const zero = (): Counts => ({ total: 0, in: 0, out: 0, fever: 0, returnees: 0, refused: 0 });
  const day = 86_400_000;
  const startOfToday = new Date(now).setHours(0, 0, 0, 0);

  // Who and where: the current shift and device from the app's own settings, unless given.
  let idb: IDBDatabase | undefined;
  const req = <T>(r: IDBRequest<T>) =>
    new Promise<T>((ok, fail) => {
      r.onsuccess = () => ok(r.result);
      r.onerror = () => fail(r.error);
    });
  let shift = spec.shift as
    { id: string; gateId: string; guard: string; counts?: Counts; startedAt?: string } | undefined;
  let deviceId = spec.deviceId ?? 'local-bench';
  if (!spec.dryRun) {
    idb = await req(indexedDB.open('gatelog'));
    const tx = idb.transaction(['settings', 'shifts'], 'readonly');
    const setting = async (key: string) =>
      ((await req(tx.objectStore('settings').get(key))) as { value: unknown } | undefined)?.value;
    const shiftId = (await setting('currentShiftId')) as string | undefined;
    if (!shiftId) throw new Error('seed: no current shift (start one first)');
    shift = (await req(tx.objectStore('shifts').get(shiftId))) as typeof shift;
    const enrolled = (await setting('enrollment')) as { deviceId: string } | undefined;
    deviceId = spec.deviceId ?? enrolled?.deviceId ?? ((await setting('deviceId')) as string);
  }
  if (!shift) throw new Error('seed: no shift');
  const gateId = spec.gateId ?? shift.gateId;

  // Today's records fill the time from (at most 16 h ago, or midnight) to 10 s ago.
  const todayFrom = Math.max(startOfToday, now - 16 * 3_600_000);
  const todayStep = (now - 10_000 - todayFrom) / Math.max(1, spec.today);
  const older = spec.total - spec.today;
  const olderDays = Math.max(1, Math.ceil(older / 12_000));
  const olderFrom = startOfToday - olderDays * day;
  const olderStep = (olderDays * day) / Math.max(1, older);

  const shifts: {
    id: string;
    gateId: string;
    guard: string;
    startedAt: string;
    endedAt?: string;
    counts: Counts;
  }[] = [];
  const people = new Map<string, unknown>();
  const rows: unknown[] = [];
  const sample: unknown[] = [];
  let pending = 0;
  let current: (typeof shifts)[number] | undefined;
  const todayCounts = zero();
  /** The outbox rows of the pending records (src/app/db OutboxEntry). */
  const outbox: { id: string; shiftId: string; savedAt: number }[] = [];
  const store = async (batch: unknown[]) => {
    if (!idb || batch.length === 0) return;
    const tx = idb.transaction(['records', 'outbox'], 'readwrite');
    const os = tx.objectStore('records');
    for (const row of batch) os.put(row);
    for (const row of outbox.splice(0)) tx.objectStore('outbox').put(row);
    await new Promise<void>((ok, fail) => {
      tx.oncomplete = () => ok();
      tx.onerror = () => fail(tx.error);
    });
  };

  for (let i = 0; i < spec.total; i++) {
    const isToday = i >= older;
    const ms = Math.floor(
      isToday ? todayFrom + (i - older) * todayStep : olderFrom + i * olderStep,
    );
    let shiftId: string;
    let guard: string;
    let counts: Counts;
    if (isToday) {
      shiftId = shift.id;
      guard = shift.guard;
      counts = todayCounts;
    } else {
      if (!current || current.counts.total >= spec.perShift) {
        current = {
          id: uuidv7(ms),
          gateId,
          guard: `值班${shifts.length % 7}`,
          startedAt: localIso(ms),
          counts: zero(),
        };
        shifts.push(current);
      }
      current.endedAt = localIso(ms + 60_000);
      shiftId = current.id;
      guard = current.guard;
      counts = current.counts;
    }
    const k = i % spec.people;
    const direction = i % 3 === 2 ? 'out' : 'in';
    const fever = direction === 'in' && i % 199 === 0;
    const returnee = i % 53 === 0;
    const occurredAt = localIso(ms);
    const person = {
      category: k % 10 === 9 ? 'visitor' : 'resident',
      name: `居民${k}`,
      idType: 'cn_resident_id',
      idNumber: residentId(k),
      phone: `139${pad(k, 8)}`,
      address: `${(k % 40) + 1}号楼 ${(k % 30) + 101}`,
    };
    const arrived = localIso(ms - 3 * day).slice(0, 10);
    const until = localIso(ms + 11 * day).slice(0, 10);
    const record = {
      id: uuidv7(ms),
      schemaVersion: 1,
      deviceId,
      gateId,
      shiftId,
      guard,
      occurredAt,
      direction,
      person,
      ...(direction === 'in' && { temperatureC: fever ? 37.8 : 36 + (i % 12) / 10 }),
      returnee: returnee
        ? {
            status: 'domestic',
            origin: '湖北武汉',
            arrivedOn: arrived,
            quarantineUntil: until,
            registered: true,
          }
        : { status: 'none' },
      decision: fever ? 'refused' : returnee ? 'referred' : 'admitted',
    };
    const isPending = i >= spec.total - spec.pending;
    if (isPending) pending++;
    counts.total++;
    counts[direction]++;
    if (fever) counts.fever++;
    if (returnee) counts.returnees++;
    if (fever) counts.refused++;
    const savedAt = ms + 1_000;
    rows.push({
      id: record.id,
      record,
      shiftId,
      gateId,
      day: occurredAt.slice(0, 10),
      savedAt,
      fever,
    });
    if (isPending) outbox.push({ id: record.id, shiftId, savedAt });
    const key = `id:cn_resident_id:${person.idNumber}`;
    const known = people.get(key) as { visits: number } | undefined;
    people.set(key, {
      key,
      person,
      name: person.name,
      phone: person.phone,
      idRev: [...person.idNumber].reverse().join(''),
      address: person.address,
      lastSeenAt: savedAt,
      visits: (known?.visits ?? 0) + 1,
    });
    if (spec.dryRun) {
      if (sample.length < spec.dryRun) sample.push(record);
      else break;
    } else if (rows.length >= 5_000) {
      await store(rows.splice(0));
    }
  }
  await store(rows.splice(0));
  if (idb) {
    const tx = idb.transaction(['shifts', 'people', 'counters'], 'readwrite');
    for (const s of shifts) tx.objectStore('shifts').put(s);
    const cur = shift as { counts?: Counts; startedAt?: string };
    const merged = { ...zero(), ...cur.counts };
    for (const k of Object.keys(todayCounts) as (keyof Counts)[]) merged[k] += todayCounts[k];
    tx.objectStore('shifts').put({
      ...shift,
      counts: merged,
      ...(spec.today > 0 && {
        startedAt: localIso(Math.min(todayFrom, Date.parse(cur.startedAt ?? '') || now)),
      }),
    });
    for (const p of people.values()) tx.objectStore('people').put(p);
    const counters = tx.objectStore('counters');
    const before = ((await req(counters.get('pending'))) as { n: number } | undefined)?.n ?? 0;
    counters.put({ key: 'pending', n: before + pending });
    await new Promise<void>((ok, fail) => {
      tx.oncomplete = () => ok();
      tx.onerror = () => fail(tx.error);
    });
    idb.close();
  }
  return {
    records: spec.dryRun ? sample.length : spec.total,
    pending,
    shifts: shifts.length,
    people: people.size,
    ms: performance.now() - t0,
    ...(spec.dryRun && { sample }),
  };
}

/**
 * The tab's own copy of the entry form's draft, in sessionStorage: written at once on every
 * change, where the IndexedDB draft is written shortly after and may not finish before a reload.
 * sessionStorage outlives a reload (and a crashed page's reload) of the same tab and belongs to
 * it alone, so a second tab neither overwrites this tab's draft nor clears it with its Save.
 *
 * Each write takes the next number of the tab's sequence; the IndexedDB draft, and the marker a
 * Save or a shift's end leaves in its place, carry the tab and the number they were written at.
 * The newer of the two is this tab's draft (`newestDraft`); a new tab, or the app opened again,
 * has no copy and takes the stored draft.
 *
 * The logbook's correction being typed is kept here too, one per record corrected, in the tab
 * alone: it has no stored draft. It is kept with the shift it was begun in, and no shift's end
 * forgets it: a shift ended in another tab leaves the correction open here, and what a guard
 * typed is not dropped unsaid; the correction form says so when it offers one begun in an
 * earlier shift (the next guard checks it, saves it or discards it).
 */
const COPY_KEY = 'gatelog.draft';
const TAB_KEY = 'gatelog.tab';

interface TabCopy {
  seq: number;
  value: Record<string, unknown> | null;
}

/** Where a stored draft (or its end marker) came from: a tab and its sequence number. */
export interface DraftStamp {
  tab: string;
  seq: number;
}

/** The tab's sessionStorage; undefined where the browser blocks it. */
export function storage(): Storage | undefined {
  try {
    return typeof sessionStorage === 'undefined' ? undefined : sessionStorage;
  } catch {
    return undefined; // storage blocked by the browser's settings
  }
}

function tabId(s: Storage): string {
  let id = s.getItem(TAB_KEY);
  if (!id) {
    id = crypto.randomUUID();
    s.setItem(TAB_KEY, id);
  }
  return id;
}

function readCopy(s: Storage): TabCopy | undefined {
  try {
    const c = JSON.parse(s.getItem(COPY_KEY) ?? 'null') as TabCopy | null;
    return c && typeof c.seq === 'number' ? c : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Keeps `value` (null: the form is blank) as the tab's copy, and returns the stamp to store it
 * with. Undefined where sessionStorage cannot be used (the stored draft alone then).
 */
export function keepTabCopy(value: Record<string, unknown> | null): DraftStamp | undefined {
  const s = storage();
  if (!s) return undefined;
  try {
    const seq = (readCopy(s)?.seq ?? 0) + 1;
    s.setItem(COPY_KEY, JSON.stringify({ seq, value } satisfies TabCopy));
    return { tab: tabId(s), seq };
  } catch {
    return undefined; // full: the stored draft alone
  }
}

/**
 * The stamp for a write that ends the tab's draft (a Save, a shift's end): later than every
 * copy so far, so a reload before the form is cleared does not bring the draft back.
 */
export function endStamp(): DraftStamp | undefined {
  const s = storage();
  const copy = s && readCopy(s);
  return copy ? keepTabCopy(copy.value) : undefined;
}

/** This tab's draft: its own copy unless the stored one is this tab's and as new. */
export function newestDraft(
  stored: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const s = storage();
  const copy = s && readCopy(s);
  if (!s || !copy) return stored;
  const stamp = stored?.stamp as Partial<DraftStamp> | undefined;
  if (stamp?.tab === tabId(s) && typeof stamp.seq === 'number' && stamp.seq >= copy.seq) {
    return stored;
  }
  return copy.value ?? undefined;
}

const CORRECTION_PREFIX = 'gatelog.correction.';
const correctionKey = (id: string) => CORRECTION_PREFIX + id;

/** The shift a correction was begun in, kept with it to say so in a later shift. */
export interface CorrectionBegun {
  shiftId: string;
  guard: string;
}

/** A correction kept in the tab: the form's values, and the shift it was begun in. */
export interface CorrectionCopy {
  values: Record<string, unknown>;
  begun: CorrectionBegun | undefined;
}

/**
 * The correction being typed for the record `id`, kept in the tab as it is typed: a Back
 * gesture leaves the logbook and closes the record's sheet with its form. Null forgets it (saved
 * or discarded).
 */
export function keepCorrectionCopy(
  id: string,
  value: Record<string, unknown> | null,
  begun?: CorrectionBegun,
): void {
  try {
    if (value === null) storage()?.removeItem(correctionKey(id));
    else storage()?.setItem(correctionKey(id), JSON.stringify({ values: value, begun }));
  } catch {
    // full or blocked: the form alone holds it
  }
}

const isObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

/**
 * The correction kept for the record `id` in this tab, if any; one kept by an older version (the
 * values alone) has no shift it was begun in.
 */
export function correctionCopy(id: string): CorrectionCopy | undefined {
  try {
    const kept = JSON.parse(storage()?.getItem(correctionKey(id)) ?? 'null') as unknown;
    if (!isObject(kept)) return undefined;
    if (!isObject(kept.values)) return { values: kept, begun: undefined };
    const b = kept.begun;
    const begun =
      isObject(b) && typeof b.shiftId === 'string' && typeof b.guard === 'string'
        ? { shiftId: b.shiftId, guard: b.guard }
        : undefined;
    return { values: kept.values, begun };
  } catch {
    return undefined;
  }
}

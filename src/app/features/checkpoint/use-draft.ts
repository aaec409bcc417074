/**
 * Keeps the half-filled entry form: in the tab's sessionStorage at once on each change, and in
 * IndexedDB shortly after and at once when the page is hidden or an app update is about to
 * reload (db/draft-copy.ts says which of the two is restored on mount).
 */
import { useEffect, useRef, useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { keepTabCopy, newestDraft } from '../../db/draft-copy';
import { loadDb } from '../../db/load';
import { filledDraft, isBlank, type EntryFormValues } from '../../forms/entry-form';
import { peekStartupDraft } from '../../session/session';

const DRAFT_SAVE_DELAY_MS = 300;

/**
 * Which of the fields that follow the rules the guard had set by hand, kept beside the draft's
 * values: what the rules would give cannot tell, as a decision may have come from the
 * watchlist, which the form matches only after its first frame.
 */
export interface RuleEdits {
  decision: boolean;
  quarantine: boolean;
}

/** The edits stored with a draft; undefined for a draft stored without them. */
function draftEdits(draft: Record<string, unknown> | undefined): RuleEdits | undefined {
  const e = draft?.ruleEdits as Partial<RuleEdits> | undefined;
  return typeof e?.decision === 'boolean' && typeof e.quarantine === 'boolean'
    ? { decision: e.decision, quarantine: e.quarantine }
    : undefined;
}

/**
 * The draft the session's start-up read found, taken once: `found` is false when there was no
 * such read (the draft is then read by `useDraft` after mount). Its values are the form's default
 * values, so the first frame holds them and so does every value the form watches from the start.
 * (A `reset` in a layout effect came before `useWatch` subscribed: the returnee section, the
 * suggested decision and the watchlist match went on seeing an empty form.)
 */
export function useStartupDraft(): {
  found: boolean;
  values: EntryFormValues | undefined;
  edits: RuleEdits | undefined;
} {
  const [startup] = useState(() => {
    const peeked = peekStartupDraft();
    const draft = peeked && newestDraft(peeked.value);
    return {
      found: peeked !== undefined,
      values: filledDraft(draft),
      edits: draftEdits(draft),
    };
  });
  return startup;
}

/**
 * Returns true once the stored draft (if any) is in the form. Without a start-up read it is read
 * here and put back with `reset`, after `onRestore` has been told of it (`useStartupDraft`'s
 * values are the caller's to tell of).
 */
export function useDraft(
  form: UseFormReturn<EntryFormValues, unknown, unknown>,
  startup: { found: boolean },
  onRestore: (values: EntryFormValues, edits: RuleEdits | undefined) => void,
  ruleEdits: () => RuleEdits,
): boolean {
  const [restored, setRestored] = useState(startup.found);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef<Promise<void>>(Promise.resolve());
  const restoreRef = useRef(onRestore);
  const editsRef = useRef(ruleEdits);
  useEffect(() => {
    restoreRef.current = onRestore;
    editsRef.current = ruleEdits;
  });

  useEffect(() => {
    if (startup.found) return;
    let alive = true;
    void loadDb()
      .then((db) => db.getSetting('draft'))
      .then((stored) => {
        if (!alive) return;
        const d = newestDraft(stored);
        const values = filledDraft(d);
        if (values) {
          restoreRef.current(values, draftEdits(d));
          form.reset(values);
        }
        setRestored(true);
      });
    return () => {
      alive = false;
    };
  }, [form, startup]);

  useEffect(() => {
    if (!restored) return;
    const current = () => {
      const v = form.getValues();
      return isBlank(v) ? null : { ...v, ruleEdits: editsRef.current() };
    };
    const flush = () => {
      clearTimeout(timer.current);
      timer.current = undefined;
      const draft = current();
      const stamp = keepTabCopy(draft);
      pending.current = loadDb().then((db) => db.saveDraft(draft ?? undefined, stamp));
      return pending.current;
    };
    // Once for all the changes of one task, at its end: a Save's reset (or Undo's fill) changes
    // the whole form at once, and its events wrote the tab's copy three times, the form half
    // cleared in the first two (2.8 ms of the 13.5 the reset took before the confirmation's
    // frame, traced at 4× CPU).
    let queued = false;
    let stopped = false;
    const keep = () => {
      if (stopped) return;
      queued = false;
      keepTabCopy(current());
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), DRAFT_SAVE_DELAY_MS);
    };
    const sub = form.watch(() => {
      if (queued) return;
      queued = true;
      queueMicrotask(keep);
    });
    const onHidden = () => {
      if (document.visibilityState === 'hidden') void flush();
    };
    const onBeforeUpdate = (e: Event) => {
      (e as CustomEvent<{ waitUntil?: (p: Promise<unknown>) => void }>).detail?.waitUntil?.(
        flush(),
      );
      void flush();
    };
    addEventListener('pagehide', flush);
    addEventListener('gatelog:before-update', onBeforeUpdate);
    document.addEventListener('visibilitychange', onHidden);
    return () => {
      sub.unsubscribe();
      stopped = true;
      // Typing not saved yet is saved now: a tap on another screen within the delay keeps it.
      if (timer.current !== undefined || queued) void flush();
      removeEventListener('pagehide', flush);
      removeEventListener('gatelog:before-update', onBeforeUpdate);
      document.removeEventListener('visibilitychange', onHidden);
    };
  }, [form, restored]);

  return restored;
}

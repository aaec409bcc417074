/**
 * Keeps the half-filled entry form in IndexedDB: restored on mount, saved shortly after each
 * change, and flushed at once when the page is hidden or an app update is about to reload.
 */
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { loadDb } from '../../db/load';
import { isBlank, restoreDraft, type EntryFormValues } from '../../forms/entry-form';
import { peekStartupDraft } from '../../session/session';

const DRAFT_SAVE_DELAY_MS = 300;

/**
 * Returns true once the stored draft (if any) has been put back into the form. At app start the
 * draft comes with the session's start-up read, so the form's first frame already holds it.
 */
export function useDraft(form: UseFormReturn<EntryFormValues, unknown, unknown>): boolean {
  const [startup] = useState(peekStartupDraft);
  const [restored, setRestored] = useState(startup !== undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef<Promise<void>>(Promise.resolve());

  useLayoutEffect(() => {
    if (!startup) return;
    const values = restoreDraft(startup.value);
    if (values && !isBlank(values)) form.reset(values);
  }, [form, startup]);

  useEffect(() => {
    if (startup) return;
    let alive = true;
    void loadDb()
      .then((db) => db.getSetting('draft'))
      .then((d) => {
        if (!alive) return;
        const values = restoreDraft(d);
        if (values && !isBlank(values)) form.reset(values);
        setRestored(true);
      });
    return () => {
      alive = false;
    };
  }, [form, startup]);

  useEffect(() => {
    if (!restored) return;
    const flush = () => {
      clearTimeout(timer.current);
      timer.current = undefined;
      const v = form.getValues();
      const draft = isBlank(v) ? undefined : (v as unknown as Record<string, unknown>);
      pending.current = loadDb().then((db) => db.saveDraft(draft));
      return pending.current;
    };
    const sub = form.watch(() => {
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), DRAFT_SAVE_DELAY_MS);
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
      // Typing not saved yet is saved now: a tap on another screen within the delay keeps it.
      if (timer.current !== undefined) void flush();
      removeEventListener('pagehide', flush);
      removeEventListener('gatelog:before-update', onBeforeUpdate);
      document.removeEventListener('visibilitychange', onHidden);
    };
  }, [form, restored]);

  return restored;
}

/**
 * Keeps the half-filled entry form in IndexedDB: restored on mount, saved shortly after each
 * change, and flushed at once when the page is hidden or an app update is about to reload.
 */
import { useEffect, useRef, useState } from 'react';
import type { UseFormReturn } from 'react-hook-form';
import { getSetting, saveDraft } from '../../db';
import { isBlank, restoreDraft, type EntryFormValues } from '../../forms/entry-form';

const DRAFT_SAVE_DELAY_MS = 300;

/** Returns true once the stored draft (if any) has been put back into the form. */
export function useDraft(form: UseFormReturn<EntryFormValues, unknown, unknown>): boolean {
  const [restored, setRestored] = useState(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pending = useRef<Promise<void>>(Promise.resolve());

  useEffect(() => {
    let alive = true;
    void getSetting('draft').then((d) => {
      if (!alive) return;
      const values = restoreDraft(d);
      if (values && !isBlank(values)) form.reset(values);
      setRestored(true);
    });
    return () => {
      alive = false;
    };
  }, [form]);

  useEffect(() => {
    if (!restored) return;
    const flush = () => {
      clearTimeout(timer.current);
      const v = form.getValues();
      pending.current = saveDraft(
        isBlank(v) ? undefined : (v as unknown as Record<string, unknown>),
      );
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
      clearTimeout(timer.current);
      removeEventListener('pagehide', flush);
      removeEventListener('gatelog:before-update', onBeforeUpdate);
      document.removeEventListener('visibilitychange', onHidden);
    };
  }, [form, restored]);

  return restored;
}

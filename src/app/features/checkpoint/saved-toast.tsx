/**
 * "Saved — Undo" after each save, for as long as the outbox holds the record back. It keeps its
 * own state so that showing it renders this toast alone, at once: the confirmation reaches the
 * screen before the form re-renders for the next person. The line naming the person is cut with
 * an ellipsis on screen when the name is long (styles.css, .saved-who), never the quarantine's
 * end after it; a screen reader hears the whole text.
 */
import { useEffect, useImperativeHandle, useLayoutEffect, useState, type Ref } from 'react';
import { flushSync } from 'react-dom';
import { UNDO_WINDOW_MS } from '../../db/constants';
import { Toast } from '../../ui/toast';

/**
 * A saved entry: its id, the person's name, when it was saved, and the last day of a home
 * quarantine still to come (the confirmation says it, for the guard to tell the returnee).
 */
export type Saved = { id: string; name: string; at: number; quarantineUntil?: string | undefined };

export interface SavedToastHandle {
  show(saved: Saved): void;
  hide(): void;
}

export function SavedToast({
  ref,
  text,
  undoLabel,
  onUndo,
  onShown,
}: {
  ref: Ref<SavedToastHandle>;
  /** What it says: the line naming the person, and a returnee's quarantine end after it. */
  text: (saved: Saved) => { who: string; until?: string | undefined };
  undoLabel: string;
  /** The guard takes the entry back; the toast is gone by then. */
  onUndo: (saved: Saved) => void;
  /** The confirmation is in the DOM (the bench's `gatelog:save-shown`). */
  onShown?: () => void;
}) {
  const [saved, setSaved] = useState<Saved | null>(null);
  // Shown in the same task as the commit that Save waited for: nothing queued since (the form's
  // reset, the live queries) comes between the commit and the confirmation.
  useImperativeHandle(
    ref,
    () => ({ show: (s) => flushSync(() => setSaved(s)), hide: () => setSaved(null) }),
    [],
  );

  useLayoutEffect(() => {
    if (saved) onShown?.();
  }, [saved, onShown]);

  // The undo offer lasts as long as the outbox holds the record back.
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(
      () => setSaved(null),
      Math.max(0, saved.at + UNDO_WINDOW_MS - Date.now() - 250),
    );
    return () => clearTimeout(timer);
  }, [saved]);

  if (!saved) return null;
  const { who, until } = text(saved);
  return (
    <Toast
      action={
        <button
          type="button"
          className="btn"
          onClick={() => {
            setSaved(null);
            onUndo(saved);
          }}
        >
          {undoLabel}
        </button>
      }
    >
      <span className={until ? 'saved-who one-line' : 'saved-who'}>{who}</span>
      {until && (
        <>
          {' '}
          <span className="saved-until">{until}</span>
        </>
      )}
    </Toast>
  );
}

/**
 * A question the guard answers before something on the screen is replaced: over the page,
 * outside the app's root (inert meanwhile), the answer that changes nothing focused first, and
 * Escape gives that answer too.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { trapTab, useInertRoot } from './modal';

interface ConfirmDialogProps {
  /** The question: the dialog's name. */
  title: string;
  /** What each answer does: read out with the question (the dialog's description). */
  children: ReactNode;
  confirmLabel: string;
  /** The answer that changes nothing. */
  cancelLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  /** Where focus goes once the dialog is gone (the page behind is no longer inert then). */
  returnFocus: () => void;
}

export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  cancelLabel,
  onConfirm,
  onCancel,
  returnFocus,
}: ConfirmDialogProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  const titleId = useId();
  const bodyId = useId();
  useInertRoot(returnFocus);
  useEffect(() => cancel.current?.focus(), []);
  return createPortal(
    <div className="sheet-backdrop">
      <div
        className="sheet confirm-dialog"
        role="alertdialog"
        aria-modal="true"
        aria-labelledby={titleId}
        aria-describedby={bodyId}
        onKeyDown={(e) => {
          if (e.key !== 'Escape') return trapTab(e);
          e.preventDefault();
          onCancel();
        }}
      >
        <h2 id={titleId}>{title}</h2>
        <div id={bodyId}>{children}</div>
        <button ref={cancel} type="button" className="btn block big" onClick={onCancel}>
          {cancelLabel}
        </button>
        <button type="button" className="btn primary block big" onClick={onConfirm}>
          {confirmLabel}
        </button>
      </div>
    </div>,
    document.body,
  );
}

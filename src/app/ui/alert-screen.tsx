/** A full-screen alert nobody can miss: colour, big words, vibration where the phone has it. */
import { useEffect, useId, useRef, type ReactNode } from 'react';
import { createPortal } from 'react-dom';
import { trapTab, useInertRoot } from './modal';

interface AlertScreenProps {
  title: string;
  /** What it says under the title: read out with it (the dialog's description). */
  children: ReactNode;
  dismissLabel: string;
  onDismiss: () => void;
  /**
   * Where focus goes once the alert is gone (the page behind is no longer inert then): by
   * default, back to what had it before the alert came.
   */
  returnFocus?: () => void;
}

/**
 * Shown over the page, outside the app's root, which is inert meanwhile: Tab cannot leave the
 * alert for the bottom bar, and nothing behind it can be reached before "Understood".
 */
export function AlertScreen({
  title,
  children,
  dismissLabel,
  onDismiss,
  returnFocus,
}: AlertScreenProps) {
  const button = useRef<HTMLButtonElement>(null);
  const bodyId = useId();
  // Focus went to <body> when the alert closed: the next Tab landed on the header.
  const before = useRef(document.activeElement);
  useInertRoot(() => {
    if (returnFocus) returnFocus();
    else if (before.current instanceof HTMLElement && before.current.isConnected) {
      before.current.focus();
    }
  });
  useEffect(() => {
    button.current?.focus();
    if ('vibrate' in navigator) navigator.vibrate?.([400, 150, 400, 150, 400]);
  }, []);
  return createPortal(
    <div
      className="alert-screen"
      role="alertdialog"
      aria-modal="true"
      aria-label={title}
      aria-describedby={bodyId}
      onKeyDown={trapTab}
    >
      <h2>{title}</h2>
      <div id={bodyId} className="alert-body">
        {children}
      </div>
      <button ref={button} type="button" className="btn big" onClick={onDismiss}>
        {dismissLabel}
      </button>
    </div>,
    document.body,
  );
}

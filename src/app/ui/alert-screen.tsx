/** A full-screen alert nobody can miss: colour, big words, vibration where the phone has it. */
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';
import { createPortal } from 'react-dom';

interface AlertScreenProps {
  title: string;
  children: ReactNode;
  dismissLabel: string;
  onDismiss: () => void;
}

/** Alerts on screen: the page behind stays inert while there is one. */
let open = 0;

/**
 * Shown over the page, outside the app's root, which is inert meanwhile: Tab cannot leave the
 * alert for the bottom bar, and nothing behind it can be reached before "Understood".
 */
export function AlertScreen({ title, children, dismissLabel, onDismiss }: AlertScreenProps) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const root = document.getElementById('root');
    if (open++ === 0) root?.setAttribute('inert', '');
    button.current?.focus();
    if ('vibrate' in navigator) navigator.vibrate?.([400, 150, 400, 150, 400]);
    return () => {
      if (--open === 0) root?.removeAttribute('inert');
    };
  }, []);
  // Tab goes round the alert's own controls, not out to the browser's.
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.key !== 'Tab') return;
    const controls = Array.from(
      e.currentTarget.querySelectorAll<HTMLElement>('button, a[href], input, [tabindex]'),
    );
    if (controls.length === 0) return;
    const at = controls.indexOf(document.activeElement as HTMLElement);
    const next = (at + (e.shiftKey ? -1 : 1) + controls.length) % controls.length;
    e.preventDefault();
    controls[at === -1 ? 0 : next]!.focus();
  };
  return createPortal(
    <div
      className="alert-screen"
      role="alertdialog"
      aria-modal="true"
      aria-label={title}
      onKeyDown={onKeyDown}
    >
      <h2>{title}</h2>
      {children}
      <button ref={button} type="button" className="btn big" onClick={onDismiss}>
        {dismissLabel}
      </button>
    </div>,
    document.body,
  );
}

/** A full-screen alert nobody can miss: colour, big words, vibration where the phone has it. */
import { useEffect, useRef, type ReactNode } from 'react';

interface AlertScreenProps {
  title: string;
  children: ReactNode;
  dismissLabel: string;
  onDismiss: () => void;
}

export function AlertScreen({ title, children, dismissLabel, onDismiss }: AlertScreenProps) {
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    button.current?.focus();
    if ('vibrate' in navigator) navigator.vibrate?.([400, 150, 400, 150, 400]);
  }, []);
  return (
    <div className="alert-screen" role="alertdialog" aria-modal="true" aria-label={title}>
      <h2>{title}</h2>
      {children}
      <button ref={button} type="button" className="btn big" onClick={onDismiss}>
        {dismissLabel}
      </button>
    </div>
  );
}

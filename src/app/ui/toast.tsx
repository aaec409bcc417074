/** A short confirmation at the bottom of the screen, optionally with one action (Undo). */
import type { ReactNode } from 'react';

export function Toast({
  children,
  action,
  tone = 'ok',
}: {
  children: ReactNode;
  action?: ReactNode;
  tone?: 'ok' | 'error';
}) {
  return (
    <div className={tone === 'error' ? 'toast error' : 'toast'} role="status" aria-live="polite">
      <span>{children}</span>
      {action}
    </div>
  );
}

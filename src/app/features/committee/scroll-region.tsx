import type { ReactNode } from 'react';

/**
 * A wide table's frame: it scrolls sideways on a narrow screen, so it takes the keyboard's
 * focus (arrow keys scroll it) and is named as a region.
 */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="committee-table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}

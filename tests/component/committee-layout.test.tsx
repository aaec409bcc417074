/**
 * The committee page's tables as laid out by its own style sheets: what a narrow screen needs of
 * them that jsdom's cascade can tell (it lays nothing out, but it computes `position`).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataTable } from '../../src/app/features/committee/data-table';

const SHEETS = ['src/app/ui/styles.css', 'src/app/features/committee/committee.css'];

/** The element an absolutely positioned `el` is placed against: its nearest positioned ancestor. */
function containingBlock(el: Element): Element | null {
  for (let at = el.parentElement; at !== null; at = at.parentElement) {
    if (getComputedStyle(at).position !== 'static') return at;
  }
  return null;
}

describe('committee tables on a narrow screen', () => {
  beforeEach(() => {
    for (const sheet of SHEETS) {
      const style = document.createElement('style');
      style.textContent = readFileSync(resolve(sheet), 'utf8');
      document.head.append(style);
    }
  });
  afterEach(() => {
    document.head.querySelectorAll('style').forEach((s) => s.remove());
  });

  it('keeps a column heard, not seen, inside the frame that scrolls', () => {
    // As the Passes and Watchlist tabs have it: a last column of buttons, its heading sr-only.
    render(
      <DataTable
        items={['王小明']}
        caption="有效的出入证"
        empty={null}
        columns={['姓名', { hidden: '停用' }]}
        row={(name) => (
          <tr key={name}>
            <th scope="row">{name}</th>
            <td>
              <button type="button">停用</button>
            </td>
          </tr>
        )}
      />,
    );
    const hidden = screen.getByRole('columnheader', { name: '停用' }).querySelector('.sr-only')!;
    expect(getComputedStyle(hidden).position).toBe('absolute');
    // Placed against the page instead, it would stick out of the frame and scroll the page sideways.
    const frame = screen.getByRole('region', { name: '有效的出入证' });
    const block = containingBlock(hidden);
    expect(block !== null && frame.contains(block)).toBe(true);
  });
});

/**
 * The logbook is rendered hidden while the guard is on the entry form (kept-logbook.tsx), and
 * opening it shows its newest rows: never rows that something written since has outdated.
 */
import { act, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../src/app/app';
import { saveEntry, setSetting, startShift, type Shift } from '../../src/app/db';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { makeEntry } from '../support/factories';
import { freshDb } from './render-app';

let shift: Shift;

beforeEach(async () => {
  freshDb();
  localStorage.setItem('gatelog.locale', 'en');
  location.hash = '#/';
  await setSetting('gate', { id: 'gate-1', name: 'North gate', rules: DEFAULT_GATE_RULES });
  shift = await startShift('gate-1', 'Wang');
});

afterEach(() => {
  location.hash = '#/';
  vi.restoreAllMocks();
});

const save = (name: string) =>
  saveEntry(makeEntry({ person: { category: 'resident', name } }), {
    shift,
    deviceId: 'dev-1',
    rules: DEFAULT_GATE_RULES,
  });

/** The names in the logbook's list the first time it is on screen (its section not hidden). */
function namesWhenFirstShown(): Promise<string[]> {
  return new Promise((resolve) => {
    const look = (observer?: MutationObserver) => {
      const section = document.querySelector<HTMLElement>('section.logbook');
      if (!section || section.style.display === 'none') return;
      observer?.disconnect();
      resolve([...section.querySelectorAll('.log-name')].map((n) => n.textContent ?? ''));
    };
    new MutationObserver((_changes, observer) => look(observer)).observe(document.body, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['style'],
    });
  });
}

describe('the logbook, kept rendered behind the entry form', () => {
  it('is rendered hidden once the form is idle, out of the accessibility tree', async () => {
    const layouts = vi.spyOn(HTMLElement.prototype, 'getBoundingClientRect');
    await save('赵一');
    render(<App />);
    await screen.findByRole('button', { name: 'Save' });
    // Rendered in the background: in the document, hidden, not announced.
    await waitFor(() => expect(document.querySelector('section.logbook')).not.toBeNull(), {
      timeout: 8_000,
    });
    const section = document.querySelector<HTMLElement>('section.logbook')!;
    expect(section.style.display).toBe('none');
    expect(screen.queryByRole('heading', { name: 'Logbook' })).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Save' })).toBeVisible();
    // Its text laid out once, through a copy that is gone again (layOutCopy).
    await waitFor(
      () =>
        expect(
          (layouts.mock.contexts as HTMLElement[]).some(
            (el) =>
              el !== section &&
              el.matches('section.logbook') &&
              el.textContent === section.textContent,
          ),
        ).toBe(true),
      { timeout: 8_000 },
    );
    expect(document.querySelectorAll('section.logbook')).toHaveLength(1);
  }, 15_000);

  it('shows, when opened, the entries saved while it was hidden, from its first frame on', async () => {
    await save('赵一');
    render(<App />);
    await screen.findByRole('button', { name: 'Save' });
    await waitFor(
      () => expect(document.querySelector('section.logbook .log-name')?.textContent).toBe('赵一'),
      { timeout: 8_000 },
    );
    // Saved after the hidden logbook read its rows: it must not open on that old read.
    await save('钱二');
    const shown = namesWhenFirstShown();
    await act(async () => {
      location.hash = '#/logbook';
      await Promise.resolve();
    });
    expect(await shown).toEqual(['钱二', '赵一']);
    expect(await screen.findByRole('heading', { name: 'Logbook' })).toBeVisible();
    // Back on the form: the logbook is hidden again, the form is on screen.
    await act(async () => {
      location.hash = '#/';
      await Promise.resolve();
    });
    expect(await screen.findByRole('button', { name: 'Save' })).toBeVisible();
    expect(document.querySelector<HTMLElement>('section.logbook')?.style.display).toBe('none');
    // Hidden after it was watched, and opened again: read afresh again.
    await save('孙三');
    const again = namesWhenFirstShown();
    await act(async () => {
      location.hash = '#/logbook';
      await Promise.resolve();
    });
    expect(await again).toEqual(['孙三', '钱二', '赵一']);
  }, 15_000);

  it('reads its rows again while hidden once the guard pauses, and opens on them', async () => {
    await save('赵一');
    render(<App />);
    await screen.findByRole('button', { name: 'Save' });
    const hiddenNames = () =>
      [...document.querySelectorAll('section.logbook .log-name')].map((n) => n.textContent);
    await waitFor(() => expect(hiddenNames()).toEqual(['赵一']), { timeout: 8_000 });
    await save('钱二');
    // Still hidden, and not watched: read again once the writes have paused.
    await waitFor(() => expect(hiddenNames()).toEqual(['钱二', '赵一']), { timeout: 8_000 });
    expect(document.querySelector<HTMLElement>('section.logbook')?.style.display).toBe('none');
    const shown = namesWhenFirstShown();
    await act(async () => {
      location.hash = '#/logbook';
      await Promise.resolve();
    });
    expect(await shown).toEqual(['钱二', '赵一']);
    // Shown, then hidden again: its rows are read again for the next opening.
    await act(async () => {
      location.hash = '#/';
      await Promise.resolve();
    });
    await save('孙三');
    await waitFor(() => expect(hiddenNames()).toEqual(['孙三', '钱二', '赵一']), {
      timeout: 8_000,
    });
  }, 30_000);
});

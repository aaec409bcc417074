import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/app';
import { saveDraft, saveEntry, setSetting, startShift, type Shift } from '../../src/app/db';
import { beginStartupRead } from '../../src/app/session/session';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { makeEntry } from '../support/factories';
import { freshDb } from './render-app';

let shift: Shift;
let dbName: string;

beforeEach(async () => {
  dbName = freshDb().name;
  localStorage.setItem('gatelog.locale', 'en');
  await setSetting('gate', { id: 'gate-1', name: 'North gate', rules: DEFAULT_GATE_RULES });
  shift = await startShift('gate-1', 'Wang');
});

/** What the entry form holds the moment it is first in the DOM (as main.tsx's mark sees it). */
function firstFormState(): Promise<{ busy: string | null; name: string; syncLine: string }> {
  return new Promise((resolve) => {
    new MutationObserver((_changes, observer) => {
      const form = document.querySelector('form');
      if (!form) return;
      observer.disconnect();
      const name = form.querySelector<HTMLInputElement>('input[name="person.name"]');
      resolve({
        busy: form.getAttribute('aria-busy'),
        name: name?.value ?? '',
        syncLine: document.querySelector('.sync-bar')?.textContent ?? '',
      });
    }).observe(document.body, { childList: true, subtree: true });
  });
}

describe('app start', () => {
  it('shows the entry form with its draft restored in its first frame, and the stored sync state', async () => {
    await saveDraft({ person: { name: '孙八' }, returnee: { status: 'none' } });
    await setSetting('lastSync', { at: '2020-02-03T09:05:00.000+08:00' });
    await saveEntry(makeEntry(), { shift, deviceId: 'dev-1', rules: DEFAULT_GATE_RULES });
    const first = firstFormState();
    await beginStartupRead(dbName);
    render(<App />);
    expect(screen.queryByText('Loading…')).not.toBeInTheDocument();
    expect(await first).toMatchObject({ busy: 'false', name: '孙八' });
    // The pending count is right from the first frame (no "all sent" before the outbox is read).
    expect((await first).syncLine).toContain('1 to send');
    // No sync engine loaded: the sync line shows what the start-up read found.
    expect(screen.getByRole('link', { name: /not enrolled/i })).toBeInTheDocument();
    expect(screen.getByTitle(/Feb 3/)).toBeInTheDocument();
  });

  it('renders the form with its draft when the start-up read finishes after the first render', async () => {
    await saveDraft({ person: { name: '孙八' }, returnee: { status: 'none' } });
    const first = firstFormState();
    void beginStartupRead(dbName);
    render(<App />);
    expect(await first).toMatchObject({ busy: 'false', name: '孙八' });
  });

  it('without a start-up read, restores the draft once read (aria-busy until then)', async () => {
    await saveDraft({ person: { name: '孙八' }, returnee: { status: 'none' } });
    const first = firstFormState();
    render(<App />);
    expect(await first).toMatchObject({ busy: 'true', name: '' });
    expect(await screen.findByDisplayValue('孙八')).toBeInTheDocument();
  });
});

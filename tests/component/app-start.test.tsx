import { render, screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/app';
import { saveDraft, setSetting, startShift } from '../../src/app/db';
import { beginStartupRead } from '../../src/app/session/session';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { freshDb } from './render-app';

beforeEach(async () => {
  freshDb();
  localStorage.setItem('gatelog.locale', 'en');
  await setSetting('gate', { id: 'gate-1', name: 'North gate', rules: DEFAULT_GATE_RULES });
  await startShift('gate-1', 'Wang');
});

/** What the entry form holds the moment it is first in the DOM (as main.tsx's mark sees it). */
function firstFormState(): Promise<{ busy: string | null; name: string }> {
  return new Promise((resolve) => {
    new MutationObserver((_changes, observer) => {
      const form = document.querySelector('form');
      if (!form) return;
      observer.disconnect();
      const name = form.querySelector<HTMLInputElement>('input[name="person.name"]');
      resolve({ busy: form.getAttribute('aria-busy'), name: name?.value ?? '' });
    }).observe(document.body, { childList: true, subtree: true });
  });
}

describe('app start', () => {
  it('shows the entry form with its draft restored in its first frame, and the stored sync state', async () => {
    await saveDraft({ person: { name: '孙八' }, returnee: { status: 'none' } });
    await setSetting('lastSync', { at: '2020-02-03T09:05:00.000+08:00' });
    const first = firstFormState();
    beginStartupRead();
    render(<App />);
    expect(await first).toEqual({ busy: 'false', name: '孙八' });
    // No sync engine loaded: the sync line shows what the start-up read found.
    expect(screen.getByRole('link', { name: /not enrolled/i })).toBeInTheDocument();
    expect(screen.getByTitle(/Feb 3/)).toBeInTheDocument();
  });

  it('without a start-up read, restores the draft once read (aria-busy until then)', async () => {
    await saveDraft({ person: { name: '孙八' }, returnee: { status: 'none' } });
    const first = firstFormState();
    render(<App />);
    expect(await first).toEqual({ busy: 'true', name: '' });
    expect(await screen.findByDisplayValue('孙八')).toBeInTheDocument();
  });
});

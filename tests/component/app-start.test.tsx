import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/app';
import {
  applyPulledPage,
  localIsoWithOffset,
  saveDraft,
  saveEntry,
  getSetting,
  setSetting,
  startShift,
  type Shift,
} from '../../src/app/db';
import { sha256Hex } from '../../src/app/sync/sha256';
import { localToday } from '../../src/app/db/time';
import { beginStartupRead, forgetStartupRead } from '../../src/app/session/session';
import { DEFAULT_GATE_NAME, DEFAULT_GATE_RULES, quarantineUntil } from '../../src/shared';
import { watchHashInput } from '../../src/shared/passes';
import { makeEntry } from '../support/factories';
import { makePage } from '../support/passes';
import { freshDb } from './render-app';

let shift: Shift;
let dbName: string;

beforeEach(async () => {
  // Each test is an app's start: none begins with an earlier test's start-up read.
  forgetStartupRead();
  dbName = freshDb().name;
  localStorage.setItem('gatelog.locale', 'en');
  await setSetting('gate', { id: 'gate-1', name: 'North gate', rules: DEFAULT_GATE_RULES });
  shift = await startShift('gate-1', 'Wang');
});

/** Puts someone on the watchlist the phone pulled, known by a phone number. */
async function watchlistPhone(name: string, phone: string) {
  const gate = { id: 'gate-1', name: 'North gate', rules: DEFAULT_GATE_RULES };
  const phoneHash = await sha256Hex(watchHashInput('phone', phone));
  await applyPulledPage(
    makePage([], [{ kind: 'watch', watch: { id: 'w1', name, until: '2099-03-01', phoneHash } }], {
      gate,
    }),
    localIsoWithOffset(),
    localToday(),
  );
}

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

  it('a start-up read its provider took before it finished starts no later provider: the next start shows its own shift', async () => {
    await saveDraft({ person: { name: '孙八' }, returnee: { status: 'none' } });
    const first = firstFormState();
    void beginStartupRead(dbName);
    const { unmount } = render(<App />);
    expect(await first).toMatchObject({ busy: 'false', name: '孙八' });
    unmount();

    // The next start (the next test's, on its own database), without a start-up read: another
    // guard is on duty there, and nothing is half-typed.
    dbName = freshDb().name;
    await setSetting('gate', { id: 'gate-1', name: 'North gate', rules: DEFAULT_GATE_RULES });
    await startShift('gate-1', 'Li');
    const seen: string[] = [];
    const banner = new MutationObserver(() => {
      const guard = document.querySelector('header span')?.textContent;
      if (guard && seen.at(-1) !== guard) seen.push(guard);
    });
    banner.observe(document.body, { childList: true, subtree: true, characterData: true });
    render(<App />);
    await waitFor(() => expect(screen.getByRole('banner')).toHaveTextContent('Li'));
    await waitFor(() => expect(screen.getByRole('form')).toHaveAttribute('aria-busy', 'false'));
    banner.disconnect();
    // Never the earlier start's guard or draft, not even for a frame.
    expect(seen).toEqual(['Li']);
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveValue('');
  });

  it('names the first start’s gate, “Main gate / 正门”, in the phone’s language: header and Settings', async () => {
    await setSetting('gate', { id: 'gate-1', name: DEFAULT_GATE_NAME, rules: DEFAULT_GATE_RULES });
    // The committee's gate: Settings shows it (a phone not enrolled types its own gate's name).
    await setSetting('enrollment', {
      serverUrl: '',
      deviceId: 'dev-1',
      token: 't',
      enrolledAt: '2020-02-03T08:00:00.000+08:00',
    });
    for (const [lang, name, settings, gateName] of [
      ['en', 'Main gate', 'Settings', 'Gate name'],
      ['zh-CN', '正门', '设置', '门岗名称'],
    ] as const) {
      localStorage.setItem('gatelog.locale', lang);
      location.hash = '#/';
      const { unmount } = render(<App />);
      const header = await screen.findByRole('banner');
      await waitFor(() => expect(header.querySelector('strong')).toHaveTextContent(name));
      expect(header).not.toHaveTextContent(DEFAULT_GATE_NAME);
      await userEvent.click(screen.getByRole('link', { name: settings }));
      const label = await screen.findByText(gateName, { selector: 'dt' });
      expect(label.nextElementSibling).toHaveTextContent(new RegExp(`^${name}$`));
      unmount();
    }
    location.hash = '#/';
  });

  it('without a start-up read, restores the draft once read (aria-busy until then)', async () => {
    await saveDraft({ person: { name: '孙八' }, returnee: { status: 'none' } });
    const first = firstFormState();
    render(<App />);
    expect(await first).toMatchObject({ busy: 'true', name: '' });
    expect(await screen.findByDisplayValue('孙八')).toBeInTheDocument();
  });

  /** A draft as the form saves it (the rules' quarantine end and decision filled in). */
  function draftOf(over: {
    direction?: 'in' | 'out';
    temperatureC: string;
    origin: string;
    phone?: string;
    decision: string;
  }) {
    const arrivedOn = localToday();
    const returnee = { status: 'domestic' as const, origin: over.origin, arrivedOn };
    return {
      direction: over.direction ?? 'in',
      person: { name: '赵六', category: 'resident', phone: over.phone ?? '' },
      temperatureC: over.temperatureC,
      returnee: {
        ...returnee,
        quarantineUntil: quarantineUntil(returnee, DEFAULT_GATE_RULES) ?? '',
        registered: false,
      },
      decision: over.decision,
    };
  }

  it.each([
    ['with', true],
    ['without', false],
  ])(
    '%s a start-up read, restores a returnee draft with its own fields, and goes on following the rules',
    async (_, startupRead) => {
      // From a city that is no key region: no quarantine end, admitted. These agree with an empty
      // form's, so nothing else moved the form's watched values after the draft came back.
      await saveDraft(draftOf({ temperatureC: '36.5', origin: '江苏南京', decision: 'admitted' }));
      if (startupRead) await beginStartupRead(dbName);
      render(<App />);
      expect(await screen.findByRole('textbox', { name: 'From' })).toHaveValue('江苏南京');
      expect(screen.getByRole('radio', { name: 'Another city' })).toBeChecked();
      expect(screen.getByLabelText('Arrived on')).toHaveValue(localToday());
      const user = userEvent.setup();
      await user.clear(screen.getByRole('textbox', { name: 'From' }));
      await user.type(screen.getByRole('textbox', { name: 'From' }), '湖北武汉');
      expect(screen.getByLabelText('Home quarantine until')).not.toHaveValue('');
      await user.clear(screen.getByRole('textbox', { name: 'Temperature' }));
      await user.type(screen.getByRole('textbox', { name: 'Temperature' }), '38.4');
      expect(screen.getByRole('radio', { name: 'Referred to committee' })).toBeChecked();
    },
  );

  it('keeps the decision a restored draft holds against the rules: the guard chose it', async () => {
    // A fever, and yet "Admitted": the rules would say "Referred", so the guard picked this.
    await saveDraft(draftOf({ temperatureC: '38.4', origin: '湖北武汉', decision: 'admitted' }));
    await beginStartupRead(dbName);
    render(<App />);
    expect(await screen.findByRole('textbox', { name: 'From' })).toHaveValue('湖北武汉');
    await new Promise((r) => setTimeout(r, 50));
    expect(screen.getByRole('radio', { name: 'Admitted' })).toBeChecked();
  });

  it('a decision the watchlist set goes on following it after a restore: the next person is not refused', async () => {
    await watchlistPhone('刘洋', '13911112222');
    const user = userEvent.setup();
    const first = render(<App />);
    await user.click(await screen.findByRole('radio', { name: 'Out' }));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '刘洋');
    await user.type(screen.getByRole('textbox', { name: 'Phone' }), '13911112222');
    const alert = await screen.findByRole('alertdialog', { name: 'Home quarantine!' });
    await user.click(within(alert).getByRole('button', { name: 'Understood' }));
    expect(screen.getByRole('radio', { name: 'Refused' })).toBeChecked();
    await waitFor(async () =>
      expect(await getSetting('draft')).toMatchObject({ ruleEdits: { decision: false } }),
    );
    first.unmount();

    // The app opens again with the draft; the guard clears it for the next person, coming in.
    await beginStartupRead(dbName);
    render(<App />);
    const again = await screen.findByRole('alertdialog', { name: 'Home quarantine!' });
    await user.click(within(again).getByRole('button', { name: 'Understood' }));
    await user.clear(screen.getByRole('textbox', { name: 'Phone' }));
    await user.clear(screen.getByRole('textbox', { name: 'Name' }));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '钱多多');
    await user.click(screen.getByRole('radio', { name: 'In' }));
    await user.type(screen.getByRole('textbox', { name: 'Temperature' }), '36.6');
    expect(screen.getByRole('radio', { name: 'Admitted' })).toBeChecked();
  });

  it('restores a draft of someone on the watchlist going out with the red alert', async () => {
    await watchlistPhone('赵六', '13911112222');
    await saveDraft(
      draftOf({
        direction: 'out',
        temperatureC: '36.5',
        origin: '江苏南京',
        phone: '13911112222',
        decision: 'refused',
      }),
    );
    await beginStartupRead(dbName);
    render(<App />);
    expect(
      await screen.findByRole('alertdialog', { name: 'Home quarantine!' }),
    ).toBeInTheDocument();
    // The fields below the fold come a frame after the top of the form.
    expect(await screen.findByRole('radio', { name: 'Refused' })).toBeChecked();
  });
});

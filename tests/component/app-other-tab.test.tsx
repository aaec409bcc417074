/**
 * Two tabs of the app on one phone share its database: a shift ended or started in the other
 * tab shows in this one at once, without a reload, and what this tab holds half-typed stays.
 * The other tab is played by writes to the database as that tab's code makes them (with its own
 * sessionStorage, which this tab's copy is not).
 */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app/app';
import { db, deleteSetting, localIsoWithOffset, setSetting, startShift } from '../../src/app/db';
import type { Locale } from '../../src/app/i18n/i18n';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { appRoot, freshDb } from './render-app';

/** Another tab ends the shift: with no copy of a draft of its own, it clears the stored one. */
async function endedInAnotherTab(shiftId: string): Promise<void> {
  await db.transaction('rw', [db.shifts, db.settings], async () => {
    await db.shifts.update(shiftId, { endedAt: localIsoWithOffset() });
    await deleteSetting('currentShiftId');
    await deleteSetting('draft');
  });
}

const nameBox = () => screen.getByRole('textbox', { name: /^(Name|姓名)$/ });

let shiftId: string;

beforeEach(async () => {
  freshDb();
  sessionStorage.clear();
  location.hash = '';
  await setSetting('gate', { id: 'gate-1', name: 'North gate', rules: DEFAULT_GATE_RULES });
  shiftId = (await startShift('gate-1', 'Wang')).id;
});

function renderApp(locale: Locale = 'en') {
  localStorage.setItem('gatelog.locale', locale);
  return render(<App />, { container: appRoot() });
}

describe('a shift ended in another tab', () => {
  it('takes the entry form away at once; what was typed waits for the next shift, and the screen says why', async () => {
    const user = userEvent.setup();
    renderApp();
    const form = await screen.findByRole('form', { name: 'Checkpoint' });
    await waitFor(() => expect(form).toHaveAttribute('aria-busy', 'false'));
    await user.type(nameBox(), '孙八');

    await endedInAnotherTab(shiftId);

    expect(await screen.findByRole('button', { name: 'Start shift' })).toBeInTheDocument();
    expect(screen.queryByRole('form', { name: 'Checkpoint' })).not.toBeInTheDocument();
    expect(
      await screen.findByText(
        'An entry (孙八) was not saved: this shift was ended in another tab of the app.',
        { exact: false },
      ),
    ).toHaveAttribute('role', 'status');

    await user.type(screen.getByRole('textbox', { name: 'Guard' }), 'Lin');
    await user.click(screen.getByRole('button', { name: 'Start shift' }));
    await screen.findByRole('form', { name: 'Checkpoint' });
    await waitFor(() => expect(nameBox()).toHaveValue('孙八'));
  });

  it.each([
    { locale: 'en' as const, said: 'The shift of Wang was ended in another tab of the app.' },
    { locale: 'zh-CN' as const, said: 'Wang 的班次已在本机另一个页面结束。' },
  ])('says so in $locale when nothing was typed', async ({ locale, said }) => {
    renderApp(locale);
    await waitFor(() => expect(nameBox()).toBeInTheDocument());

    await endedInAnotherTab(shiftId);

    // The one alert once the entry form, whose Save and Undo errors have one of their own, is gone.
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent(said));
    expect(screen.queryByRole('textbox', { name: /^(Name|姓名)$/ })).not.toBeInTheDocument();
  });

  it('turns the logbook to today’s entries and says the shift ended', async () => {
    location.hash = '#/logbook';
    renderApp();
    const logbook = await screen.findByRole('region', { name: 'Logbook' });
    await waitFor(() =>
      expect(within(logbook).getByRole('button', { name: 'This shift' })).toHaveAttribute(
        'aria-pressed',
        'true',
      ),
    );

    await endedInAnotherTab(shiftId);

    expect(
      await within(logbook).findByText('The shift of Wang was ended in another tab of the app.'),
    ).toBeInTheDocument();
    expect(within(logbook).getByRole('button', { name: 'Today' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });
});

describe('a shift ended in another tab while this one shows its end', () => {
  it.each([
    { locale: 'en' as const, said: 'The shift of Wang was ended in another tab of the app.' },
    { locale: 'zh-CN' as const, said: 'Wang 的班次已在本机另一个页面结束。' },
  ])('says in $locale it was ended there, not only that it ended', async ({ locale, said }) => {
    location.hash = '#/shift-end';
    renderApp(locale);
    await screen.findByRole('button', { name: locale === 'en' ? 'End shift' : '结束本班' });

    await endedInAnotherTab(shiftId);

    expect(
      await screen.findByRole('heading', { name: locale === 'en' ? 'Shift ended' : '本班已结束' }),
    ).toBeInTheDocument();
    expect(await screen.findByRole('alert')).toHaveTextContent(said);
  });

  it('says nothing of another tab when the shift was ended here', async () => {
    const user = userEvent.setup();
    location.hash = '#/shift-end';
    renderApp();
    await user.click(await screen.findByRole('button', { name: 'End shift' }));
    await user.click(screen.getAllByRole('button', { name: 'End shift' }).at(-1)!);

    expect(await screen.findByRole('heading', { name: 'Shift ended' })).toBeInTheDocument();
    await user.click(screen.getByRole('link', { name: 'Start the next shift' }));
    expect(await screen.findByRole('button', { name: 'Start shift' })).toBeInTheDocument();
    expect(screen.queryByText(/was ended in another tab/)).not.toBeInTheDocument();
  });
});

describe('a shift started in another tab', () => {
  it('brings the entry form at once, and says nothing of an ended shift', async () => {
    await endedInAnotherTab(shiftId);
    renderApp();
    expect(await screen.findByRole('button', { name: 'Start shift' })).toBeInTheDocument();

    await startShift('gate-1', 'Lin');

    await screen.findByRole('form', { name: 'Checkpoint' });
    expect(screen.getByRole('banner')).toHaveTextContent('Lin');
    expect(screen.queryByText(/was ended in another tab/)).not.toBeInTheDocument();
  });
});

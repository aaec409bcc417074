/**
 * The shift start: it says when the last shift's receipt has not come yet, whatever that shift
 * holds — its own entries, or only corrections of an earlier shift's entries.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  deleteSetting,
  endShift,
  getLatestShift,
  getShift,
  saveEntry,
  saveReceipt,
  setSetting,
  setShiftOfAnotherPhone,
  startShift,
} from '../../src/app/db';
import { ShiftStart } from '../../src/app/features/shift/shift-start';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { makeEntry } from '../support/factories';
import { freshDb, renderWithSession } from './render-app';

const ctx = { deviceId: 'dev-1', rules: DEFAULT_GATE_RULES };
const receiptOf = (shiftId: string, recordCount: number) => ({
  shiftId,
  gateId: 'gate-1',
  recordCount,
  byDirection: { in: recordCount },
  byCategory: { resident: recordCount },
  fever: 0,
  returnees: 0,
  refused: 0,
  closedAt: '2026-12-07T08:00:00.000+08:00',
});

let phoneDb: ReturnType<typeof freshDb>;

beforeEach(async () => {
  phoneDb = freshDb();
  await setSetting('gate', { id: 'gate-1', name: '北门', rules: DEFAULT_GATE_RULES });
  await setSetting('enrollment', {
    serverUrl: '',
    deviceId: 'dev-1',
    token: 't',
    enrolledAt: '2026-12-01T08:00:00.000+08:00',
  });
});

/** An earlier shift with one entry, ended with its receipt; then a shift of corrections only. */
async function correctionsOnlyShift() {
  const first = await startShift('gate-1', '王师傅');
  const entry = await saveEntry(makeEntry(), { ...ctx, shift: first });
  await endShift(first.id);
  await saveReceipt(first.id, receiptOf(first.id, 1));
  const second = await startShift('gate-1', '李师傅');
  await saveEntry(
    { ...makeEntry(), note: 'name corrected', amends: entry.id },
    { ...ctx, shift: second, occurredAt: entry.record.occurredAt },
  );
  await endShift(second.id);
  return second.id;
}

const waitingText = (guard: string) =>
  `The receipt of the last shift (${guard}) has not come yet. The phone gets it once it is online.`;

describe('ShiftStart', () => {
  it('says the receipt of a last shift holding only corrections has not come yet', async () => {
    const id = await correctionsOnlyShift();
    // The correction is counted in the shift of the entry it corrects, not in this one.
    expect((await getShift(id))?.counts.total).toBe(0);
    renderWithSession(<ShiftStart />, 'en');
    expect(await screen.findByText(waitingText('李师傅'))).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'See the receipts' })).toHaveAttribute(
      'href',
      '#/shift-end',
    );
  });

  it('says it in Chinese too', async () => {
    await correctionsOnlyShift();
    renderWithSession(<ShiftStart />, 'zh-CN');
    expect(
      await screen.findByText('上一班（李师傅）的交班回执还没收到。手机联网后会自动补上。'),
    ).toBeInTheDocument();
  });

  describe('says what is true when the receipt is not to come once online', () => {
    const said = {
      auth: {
        en: 'The receipt of the last shift (李师傅) cannot come: the server no longer accepts this phone. It comes once the phone is enrolled again. All entries are kept on the phone.',
        'zh-CN':
          '上一班（李师傅）的交班回执收不到：服务器不再认可这台手机。重新加入居委会服务器后才能收到。记录都保存在手机上。',
      },
      anotherPhone: {
        en: 'The server says the last shift (李师傅) was begun on another phone of the gate: its receipt does not come to this phone. All entries are kept on this phone. Call the committee.',
        'zh-CN':
          '服务器说上一班（李师傅）是本门岗另一台手机开始的，它的交班回执不会发到这台手机。记录都保存在手机上。请联系居委会。',
      },
    };
    for (const locale of ['en', 'zh-CN'] as const) {
      it(`the server refuses this phone: once it is enrolled again (${locale})`, async () => {
        await correctionsOnlyShift();
        await setSetting('authProblem', { status: 403, at: '2026-12-07T08:00:00.000+08:00' });
        renderWithSession(<ShiftStart />, locale);
        expect(await screen.findByText(said.auth[locale])).toBeInTheDocument();
        expect(
          screen.getByRole('link', {
            name: locale === 'en' ? 'Enroll this phone again' : '重新加入居委会服务器',
          }),
        ).toHaveAttribute('href', '#/enroll');
        expect(screen.queryByText(/once it is online|联网后/)).not.toBeInTheDocument();
      });

      it(`the shift is another phone's: never here (${locale})`, async () => {
        const id = await correctionsOnlyShift();
        await setShiftOfAnotherPhone(id, true);
        renderWithSession(<ShiftStart />, locale);
        expect(await screen.findByText(said.anotherPhone[locale])).toBeInTheDocument();
        expect(screen.queryByText(/once it is online|联网后/)).not.toBeInTheDocument();
      });
    }
  });

  it('follows what the phone learns while it is on screen: refused, accepted again, the receipt in', async () => {
    const id = await correctionsOnlyShift();
    renderWithSession(<ShiftStart />, 'en');
    expect(await screen.findByText(waitingText('李师傅'))).toBeInTheDocument();

    // A sync (of this tab or another) is told the phone is revoked.
    await setSetting('authProblem', { status: 401, at: '2026-12-07T08:00:00.000+08:00' });
    expect(
      await screen.findByText(/cannot come: the server no longer accepts/),
    ).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Enroll this phone again' })).toHaveAttribute(
      'href',
      '#/enroll',
    );
    expect(screen.queryByText(waitingText('李师傅'))).not.toBeInTheDocument();

    // Accepted again (a sync went through): back to waiting for the network.
    await deleteSetting('authProblem');
    expect(await screen.findByText(waitingText('李师傅'))).toBeInTheDocument();
    expect(screen.queryByRole('link', { name: 'Enroll this phone again' })).not.toBeInTheDocument();

    await saveReceipt(id, receiptOf(id, 1));
    await waitFor(() => expect(screen.queryByText(waitingText('李师傅'))).not.toBeInTheDocument());
  });

  it('says nothing once that receipt is in, nor of a last shift that saved nothing', async () => {
    const id = await correctionsOnlyShift();
    await saveReceipt(id, receiptOf(id, 1));
    const empty = await startShift('gate-1', '赵师傅');
    await endShift(empty.id);
    renderWithSession(<ShiftStart />, 'en');
    // The guards' list comes from the read that goes on to ask about the receipt; it has a
    // moment to say something it should not.
    expect(await screen.findByRole('group', { name: 'Pick a guard' })).toBeInTheDocument();
    await new Promise((done) => setTimeout(done, 200));
    expect(screen.queryByText(/has not come yet/)).not.toBeInTheDocument();
  });

  it('fills in no guard: the next guard at a handover picks a name, the last one is not kept', async () => {
    const last = await startShift('gate-1', '王师傅');
    await endShift(last.id);
    const user = userEvent.setup();
    renderWithSession(<ShiftStart />, 'en');
    const picks = await screen.findByRole('group', { name: 'Pick a guard' });
    const guard = screen.getByRole('textbox', { name: 'Guard' });
    // A moment for the guards' list to have put a name in, as it did.
    await new Promise((done) => setTimeout(done, 200));
    expect(guard).toHaveValue('');
    expect(screen.getByRole('button', { name: '王师傅' })).toHaveAttribute('aria-pressed', 'false');

    // Start shift tapped at once says who is missing, and starts nothing under the last name.
    await user.click(screen.getByRole('button', { name: 'Start shift' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Required');
    expect((await getLatestShift())?.id).toBe(last.id);

    // One tap on a name picks it.
    await user.click(screen.getByRole('button', { name: '王师傅' }));
    expect(guard).toHaveValue('王师傅');
    expect(picks.querySelector('[aria-pressed="true"]')).toHaveTextContent('王师傅');
  });

  it('says why a shift could not be started (storage full), and starts it on the next tap', async () => {
    const full = vi
      .spyOn(phoneDb.shifts, 'add')
      .mockRejectedValueOnce(Object.assign(new Error('full'), { name: 'QuotaExceededError' }));
    const user = userEvent.setup();
    renderWithSession(<ShiftStart />, 'en');
    await user.type(await screen.findByRole('textbox', { name: 'Guard' }), '赵师傅');
    await user.click(screen.getByRole('button', { name: 'Start shift' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The phone’s storage is full: the shift was not started.',
    );
    expect(await getLatestShift()).toBeUndefined();
    expect(screen.getByRole('textbox', { name: 'Guard' })).toHaveValue('赵师傅');

    full.mockRestore();
    await user.click(screen.getByRole('button', { name: 'Start shift' }));
    await vi.waitFor(async () => expect((await getLatestShift())?.guard).toBe('赵师傅'));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

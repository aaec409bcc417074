/**
 * The checkpoint with resident passes and the watchlist: the Scan button opens the scanner; with
 * no camera (as here) the guard types the pass number; a good pass fills the form and Save sits
 * right under the temperature; a revoked or unknown pass fills nothing; someone on the watchlist
 * going out brings up the red alert and the decision defaults to refused.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CheckpointScreen } from '../../src/app/features/checkpoint/checkpoint-screen';
import ScanDialog from '../../src/app/features/scan/scan-dialog';
import {
  applyPulledPage,
  db,
  localIsoWithOffset,
  localToday,
  setSetting,
  startShift,
} from '../../src/app/db';
import { sha256Hex } from '../../src/app/sync/sha256';
import { DEFAULT_GATE_RULES, type DeviceChange } from '../../src/shared';
import { watchHashInput } from '../../src/shared/passes';
import { makeKey, makePage, makePass, publicKey } from '../support/passes';
import { freshDb, renderWithSession } from './render-app';

const key = makeKey();
const resident = makePass(key, { id: '7K3M9QX2', name: '王小明', address: '3号楼 502室' });
const revoked = makePass(key, { id: 'RRRR0001', name: '李四', address: '1号楼 101' });
const quarantined = makePass(key, { id: 'QQQQ0001', name: '赵六', address: '9号楼 301' });
const UNTIL = '2099-03-01';

const GATE = {
  id: 'gate-1',
  name: 'North gate',
  rules: { ...DEFAULT_GATE_RULES, dutyPhone: '021-55551234' },
};

beforeEach(async () => {
  freshDb();
  await setSetting('gate', GATE);
  await startShift('gate-1', 'Wang');
  const changes: DeviceChange[] = [
    { kind: 'pass', pass: resident },
    { kind: 'pass', pass: { ...revoked, status: 'revoked' } },
    { kind: 'pass', pass: quarantined },
    {
      kind: 'watch',
      watch: { id: 'w1', name: '赵六', until: UNTIL, passId: quarantined.id },
    },
    {
      kind: 'watch',
      watch: {
        id: 'w2',
        name: '钱七',
        until: UNTIL,
        phoneHash: await sha256Hex(watchHashInput('phone', '13911112222')),
      },
    },
  ];
  await applyPulledPage(
    makePage([publicKey(key)], changes, { gate: GATE }),
    localIsoWithOffset(),
    localToday(),
  );
});

async function openForm(locale: 'en' | 'zh-CN' = 'en') {
  const user = userEvent.setup();
  renderWithSession(<CheckpointScreen Scanner={ScanDialog} />, locale);
  const form = await screen.findByRole('form');
  await waitFor(() => expect(form).toHaveAttribute('aria-busy', 'false'));
  return user;
}

const textbox = (name: string) => screen.getByRole('textbox', { name });

async function typePass(user: ReturnType<typeof userEvent.setup>, number: string) {
  await user.click(screen.getByRole('button', { name: 'Scan pass' }));
  const dialog = await screen.findByRole('dialog', { name: 'Scan pass' });
  // No camera in this browser: it says so and the number box takes over.
  expect(
    await within(dialog).findByText('The camera does not work. Type the number on the pass.'),
  ).toBeInTheDocument();
  await user.type(within(dialog).getByRole('textbox', { name: 'Pass number' }), number);
  await user.click(within(dialog).getByRole('button', { name: 'Check' }));
  return dialog;
}

describe('resident passes at the checkpoint', () => {
  it('says how fresh the watchlist is', async () => {
    await openForm();
    expect(
      await screen.findByText(/^Watchlist as of \d\d:\d\d · 2 on the list$/),
    ).toBeInTheDocument();
  });

  it('a good pass fills the form; temperature and Save under it make the entry, with the pass', async () => {
    const user = await openForm();
    const dialog = await typePass(user, '7k3m-9qx2');
    await waitFor(() => expect(dialog).not.toBeInTheDocument());
    expect(textbox('Name')).toHaveValue('王小明');
    expect(textbox('Address or whom visiting')).toHaveValue('3号楼 502室');
    expect(screen.getByRole('radio', { name: 'Resident' })).toBeChecked();
    const card = await screen.findByRole('region', { name: 'Resident pass' });
    expect(card).toHaveTextContent('7K3M-9QX2');
    await user.click(screen.getByRole('button', { name: '36.4 °C' }));
    await user.click(within(card).getByRole('button', { name: 'Save 王小明' }));
    expect(await screen.findByText('Saved: 王小明')).toBeInTheDocument();
    const [row] = await db.records.toArray();
    expect(row!.record).toMatchObject({
      direction: 'in',
      temperatureC: 36.4,
      decision: 'admitted',
      person: { category: 'resident', name: '王小明', address: '3号楼 502室', passId: '7K3M9QX2' },
    });
    // The form re-renders for the next person just after the confirmation.
    await waitFor(() =>
      expect(screen.queryByRole('region', { name: 'Resident pass' })).not.toBeInTheDocument(),
    );
  });

  it('a revoked pass is refused with a clear warning and nothing is filled', async () => {
    const user = await openForm();
    const dialog = await typePass(user, 'RRRR-0001');
    const alert = await within(dialog).findByRole('alert');
    expect(alert).toHaveTextContent('This pass was revoked by the committee.');
    await user.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(textbox('Name')).toHaveValue('');
    expect(screen.queryByRole('region', { name: 'Resident pass' })).not.toBeInTheDocument();
  });

  it('an unknown number is refused', async () => {
    const user = await openForm();
    const dialog = await typePass(user, 'ZZZZ9999');
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'No pass number ZZZZ-9999 on this phone.',
    );
  });

  it('someone on the watchlist going out: red alert with the duty phone, decision refused', async () => {
    const user = await openForm();
    await user.click(screen.getByRole('radio', { name: 'Out' }));
    await typePass(user, 'QQQQ0001');
    const alert = await screen.findByRole('alertdialog', { name: 'Home quarantine!' });
    expect(alert).toHaveTextContent('赵六 is under home quarantine until Mar 1, 2099');
    expect(within(alert).getByRole('link', { name: /021-55551234/ })).toHaveAttribute(
      'href',
      'tel:021-55551234',
    );
    // The decision follows the watchlist one effect after the alert.
    await waitFor(() => expect(screen.getByRole('radio', { name: 'Refused' })).toBeChecked());
    await user.click(within(alert).getByRole('button', { name: 'Understood' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    await waitFor(() =>
      expect(
        screen.getAllByRole('alert').some((a) => /home quarantine until/.test(a.textContent ?? '')),
      ).toBe(true),
    );
    await user.click(screen.getByRole('button', { name: 'Save 赵六' }));
    expect(await screen.findByText('Saved: 赵六')).toBeInTheDocument();
    const [row] = await db.records.toArray();
    expect(row!.record).toMatchObject({
      direction: 'out',
      decision: 'refused',
      person: { passId: 'QQQQ0001' },
    });
  });

  it('found by phone too, with no pass at all', async () => {
    const user = await openForm();
    await user.click(screen.getByRole('radio', { name: 'Out' }));
    await user.type(textbox('Name'), '钱七');
    await user.type(textbox('Phone'), '139 1111 2222');
    expect(
      await screen.findByRole('alertdialog', { name: 'Home quarantine!' }),
    ).toBeInTheDocument();
    // As above: the decision follows the watchlist one effect after the alert.
    await waitFor(() => expect(screen.getByRole('radio', { name: 'Refused' })).toBeChecked());
  });

  it('coming in, a watchlisted person gets a notice, not the alert', async () => {
    const user = await openForm();
    await typePass(user, 'QQQQ0001');
    expect(await screen.findByText(/赵六 is under home quarantine until/)).toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Admitted' })).toBeChecked();
  });

  it('speaks Chinese: 扫码', async () => {
    await openForm('zh-CN');
    expect(screen.getByRole('button', { name: '扫码' })).toBeInTheDocument();
    expect(await screen.findByText(/^隔离名单更新于/)).toBeInTheDocument();
  });
});

/**
 * Rules the committee changes reach an open app: the pull stores the gate as the server has it
 * now, and the session picks it up without a reload — the form the guard is filling keeps its
 * input and follows the new rules.
 */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CheckpointScreen } from '../../src/app/features/checkpoint/checkpoint-screen';
import { applyPulledPage, setSetting, startShift } from '../../src/app/db';
import { DEFAULT_GATE_RULES, type DeviceChangesResponse, type GateRules } from '../../src/shared';
import { freshDb, renderWithSession } from './render-app';

const GATE = { id: 'gate-1', name: 'North gate' };
const RULES: GateRules = { ...DEFAULT_GATE_RULES, feverThresholdC: 37.5, dutyPhone: '021-5555' };

/** The answer of a pull with nothing new but the gate's rules. */
const pulled = (rules: GateRules, name = GATE.name): DeviceChangesResponse => ({
  cursor: '0',
  more: false,
  serverTime: '2020-02-03T02:00:00.000Z',
  gate: { id: GATE.id, name, rules },
  keys: [],
  changes: [],
});

beforeEach(async () => {
  freshDb();
  await setSetting('gate', { ...GATE, rules: RULES });
  await startShift(GATE.id, 'Wang');
});

describe('new rules from a pull', () => {
  it('apply to the open form at once, and what the guard typed stays', async () => {
    const user = userEvent.setup();
    renderWithSession(<CheckpointScreen />);
    const form = await screen.findByRole('form');
    await waitFor(() => expect(form).toHaveAttribute('aria-busy', 'false'));
    await user.type(screen.getByRole('textbox', { name: 'Name' }), '张三');
    await user.type(screen.getByRole('textbox', { name: 'Temperature' }), '37.4');
    expect(screen.queryByText(/Fever!/)).not.toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Admitted' })).toBeChecked();

    await applyPulledPage(
      pulled({ ...RULES, feverThresholdC: 37.3, dutyPhone: '021-6666' }),
      '2020-02-03T10:00:00.000+08:00',
      '2020-02-03',
    );

    expect(await screen.findByText('Fever! ≥ 37.3 °C')).toBeInTheDocument();
    // The decision follows the rules a render later (an effect of the form).
    await waitFor(() =>
      expect(screen.getByRole('radio', { name: 'Referred to committee' })).toBeChecked(),
    );
    expect(screen.getByRole('textbox', { name: 'Name' })).toHaveValue('张三');
    expect(screen.getByRole('textbox', { name: 'Temperature' })).toHaveValue('37.4');
  });
});

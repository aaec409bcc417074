/** The end-of-shift screen's summary line, in each language's own punctuation. */
import { screen } from '@testing-library/react';
import { beforeEach, describe, expect, it } from 'vitest';
import { setSetting, startShift } from '../../src/app/db';
import ShiftEnd from '../../src/app/features/shift/shift-end';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { freshDb, renderWithSession } from './render-app';

beforeEach(async () => {
  freshDb();
  await setSetting('gate', { id: 'gate-1', name: '北门', rules: DEFAULT_GATE_RULES });
  await startShift('gate-1', '王师傅');
});

describe('ShiftEnd', () => {
  it('names the gate and the guard with full-width colons in Chinese', async () => {
    renderWithSession(<ShiftEnd />, 'zh-CN');
    expect(
      await screen.findByText(/^门岗：北门 · 值班人员：王师傅 · 接班时间：/),
    ).toBeInTheDocument();
  });

  it('and with ": " in English', async () => {
    renderWithSession(<ShiftEnd />, 'en');
    expect(await screen.findByText(/^Gate: 北门 · Guard: 王师傅 · /)).toBeInTheDocument();
  });
});

/** The end-of-shift screen: its summary line in each language's punctuation, and ending it. */
import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  db,
  endShift,
  getLatestShift,
  getSetting,
  holdForUndo,
  saveDraft,
  saveEntry,
  setSetting,
  setShiftOfAnotherPhone,
  startShift,
  undoEntry,
  type Shift,
} from '../../src/app/db';
import { UNDO_QUESTION_MS, UNDO_WINDOW_MS } from '../../src/app/db/constants';
import { correctionCopy, keepCorrectionCopy, keepTabCopy } from '../../src/app/db/draft-copy';
import { EMPTY_ENTRY } from '../../src/app/forms/entry-form';
import ShiftEnd from '../../src/app/features/shift/shift-end';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { makeEntry } from '../support/factories';
import { freshDb, renderWithSession } from './render-app';

let phoneDb: ReturnType<typeof freshDb>;
let current: Shift;

beforeEach(async () => {
  phoneDb = freshDb();
  await setSetting('gate', { id: 'gate-1', name: '北门', rules: DEFAULT_GATE_RULES });
  current = await startShift('gate-1', '王师傅');
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

  it('says of an earlier shift the server holds as another phone’s that its receipt is there, not yet to come', async () => {
    const hour = 3_600_000;
    const waiting = await startShift('gate-1', '赵师傅', new Date(Date.now() - 3 * hour));
    await endShift(waiting.id);
    const elsewhere = await startShift('gate-1', '钱师傅', new Date(Date.now() - 2 * hour));
    await endShift(elsewhere.id);
    await setShiftOfAnotherPhone(elsewhere.id, true);
    await startShift('gate-1', '王师傅');
    renderWithSession(<ShiftEnd />, 'en');
    expect(
      await screen.findByRole('button', { name: /^钱师傅 · .* · receipt on another phone$/ }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /^赵师傅 · .* · receipt not in yet$/ }),
    ).toBeInTheDocument();
  });

  it('says that ending the shift clears a half-filled entry, naming it, and clears it', async () => {
    await saveDraft({ ...EMPTY_ENTRY, person: { ...EMPTY_ENTRY.person, name: '半填写' } });
    const user = userEvent.setup();
    renderWithSession(<ShiftEnd />, 'en');
    await user.click(await screen.findByRole('button', { name: 'End shift' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The entry form still holds an unsaved entry (半填写); ending the shift clears it.',
    );
    const confirm = screen.getAllByRole('button', { name: 'End shift' }).at(-1)!;
    await user.click(confirm);
    await waitFor(async () => expect(await getSetting('draft')).toBeUndefined());
  });

  it.each([
    {
      locale: 'en' as const,
      end: 'End shift',
      said: 'Another tab of the app is asking whether to undo the entry of 张三. Ending the shift keeps it saved and sends it; to undo it, answer there first.',
    },
    {
      locale: 'zh-CN' as const,
      end: '结束本班',
      said: '本机另一个页面的登记页正在询问是否撤销 张三 的登记。结束本班会照常保存并上传这条登记；要撤销，请先在那里回答。',
    },
  ])(
    'names in $locale an entry whose Undo question is open, and ending closes its Undo: it stays saved and goes',
    async ({ locale, end, said }) => {
      const saved = await saveEntry(makeEntry({ person: { category: 'resident', name: '张三' } }), {
        shift: current,
        deviceId: 'dev-1',
        rules: DEFAULT_GATE_RULES,
      });
      // Another tab of the app asks whether its Undo may replace what the guard typed there.
      expect(await holdForUndo(saved.id, Date.now() + UNDO_QUESTION_MS)).toBe(true);
      const user = userEvent.setup();
      renderWithSession(<ShiftEnd />, locale);
      await user.click(await screen.findByRole('button', { name: end }));
      expect(await screen.findByRole('alert')).toHaveTextContent(said);

      await user.click(screen.getAllByRole('button', { name: end }).at(-1)!);
      await waitFor(async () => expect((await getLatestShift())?.endedAt).toBeDefined());
      // That tab's Undo and replace now finds it too late, and the outbox takes it.
      expect(await undoEntry(saved.id, DEFAULT_GATE_RULES)).toBe(false);
      const [waiting] = await db.outbox.toArray();
      expect(waiting).toMatchObject({ id: saved.id });
      expect(waiting!.savedAt).toBeLessThanOrEqual(Date.now() - UNDO_WINDOW_MS);
    },
  );

  it('says nothing of an entry only just saved, with no question asked, and ending closes its Undo too', async () => {
    const saved = await saveEntry(makeEntry(), {
      shift: current,
      deviceId: 'dev-1',
      rules: DEFAULT_GATE_RULES,
    });
    const user = userEvent.setup();
    renderWithSession(<ShiftEnd />, 'en');
    await user.click(await screen.findByRole('button', { name: 'End shift' }));
    expect(await screen.findByText(/^End this shift\?/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    await user.click(screen.getAllByRole('button', { name: 'End shift' }).at(-1)!);
    await waitFor(async () => expect((await getLatestShift())?.endedAt).toBeDefined());
    // Another tab's Undo button, still on screen, cannot take it out of the ended shift.
    expect(await undoEntry(saved.id, DEFAULT_GATE_RULES)).toBe(false);
    expect(await db.records.count()).toBe(1);
  });

  it('says nothing of an entry when the form is empty', async () => {
    const user = userEvent.setup();
    renderWithSession(<ShiftEnd />, 'en');
    await user.click(await screen.findByRole('button', { name: 'End shift' }));
    expect(await screen.findByText(/^End this shift\?/)).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('keeps the corrections typed in this tab, with the shift they were begun in, and the entry form’s own copy as it was', async () => {
    const fix = (name: string) => ({ ...EMPTY_ENTRY, person: { ...EMPTY_ENTRY.person, name } });
    const begun = { shiftId: 'shift-0', guard: '王师傅' };
    keepCorrectionCopy('record-1', fix('张三丰'), begun);
    keepCorrectionCopy('record-2', fix('李四光'), begun);
    keepTabCopy(fix('赵六'));
    const user = userEvent.setup();
    renderWithSession(<ShiftEnd />, 'en');
    await user.click(await screen.findByRole('button', { name: 'End shift' }));
    await user.click(screen.getAllByRole('button', { name: 'End shift' }).at(-1)!);
    await screen.findByRole('heading', { name: 'Shift ended' });

    // Not dropped unsaid: the next shift's correction form offers them, saying whose they were.
    expect(correctionCopy('record-1')).toEqual({ values: fix('张三丰'), begun });
    expect(correctionCopy('record-2')).toEqual({ values: fix('李四光'), begun });
    // The entry form's copy is the draft module's to end (a marker after it), not dropped here.
    const copy = JSON.parse(sessionStorage.getItem('gatelog.draft') ?? 'null') as {
      value?: { person?: { name?: string } };
    } | null;
    expect(copy?.value?.person?.name).toBe('赵六');
  });
});

describe('ShiftEnd, by keyboard and screen reader', () => {
  it('keeps focus on the screen through the confirmation: on Cancel in it, back on End shift, and on the heading once ended', async () => {
    const user = userEvent.setup();
    renderWithSession(<ShiftEnd />, 'en');
    await user.click(await screen.findByRole('button', { name: 'End shift' }));
    // The button tapped is gone: focus is in the question that replaced it, on its safe answer,
    // and the question is the name of its group (read out with the focused button).
    expect(screen.getByRole('button', { name: 'Cancel' })).toHaveFocus();
    const question = screen.getByRole('group', { name: /^End this shift\?/ });
    expect(question).toContainElement(document.activeElement as HTMLElement);

    await user.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(screen.getByRole('button', { name: 'End shift' })).toHaveFocus();

    await user.click(screen.getByRole('button', { name: 'End shift' }));
    await user.click(screen.getAllByRole('button', { name: 'End shift' }).at(-1)!);
    const ended = await screen.findByRole('heading', { name: 'Shift ended' });
    await waitFor(() => expect(ended).toHaveFocus());
  });

  it('says why the shift could not be ended (storage full), goes on with it, and ends it on the next tap', async () => {
    const full = vi
      .spyOn(phoneDb.shifts, 'update')
      .mockRejectedValueOnce(Object.assign(new Error('full'), { name: 'QuotaExceededError' }));
    const user = userEvent.setup();
    renderWithSession(<ShiftEnd />, 'en');
    await user.click(await screen.findByRole('button', { name: 'End shift' }));
    await user.click(screen.getAllByRole('button', { name: 'End shift' }).at(-1)!);
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'The phone’s storage is full: the shift was not ended.',
    );
    expect((await getLatestShift())?.endedAt).toBeUndefined();
    await waitFor(() => expect(screen.getByRole('button', { name: 'End shift' })).toHaveFocus());

    full.mockRestore();
    await user.click(screen.getByRole('button', { name: 'End shift' }));
    await user.click(screen.getAllByRole('button', { name: 'End shift' }).at(-1)!);
    expect(await screen.findByRole('heading', { name: 'Shift ended' })).toBeInTheDocument();
    expect((await getLatestShift())?.endedAt).toBeDefined();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });
});

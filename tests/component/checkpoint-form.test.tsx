import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CheckpointScreen } from '../../src/app/features/checkpoint/checkpoint-screen';
import {
  db,
  getSetting,
  heldForUndo,
  saveDraft,
  saveEntry,
  setSetting,
  startShift,
  type Shift,
} from '../../src/app/db';
import { UNDO_HOLD_LEASE_MS, UNDO_QUESTION_MS, UNDO_WINDOW_MS } from '../../src/app/db/constants';
import { EMPTY_ENTRY } from '../../src/app/forms/entry-form';
import { DEFAULT_GATE_RULES } from '../../src/shared';
import { formatDate } from '../../src/app/i18n/i18n';
import { makeEntry, makeResidentId } from '../support/factories';
import { freshDb, renderWithSession } from './render-app';

let shift: Shift;

beforeEach(async () => {
  freshDb();
  await setSetting('gate', {
    id: 'gate-1',
    name: 'North gate',
    rules: { ...DEFAULT_GATE_RULES, dutyPhone: '021-55551234' },
  });
  shift = await startShift('gate-1', 'Wang');
});

async function openForm(locale: 'en' | 'zh-CN' = 'en') {
  const user = userEvent.setup();
  renderWithSession(<CheckpointScreen />, locale);
  const form = await screen.findByRole('form');
  await waitFor(() => expect(form).toHaveAttribute('aria-busy', 'false'));
  // The fields below the fold come a frame after the top of the form.
  await waitFor(() => expect(form.querySelector('textarea[name="note"]')).not.toBeNull());
  return user;
}

const textbox = (name: string) => screen.getByRole('textbox', { name });

/** An overseas returnee arrived on 1 Feb 2020 whose home quarantine is typed as ending before. */
async function quarantineBeforeArrival(user: ReturnType<typeof userEvent.setup>) {
  await user.click(screen.getByRole('radio', { name: 'Overseas' }));
  await user.type(textbox('From'), '日本');
  await user.type(screen.getByLabelText('Arrived on'), '2020-02-01');
  const until = screen.getByLabelText('Home quarantine until');
  await user.clear(until);
  await user.type(until, '2020-01-30');
  return until;
}

describe('the entry form', () => {
  it('saves a resident coming in, confirms with Undo, and clears for the next person', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '张三');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    await user.type(textbox('ID number'), makeResidentId());
    await user.type(textbox('Phone'), '13800138000');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved: 张三')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Undo' })).toBeInTheDocument();
    const rows = await db.records.toArray();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.record).toMatchObject({
      direction: 'in',
      temperatureC: 36.6,
      decision: 'admitted',
      shiftId: shift.id,
    });
    expect(rows[0]!.record.person).toMatchObject({
      name: '张三',
      phone: '13800138000',
      idType: 'cn_resident_id',
    });
    expect(textbox('Name')).toHaveValue('');
  });

  it('saved with Enter from a field, goes on at the next person’s name', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '张三');
    await user.type(textbox('Temperature'), '36.6{Enter}');
    expect(await screen.findByText('Saved: 张三')).toBeInTheDocument();
    await waitFor(() => expect(textbox('Name')).toHaveValue(''));
    expect(textbox('Name')).toHaveFocus();
    expect(await db.records.count()).toBe(1);
  });

  it('saves once when Save is tapped twice in a row', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '张三');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    const save = screen.getByRole('button', { name: 'Save' });
    fireEvent.click(save);
    fireEvent.click(save);
    expect(await screen.findByText('Saved: 张三')).toBeInTheDocument();
    await waitFor(() => expect(textbox('Name')).toHaveValue(''));
    expect(await db.records.count()).toBe(1);
  });

  it('takes the next person typed the moment the confirmation shows', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '张三');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved: 张三');
    await user.type(textbox('Name'), '李四');
    await user.click(screen.getByRole('button', { name: '36.4 °C' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved: 李四')).toBeInTheDocument();
    const names = (await db.records.toArray()).map((r) => r.record.person.name);
    expect(names.sort()).toEqual(['张三', '李四'].sort());
  });

  it('shows field errors in the guard’s language and saves nothing', async () => {
    const user = await openForm();
    await user.type(textbox('ID number'), '110105194912310021');
    await user.type(textbox('Phone'), '12345');
    await user.type(textbox('Temperature'), '50');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Required')).toBeInTheDocument();
    expect(
      screen.getByText('The ID number’s check digit is wrong — check it again'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Enter an 11-digit mobile or a +international number'),
    ).toBeInTheDocument();
    expect(screen.getByText('Temperature must be 34.0–43.0 °C')).toBeInTheDocument();
    expect(textbox('Name')).toHaveAttribute('aria-invalid', 'true');
    // Field by field: name, ID number and phone are three, not one "person".
    expect(screen.getByText('Fields to fix: 4')).toBeInTheDocument();
    expect(await db.records.count()).toBe(0);
  });

  it('after a failed Save, each fix clears its own error and the count follows', async () => {
    const user = await openForm();
    await user.type(textbox('Temperature'), '50');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Fields to fix: 2')).toBeInTheDocument();
    // A one-tap temperature is checked at once, as typing would be.
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    await waitFor(() =>
      expect(screen.queryByText('Temperature must be 34.0–43.0 °C')).not.toBeInTheDocument(),
    );
    expect(textbox('Temperature')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByText('Fields to fix: 1')).toBeInTheDocument();
    await user.type(textbox('Name'), '王五');
    await waitFor(() => expect(screen.queryByText('Required')).not.toBeInTheDocument());
    expect(screen.queryByText(/Fields to fix/)).not.toBeInTheDocument();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved: 王五')).toBeInTheDocument();
  });

  it('leaves fields tabbed past unmarked until Save, and checks a field left with something in it', async () => {
    const user = await openForm();
    // Through name and temperature to the ID number, typing nothing.
    await user.click(textbox('Name'));
    await user.tab();
    expect(textbox('Temperature')).toHaveFocus();
    await user.click(textbox('ID number'));
    await user.type(textbox('ID number'), '110105194912310021');
    await user.tab();
    expect(
      await screen.findByText('The ID number’s check digit is wrong — check it again'),
    ).toBeInTheDocument();
    expect(textbox('ID number')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.queryByText('Required')).not.toBeInTheDocument();
    expect(textbox('Name')).not.toHaveAttribute('aria-invalid');
    expect(textbox('Temperature')).not.toHaveAttribute('aria-invalid');
    // A temperature typed after the guard passed it is checked when left, not at each key.
    await user.type(textbox('Temperature'), '3');
    expect(screen.queryByText('Temperature must be 34.0–43.0 °C')).not.toBeInTheDocument();
    await user.tab();
    expect(await screen.findByText('Temperature must be 34.0–43.0 °C')).toBeInTheDocument();
    // Named wrong, it is checked again as the guard types the fix.
    await user.type(textbox('Temperature'), '6.6');
    await waitFor(() =>
      expect(screen.queryByText('Temperature must be 34.0–43.0 °C')).not.toBeInTheDocument(),
    );

    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Required')).toBeInTheDocument();
    expect(textbox('Name')).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(textbox('Name')).toHaveFocus());
    expect(screen.getByText('Fields to fix: 2')).toBeInTheDocument();
    // After Save, an emptied field is named at once.
    await user.clear(textbox('Temperature'));
    await waitFor(() => expect(textbox('Temperature')).toHaveAttribute('aria-invalid', 'true'));
    expect(await db.records.count()).toBe(0);
  });

  describe('a rule across two fields: its error goes once either field settles it', () => {
    const typeRequired = () => screen.queryByText('Required');
    async function savedWithoutType() {
      await saveDraft({
        ...EMPTY_ENTRY,
        person: { ...EMPTY_ENTRY.person, name: '钱七', idType: '', idNumber: makeResidentId() },
        temperatureC: '36.6',
      });
      const user = await openForm();
      await waitFor(() => expect(textbox('Name')).toHaveValue('钱七'));
      await user.click(screen.getByRole('button', { name: 'Save' }));
      // Said under the ID number, the field the guard looks at.
      await waitFor(() => expect(textbox('ID number')).toHaveAccessibleDescription('Required'));
      expect(screen.getByText('Fields to fix: 1')).toBeInTheDocument();
      return user;
    }

    it('an ID number with no type (a draft kept so): gone once the number is taken out', async () => {
      const user = await savedWithoutType();
      await user.clear(textbox('ID number'));
      await waitFor(() => expect(typeRequired()).not.toBeInTheDocument());
      expect(textbox('ID number')).not.toHaveAttribute('aria-invalid');
      expect(screen.queryByText(/Fields to fix/)).not.toBeInTheDocument();
    });

    it('an ID number with no type: gone once a type is chosen', async () => {
      const user = await savedWithoutType();
      await user.selectOptions(screen.getByRole('combobox', { name: 'ID type' }), 'Passport');
      await waitFor(() => expect(typeRequired()).not.toBeInTheDocument());
      expect(textbox('ID number')).not.toHaveAttribute('aria-invalid');
      expect(screen.queryByText(/Fields to fix/)).not.toBeInTheDocument();
    });

    it('before any Save: a quarantine end named wrong goes once the arrival is moved back', async () => {
      const user = await openForm();
      const until = await quarantineBeforeArrival(user);
      await user.tab();
      await waitFor(() =>
        expect(until).toHaveAccessibleDescription(/^Cannot be before the arrival date/),
      );
      const arrived = screen.getByLabelText('Arrived on');
      await user.clear(arrived);
      await user.type(arrived, '2020-01-20');
      await waitFor(() => expect(until).not.toHaveAttribute('aria-invalid'));
      expect(until).toHaveValue('2020-01-30');
    });
  });

  it('names every problem in one Save, the ID number’s check digit beside a temperature that is no number', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '赵六');
    await user.type(textbox('Temperature'), '36.5度');
    await user.type(textbox('ID number'), '110105194912310021');
    await user.click(screen.getByRole('radio', { name: 'Another city' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Fields to fix: 4')).toBeInTheDocument();
    expect(screen.getByText('Enter the reading as a number, such as 36.5')).toBeInTheDocument();
    expect(
      screen.getByText('The ID number’s check digit is wrong — check it again'),
    ).toBeInTheDocument();
    expect(textbox('ID number')).toHaveAttribute('aria-invalid', 'true');
    expect(textbox('From')).toHaveAttribute('aria-invalid', 'true');
    expect(await db.records.count()).toBe(0);
  });

  it('shows errors in Chinese too', async () => {
    const user = await openForm('zh-CN');
    await user.click(screen.getByRole('button', { name: '保存' }));
    expect(await screen.findAllByText('必填')).not.toHaveLength(0);
    expect(await db.records.count()).toBe(0);
  });

  it('takes "368" for the typo it is, not a fever: no warning, the decision unmoved, the range named', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '李四');
    await user.type(textbox('Temperature'), '368');
    expect(screen.queryByText(/^Fever!/)).not.toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Admitted' })).toBeChecked();
    await user.tab();
    expect(await screen.findByText('Temperature must be 34.0–43.0 °C')).toBeInTheDocument();
    await user.clear(textbox('Temperature'));
    await user.type(textbox('Temperature'), '38.4');
    expect(screen.getByText(/^Fever!/)).toBeInTheDocument();
    expect(screen.getByRole('radio', { name: 'Referred to committee' })).toBeChecked();
  });

  it('a fever refers the person and opens the full-screen alert with the duty phone', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '李四');
    await user.type(textbox('Temperature'), '38.4');
    expect(screen.getByRole('radio', { name: 'Referred to committee' })).toBeChecked();
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const alert = await screen.findByRole('alertdialog', { name: 'Fever!' });
    expect(within(alert).getByText('38.4 °C')).toBeInTheDocument();
    expect(within(alert).getByRole('link', { name: /021-55551234/ })).toHaveAttribute(
      'href',
      'tel:021-55551234',
    );
    // Read out whole: the number and what to do, not only "Fever!".
    expect(alert).toHaveAccessibleDescription(/^38\.4 °C .*38\.4 °C.*021-55551234/);
    await user.click(within(alert).getByRole('button', { name: 'Understood' }));
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect((await db.records.toArray())[0]!.record.decision).toBe('referred');
    // Back in the form, at the next person's name (it went to <body>: the next Tab reached the
    // header).
    expect(textbox('Name')).toHaveFocus();
  });

  it('computes quarantine and refuses a quarantined returnee going out, unless the guard decides otherwise', async () => {
    const user = await openForm();
    await user.click(screen.getByRole('radio', { name: 'Out' }));
    await user.type(textbox('Name'), '赵六');
    await user.click(screen.getByRole('radio', { name: 'Overseas' }));
    await user.type(textbox('From'), '日本');
    const today = new Date();
    const iso = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const arrived = new Date(today.getFullYear(), today.getMonth(), today.getDate() - 3);
    const until = new Date(arrived.getFullYear(), arrived.getMonth(), arrived.getDate() + 14);
    await user.type(screen.getByLabelText('Arrived on'), iso(arrived));
    await waitFor(() =>
      expect(screen.getByLabelText('Home quarantine until')).toHaveValue(iso(until)),
    );
    expect(screen.getByRole('radio', { name: 'Refused' })).toBeChecked();
    await user.click(screen.getByRole('radio', { name: 'Admitted' }));
    await user.click(screen.getByRole('radio', { name: 'In' }));
    await user.click(screen.getByRole('radio', { name: 'Out' }));
    expect(screen.getByRole('radio', { name: 'Admitted' })).toBeChecked();
  });

  for (const locale of ['en', 'zh-CN'] as const) {
    it(`says with the Save of a returnee under home quarantine until when, for the guard to tell them (${locale})`, async () => {
      const user = await openForm(locale);
      const words =
        locale === 'en'
          ? { name: 'Name', degrees: '36.6 °C', overseas: 'Overseas', from: 'From' }
          : { name: '姓名', degrees: '36.6 ℃', overseas: '境外', from: '来自' };
      const [arrivedLabel, save] = locale === 'en' ? ['Arrived on', 'Save'] : ['抵达日期', '保存'];
      await user.type(textbox(words.name), '赵六');
      await user.click(screen.getByRole('button', { name: words.degrees }));
      await user.click(screen.getByRole('radio', { name: words.overseas }));
      await user.type(textbox(words.from), '日本');
      // Three days ago, on this phone's calendar: 14 days from then are still to come.
      const now = new Date();
      const day = (d: Date) =>
        `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
      const arrived = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 3);
      const until = day(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 11));
      await user.type(screen.getByLabelText(arrivedLabel), day(arrived));
      await user.click(screen.getByRole('button', { name: save }));
      // The name's line, then the quarantine end on its own (never cut with a long name).
      const [who, end] =
        locale === 'en'
          ? ['Saved: 赵六.', `Home quarantine until ${formatDate(until, 'en')}`]
          : ['已保存：赵六。', `居家隔离至 ${formatDate(until, 'zh-CN')}`];
      // In the confirmation's live region, where a screen reader hears it too.
      const toast = (await screen.findByText(who)).closest('[role="status"]');
      expect(toast).not.toBeNull();
      expect(toast).toHaveTextContent(`${who} ${end}`);
      expect(within(toast as HTMLElement).getByText(end)).toBeInTheDocument();
      expect((await db.records.toArray())[0]!.record.returnee).toMatchObject({
        quarantineUntil: until,
      });

      // The next person, no returnee: the plain confirmation.
      await user.type(textbox(words.name), '张三');
      await user.click(screen.getByRole('button', { name: words.degrees }));
      await user.click(screen.getByRole('button', { name: save }));
      expect(
        await screen.findByText(locale === 'en' ? 'Saved: 张三' : '已保存：张三'),
      ).toBeInTheDocument();
    });
  }

  it('says nothing of a home quarantine already over when a returnee is saved', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '赵六');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    await user.click(screen.getByRole('radio', { name: 'Overseas' }));
    await user.type(textbox('From'), '日本');
    await user.type(screen.getByLabelText('Arrived on'), '2020-02-01');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved: 赵六')).toBeInTheDocument();
  });

  it('asks whether the guard is still on duty once the shift is open more than 24 hours', async () => {
    await openForm();
    expect(screen.queryByText(/more than 24 hours ago/)).toBeNull();
    cleanup();
    await startShift('gate-1', 'Li', new Date(Date.now() - 25 * 3_600_000));
    await openForm();
    const notice = screen.getByText(/more than 24 hours ago\. Is Li still on duty\?/);
    expect(within(notice).getByRole('link', { name: 'End shift' })).toHaveAttribute(
      'href',
      '#/shift-end',
    );
  });

  it('refuses a home quarantine that ends before the arrival, at the field', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '赵六');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    const until = await quarantineBeforeArrival(user);
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(until).toHaveAccessibleDescription(/^Cannot be before the arrival date/),
    );
    expect(await db.records.count()).toBe(0);
  });

  it('stops a returnee this phone registered from going out while in quarantine, before any watchlist', async () => {
    const iso = (d: Date) =>
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const now = new Date();
    const arrived = iso(new Date(now.getFullYear(), now.getMonth(), now.getDate() - 3));
    const until = iso(new Date(now.getFullYear(), now.getMonth(), now.getDate() + 11));
    const ctx = { shift, deviceId: 'dev-1', rules: DEFAULT_GATE_RULES };
    const idNumber = makeResidentId();
    const returnee = {
      person: {
        category: 'resident' as const,
        name: '刘洋',
        idType: 'cn_resident_id' as const,
        idNumber,
        phone: '13912345678',
      },
      returnee: {
        status: 'domestic' as const,
        origin: '湖北武汉',
        arrivedOn: arrived,
        quarantineUntil: until,
        registered: true,
      },
    };
    await saveEntry(makeEntry(returnee), ctx);
    // Seen again later, a plain pass in: the guard does not ask again; the quarantine is kept.
    await saveEntry(makeEntry({ person: returnee.person }), ctx);
    // Someone else who came back from a city with no quarantine is not stopped.
    await saveEntry(
      makeEntry({
        person: { category: 'resident', name: '周敏', phone: '13700001111' },
        returnee: { status: 'domestic', origin: '江苏南京', arrivedOn: arrived, registered: true },
      }),
      ctx,
    );

    const user = await openForm();
    // The decision follows the match in an effect after the render that shows the alert or the
    // notice, a task or more later on a busy machine: each check of it waits for it. The
    // radios are found once (a role query over the whole form is slow under load).
    const refused = screen.getByRole('radio', { name: 'Refused' });
    const admitted = screen.getByRole('radio', { name: 'Admitted' });
    await user.click(screen.getByRole('radio', { name: 'Out' }));
    await user.type(textbox('Phone'), '13912345678');
    const alert = await screen.findByRole('alertdialog', { name: 'Home quarantine!' });
    expect(alert).toHaveTextContent('刘洋');
    await user.click(within(alert).getByRole('button', { name: 'Understood' }));
    await waitFor(() => expect(refused).toBeChecked());

    // By the ID number too, typed in lower case: the alert read, its quieter notice stays.
    await user.clear(textbox('Phone'));
    await waitFor(() =>
      expect(screen.queryByText(/under home quarantine/)).not.toBeInTheDocument(),
    );
    await waitFor(() => expect(admitted).toBeChecked());
    await user.type(textbox('ID number'), idNumber.toLowerCase());
    expect(
      await screen.findByText(`刘洋 is under home quarantine until ${formatDate(until, 'en')}`),
    ).toBeInTheDocument();
    await waitFor(() => expect(refused).toBeChecked());

    // Someone else, back from a city with no quarantine, is not stopped: her number pasted over
    // his in one change, the decision goes back to Admitted only once her number was looked up
    // (the form keeps the last answer while the next is read).
    await user.clear(textbox('ID number'));
    await user.type(textbox('Phone'), '13912345678');
    expect(await screen.findByText(/^刘洋 is under home quarantine/)).toBeInTheDocument();
    await waitFor(() => expect(refused).toBeChecked());
    await user.tripleClick(textbox('Phone'));
    await user.paste('13700001111');
    expect(textbox('Phone')).toHaveValue('13700001111');
    await waitFor(() => expect(admitted).toBeChecked());
    expect(screen.queryByText(/under home quarantine/)).not.toBeInTheDocument();
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('quick lookup fills the form in one tap', async () => {
    await saveEntry(
      makeEntry({
        person: {
          category: 'visitor',
          name: '钱七',
          phone: '13912345678',
          address: '访 5-302',
          idType: 'cn_resident_id',
          idNumber: makeResidentId('19700101', 77),
        },
      }),
      {
        shift,
        deviceId: 'dev-1',
        rules: DEFAULT_GATE_RULES,
      },
    );
    const user = await openForm();
    await user.type(screen.getByRole('searchbox', { name: 'Quick lookup' }), '5678');
    await user.click(await screen.findByRole('button', { name: /钱七/ }));
    expect(textbox('Name')).toHaveValue('钱七');
    expect(textbox('Phone')).toHaveValue('13912345678');
    expect(textbox('ID number')).toHaveValue(makeResidentId('19700101', 77));
    expect(screen.getByRole('radio', { name: 'Visitor' })).toBeChecked();
    // The result tapped is gone with the list: focus goes on to what is still to enter, the
    // temperature, not to the page's top.
    expect(textbox('Temperature')).toHaveFocus();
  });

  it('after Undo, focus is at the form’s top for the entry again, not lost with the Undo button', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '张三');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await user.click(await screen.findByRole('button', { name: 'Undo' }));
    expect(await screen.findByText(/^Undone/)).toBeInTheDocument();
    expect(await db.records.count()).toBe(0);
    expect(textbox('Name')).toHaveFocus();
  });

  it('Undo puts the entry back in the form to fix, kept as the draft when the app closes', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '张三');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    await user.type(textbox('Phone'), '13800138000');
    await user.click(screen.getByRole('radio', { name: 'Visitor' }));
    // Set by hand against the rules (36.6 °C suggests Admitted): it stays so.
    await user.click(screen.getByRole('radio', { name: 'Referred to committee' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await user.click(await screen.findByRole('button', { name: 'Undo' }));
    expect(
      await screen.findByText('Undone: the entry is back in the form to fix and save again'),
    ).toBeInTheDocument();
    expect(await db.records.count()).toBe(0);
    expect(textbox('Name')).toHaveValue('张三');
    expect(textbox('Name')).toHaveFocus();
    expect(textbox('Temperature')).toHaveValue('36.6');
    expect(textbox('Phone')).toHaveValue('13800138000');
    expect(screen.getByRole('radio', { name: 'Visitor' })).toBeChecked();
    expect(screen.getByRole('radio', { name: 'Referred to committee' })).toBeChecked();
    // In the stored draft as soon as the record is gone (the same transaction), not only after
    // the draft's delay: the app closed now (its tab's copy gone with it) opens on the entry.
    expect((await getSetting('draft')) as { person?: { name?: string } }).toMatchObject({
      person: { name: '张三', phone: '13800138000' },
    });
    cleanup();
    sessionStorage.clear();
    await openForm();
    await waitFor(() => expect(textbox('Name')).toHaveValue('张三'));
    expect(textbox('Temperature')).toHaveValue('36.6');
    expect(screen.getByRole('radio', { name: 'Referred to committee' })).toBeChecked();
    // Fixed and saved again: one record, as fixed.
    await user.clear(textbox('Name'));
    await user.type(textbox('Name'), '张山');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Saved: 张山')).toBeInTheDocument();
    const rows = await db.records.toArray();
    expect(rows.map((r) => [r.record.person.name, r.record.decision])).toEqual([
      ['张山', 'referred'],
    ]);
  });

  it('an Undo too late leaves the form as it was: the entry stays saved, not also in the form', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '张三');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const undo = await screen.findByRole('button', { name: 'Undo' });
    // Sent already (the end of a shift sends the undo window too).
    await db.outbox.clear();
    await user.type(textbox('Name'), '李四');
    await user.click(undo);
    expect(
      await screen.findByText('Too late to undo — correct it in the logbook'),
    ).toBeInTheDocument();
    expect(textbox('Name')).toHaveValue('李四');
    // Not asked (nothing to undo any more): typing goes on where it was.
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(textbox('Name')).toHaveFocus();
    expect(await db.records.count()).toBe(1);
    await waitFor(async () =>
      expect((await getSetting('draft')) as { person?: { name?: string } }).toMatchObject({
        person: { name: '李四' },
      }),
    );
  });

  describe('Undo once the next person is begun', () => {
    /** 张三 saved, then 李四 begun on the emptied form, then Undo tapped: the question. */
    async function undoOverTyping(locale: 'en' | 'zh-CN' = 'en') {
      const user = await openForm(locale);
      const [name, degrees, save, undo] =
        locale === 'en' ? ['Name', '36.6 °C', 'Save', 'Undo'] : ['姓名', '36.6 ℃', '保存', '撤销'];
      await user.type(textbox(name), '张三');
      await user.click(screen.getByRole('button', { name: degrees }));
      await user.click(screen.getByRole('button', { name: save }));
      const undoButton = await screen.findByRole('button', { name: undo });
      await user.type(textbox(name), '李四');
      await user.type(textbox(locale === 'en' ? 'Note' : '备注'), 'Room 302');
      await user.click(undoButton);
      await screen.findByRole('alertdialog');
      return user;
    }

    it('asks before replacing what was typed; Keep typing leaves the saved entry and the typing alone', async () => {
      const user = await undoOverTyping();
      const dialog = screen.getByRole('alertdialog', {
        name: 'Replace what you typed with the entry of 张三?',
      });
      expect(dialog).toHaveAccessibleDescription(
        'Undo puts the entry of 张三 back in the form to fix, in place of what you have typed for the next person. Keep typing: 张三 stays saved, and what you typed stays.',
      );
      // The answer that changes nothing has focus.
      const keep = within(dialog).getByRole('button', { name: 'Keep typing' });
      expect(keep).toHaveFocus();
      // Nothing is undone while the guard reads.
      expect(await db.records.count()).toBe(1);
      expect(textbox('Name')).toHaveValue('李四');

      await user.click(keep);
      expect(screen.queryByRole('alertdialog')).toBeNull();
      expect(textbox('Name')).toHaveValue('李四');
      expect(textbox('Name')).toHaveFocus();
      expect(textbox('Note')).toHaveValue('Room 302');
      expect((await db.records.toArray()).map((r) => r.record.person.name)).toEqual(['张三']);
      await waitFor(async () =>
        expect((await getSetting('draft')) as { person?: { name?: string } }).toMatchObject({
          person: { name: '李四' },
        }),
      );
      // No Undo left to tap by mistake, and no notice of an undo.
      expect(screen.queryByRole('button', { name: 'Undo' })).toBeNull();
      expect(screen.queryByText(/^Undone/)).toBeNull();
      // Held back while asked, let go now: the outbox sends it as if never held.
      await waitFor(async () =>
        expect((await db.outbox.toArray())[0]!.savedAt).toBeLessThanOrEqual(
          Date.now() - UNDO_WINDOW_MS,
        ),
      );
    });

    /** Date, timeouts and intervals faked (the question's hold is renewed on an interval). */
    const fakeTimers = () =>
      vi.useFakeTimers({
        shouldAdvanceTime: true,
        toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'],
      });
    /**
     * The faked clock `ms` on, a second at a time, IndexedDB's work (on timers not faked) done in
     * between, as it is while the guard reads.
     */
    async function advance(ms: number) {
      for (let t = 0; t < ms; t += 1_000) {
        await vi.advanceTimersByTimeAsync(Math.min(1_000, ms - t));
        for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
      }
    }

    it('an answer after the undo window still undoes: the record is held back while asked', async () => {
      fakeTimers();
      try {
        const user = await undoOverTyping();
        // Its window counted from later: the outbox leaves it, Undo may still take it.
        expect((await db.outbox.toArray())[0]!.savedAt).toBeGreaterThan(Date.now());
        await advance(4 * UNDO_WINDOW_MS);
        await user.click(screen.getByRole('button', { name: 'Undo and replace' }));
        expect(
          await screen.findByText('Undone: the entry is back in the form to fix and save again'),
        ).toBeInTheDocument();
      } finally {
        vi.useRealTimers();
      }
      expect(await db.records.count()).toBe(0);
      expect(textbox('Name')).toHaveValue('张三');
    });

    it('holds its entry a lease at a time while open: a tab killed with it open holds the entry back 10 s at most, named by End shift 5 s at most', async () => {
      fakeTimers();
      try {
        await undoOverTyping();
        const heldUntil = async () => (await db.outbox.toArray())[0]!.savedAt + UNDO_WINDOW_MS;
        const asking = async (at = Date.now()) =>
          (await heldForUndo(shift.id, at)).map((r) => r.record.person.name);
        // End shift in another tab names the entry as asked about.
        expect(await asking()).toEqual(['张三']);
        // What a tab killed now leaves: a hold over within the lease, no longer named by End
        // shift once less than an undo window of it is left.
        expect(await heldUntil()).toBeLessThanOrEqual(Date.now() + UNDO_HOLD_LEASE_MS);
        expect(await asking(Date.now() + UNDO_HOLD_LEASE_MS - UNDO_WINDOW_MS)).toEqual([]);
        // Open, the hold is renewed: 20 s on, still held and named.
        await advance(20_000);
        expect(screen.getByRole('alertdialog')).toBeInTheDocument();
        expect(await heldUntil()).toBeGreaterThan(Date.now() + UNDO_WINDOW_MS);
        expect(await heldUntil()).toBeLessThanOrEqual(Date.now() + UNDO_HOLD_LEASE_MS);
        expect(await asking()).toEqual(['张三']);
      } finally {
        vi.useRealTimers();
      }
    });

    /** The question's end: it closes itself, says it is too late, and the typing stays. */
    async function closesAsTooLate() {
      await waitFor(() => expect(screen.queryByRole('alertdialog')).toBeNull());
      expect(screen.getByText('Too late to undo — correct it in the logbook')).toBeInTheDocument();
      expect(textbox('Name')).toHaveValue('李四');
      expect(textbox('Note')).toHaveValue('Room 302');
      // Where typing goes on, once the page behind is no longer inert.
      await waitFor(() => expect(textbox('Name')).toHaveFocus());
      expect((await db.records.toArray()).map((r) => r.record.person.name)).toEqual(['张三']);
    }

    it('left open past its hold, closes itself and says it is too late, the typing kept', async () => {
      fakeTimers();
      try {
        await undoOverTyping();
        await advance(UNDO_QUESTION_MS - 2_000);
        expect(screen.getByRole('alertdialog')).toBeInTheDocument();
        await advance(2_000);
        await closesAsTooLate();
        // Let go: the outbox sends it.
        expect((await db.outbox.toArray())[0]!.savedAt).toBeLessThanOrEqual(
          Date.now() - UNDO_WINDOW_MS,
        );
      } finally {
        vi.useRealTimers();
      }
    });

    it('closes itself when its entry is sent meanwhile', async () => {
      await undoOverTyping();
      // The end of a shift in another tab sends everything, the held entry too.
      await db.outbox.clear();
      await closesAsTooLate();
    });

    it('gone with the form unanswered (another screen opened), lets its entry go as Keep typing does', async () => {
      await undoOverTyping();
      cleanup();
      await waitFor(async () =>
        expect((await db.outbox.toArray())[0]!.savedAt).toBeLessThanOrEqual(
          Date.now() - UNDO_WINDOW_MS,
        ),
      );
      expect(await db.records.count()).toBe(1);
    });

    it('Escape answers Keep typing', async () => {
      const user = await undoOverTyping();
      await user.keyboard('{Escape}');
      expect(screen.queryByRole('alertdialog')).toBeNull();
      expect(textbox('Name')).toHaveValue('李四');
      expect(await db.records.count()).toBe(1);
    });

    it('Undo and replace puts the undone entry in the form and in the stored draft', async () => {
      const user = await undoOverTyping();
      await user.click(screen.getByRole('button', { name: 'Undo and replace' }));
      expect(
        await screen.findByText('Undone: the entry is back in the form to fix and save again'),
      ).toBeInTheDocument();
      expect(screen.queryByRole('alertdialog')).toBeNull();
      expect(await db.records.count()).toBe(0);
      expect(textbox('Name')).toHaveValue('张三');
      expect(textbox('Temperature')).toHaveValue('36.6');
      expect(textbox('Note')).toHaveValue('');
      expect(textbox('Name')).toHaveFocus();
      // Stored with the undo (its transaction), not after the draft's delay.
      expect((await getSetting('draft')) as { person?: { name?: string } }).toMatchObject({
        person: { name: '张三' },
      });
    });

    it('asks in Chinese', async () => {
      const user = await undoOverTyping('zh-CN');
      const dialog = screen.getByRole('alertdialog', {
        name: '用 张三 的登记替换正在填写的内容？',
      });
      expect(dialog).toHaveTextContent('选“继续填写”：张三 的登记照常保存，填写的内容不变。');
      expect(within(dialog).getByRole('button', { name: '继续填写' })).toHaveFocus();
      await user.click(within(dialog).getByRole('button', { name: '撤销并替换' }));
      await waitFor(() => expect(textbox('姓名')).toHaveValue('张三'));
      expect(await db.records.count()).toBe(0);
    });
  });

  it('an Undo that fails says so, and the entry stays saved, not also in the form', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '张三');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    await user.click(screen.getByRole('button', { name: 'Save' }));
    const undo = await screen.findByRole('button', { name: 'Undo' });
    const broken = vi.spyOn(db.records, 'delete').mockRejectedValueOnce(new Error('disk I/O'));
    await user.click(undo);
    expect(
      await screen.findByText('Could not undo (disk I/O): the entry is still saved'),
    ).toBeInTheDocument();
    broken.mockRestore();
    expect(textbox('Name')).toHaveValue('');
    expect(await db.records.count()).toBe(1);
  });

  describe('what a screen reader hears', () => {
    it('a Save or an Undo that failed as an alert, at once; Saved and Undone politely', async () => {
      const user = await openForm();
      const alert = within(screen.getByRole('form')).getByRole('alert', { name: '' });
      // There before anything is said in it, so it is heard when something is.
      expect(alert).toBeEmptyDOMElement();
      await user.type(textbox('Name'), '张三');
      await user.click(screen.getByRole('button', { name: '36.6 °C' }));
      // The phone's storage full as IndexedDB says it: the record's write refused.
      const add = IDBObjectStore.prototype.add;
      const full = vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (
        this: IDBObjectStore,
        ...args
      ) {
        if (this.name === 'records') throw new DOMException('full', 'QuotaExceededError');
        return add.apply(this, args);
      });
      await user.click(screen.getByRole('button', { name: 'Save' }));
      await waitFor(() => expect(alert).toHaveTextContent(/^The phone’s storage is full/));
      full.mockRestore();
      for (const status of screen.queryAllByRole('status')) {
        expect(status).not.toHaveTextContent(/storage is full/);
      }

      // Room again: saved, and undone, said politely.
      await user.click(screen.getByRole('button', { name: 'Save' }));
      const saved = (await screen.findByText('Saved: 张三')).closest('[role]');
      expect(saved).toHaveAttribute('role', 'status');
      await user.click(screen.getByRole('button', { name: 'Undo' }));
      const undone = (await screen.findByText(/^Undone:/)).closest('[role]');
      expect(undone).toHaveAttribute('role', 'status');

      // Too late to undo: an alert again.
      await user.click(screen.getByRole('button', { name: 'Save' }));
      const undo = await screen.findByRole('button', { name: 'Undo' });
      await db.outbox.clear();
      await user.click(undo);
      await waitFor(() =>
        expect(alert).toHaveTextContent('Too late to undo — correct it in the logbook'),
      );
    });

    it('the under-quarantine notice, in a live region that is there before it', async () => {
      const user = await openForm();
      await user.click(screen.getByRole('radio', { name: 'Overseas' }));
      const returnee = screen.getByRole('region', { name: 'Returnee' });
      const status = within(returnee).getByRole('status');
      expect(status).toBeEmptyDOMElement();
      await user.type(textbox('From'), '日本');
      // Three days ago, on this phone's calendar.
      const arrived = new Date(
        Date.now() - 3 * 86_400_000 - new Date().getTimezoneOffset() * 60_000,
      );
      await user.type(screen.getByLabelText('Arrived on'), arrived.toISOString().slice(0, 10));
      await waitFor(() => expect(status).toHaveTextContent(/^Under home quarantine until /));
      expect(within(returnee).getByRole('status')).toBe(status);
    });

    it('“Nobody found on this phone”, in a live region, describing the lookup box', async () => {
      const user = await openForm();
      const lookup = screen.getByRole('searchbox', { name: 'Quick lookup' });
      const status = within(lookup.parentElement!).getByRole('status');
      expect(status).toBeEmptyDOMElement();
      await user.type(lookup, '9999');
      await waitFor(() => expect(status).toHaveTextContent('Nobody found on this phone'));
      expect(lookup).toHaveAccessibleDescription('Nobody found on this phone');
      await user.clear(lookup);
      await waitFor(() => expect(status).toBeEmptyDOMElement());
      expect(lookup).not.toHaveAccessibleDescription();
    });

    it('a radio group’s error as the group’s description', async () => {
      const user = await openForm();
      await user.type(textbox('Name'), '钱七');
      await user.type(textbox('Temperature'), '38.5');
      await user.click(screen.getByRole('radio', { name: 'Admitted' }));
      await user.click(screen.getByRole('button', { name: 'Save' }));
      const decision = screen.getByRole('group', { name: 'Decision' });
      await waitFor(() =>
        expect(decision).toHaveAccessibleDescription(
          'A person with a fever cannot simply be admitted',
        ),
      );
      expect(screen.getByRole('radio', { name: 'Admitted' })).toHaveAttribute(
        'aria-invalid',
        'true',
      );
      await user.click(screen.getByRole('radio', { name: 'Refused' }));
      await waitFor(() => expect(decision).not.toHaveAccessibleDescription());
      expect(screen.getByRole('radio', { name: 'Admitted' })).not.toHaveAttribute('aria-invalid');
    });
  });

  it('keeps a half-filled form as a draft and restores it after a remount', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '孙八');
    await user.type(textbox('Temperature'), '36.9');
    await user.type(textbox('Note'), '送快递');
    await waitFor(async () =>
      expect((await getSetting('draft')) as { person?: { name?: string } }).toMatchObject({
        person: { name: '孙八' },
        note: '送快递',
      }),
    );
    document.body.innerHTML = '';
    await openForm();
    await waitFor(() => expect(textbox('Name')).toHaveValue('孙八'));
    expect(textbox('Temperature')).toHaveValue('36.9');
    // Below the fold, rendered after the first paint: its restored value is there too.
    expect(textbox('Note')).toHaveValue('送快递');
  });

  it('takes a draft restored after a Save was tapped as one not yet tried: blank fields stay unmarked', async () => {
    // The form opened again (no start-up read): the stored draft comes a moment after the form,
    // held here until the guard has tapped Save on the still-empty form.
    let release = () => {};
    const held = new Promise<void>((go) => (release = go));
    const fresh = freshDb();
    fresh.use({
      stack: 'dbcore',
      name: 'hold-draft',
      create: (down) => ({
        ...down,
        table: (name) => {
          const table = down.table(name);
          if (name !== 'settings') return table;
          return {
            ...table,
            // Read at once, answered once released (the read's transaction is over by then).
            get: (req) =>
              req.key === 'draft'
                ? Promise.all([table.get(req), held]).then(([value]) => value as unknown)
                : table.get(req),
          };
        },
      }),
    });
    await setSetting('gate', { id: 'gate-1', name: 'North gate', rules: DEFAULT_GATE_RULES });
    await startShift('gate-1', 'Wang');
    await saveDraft({ ...EMPTY_ENTRY, person: { ...EMPTY_ENTRY.person, name: '孙八' } });
    const user = userEvent.setup();
    renderWithSession(<CheckpointScreen />, 'en');
    const form = await screen.findByRole('form');
    expect(form).toHaveAttribute('aria-busy', 'true');
    await user.click(screen.getByRole('button', { name: 'Save' }));
    expect(await screen.findByText('Fields to fix: 2')).toBeInTheDocument();

    release();
    await waitFor(() => expect(form).toHaveAttribute('aria-busy', 'false'));
    await waitFor(() => expect(textbox('Name')).toHaveValue('孙八'));
    expect(screen.queryByText(/Fields to fix/)).not.toBeInTheDocument();
    // Through the blank temperature and on: nothing red until the guard's Save.
    await user.click(textbox('Temperature'));
    await user.tab();
    await user.type(textbox('Name'), '子');
    await user.tab();
    await new Promise((r) => setTimeout(r, 100));
    expect(textbox('Temperature')).not.toHaveAttribute('aria-invalid');
    expect(screen.queryByText('Required')).not.toBeInTheDocument();
    // The Save names the blank one, as on any draft.
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(textbox('Temperature')).toHaveAttribute('aria-invalid', 'true'));
    expect(screen.getByText('Fields to fix: 1')).toBeInTheDocument();
    expect(await db.records.count()).toBe(0);
  });

  it("a Save's clearing of the form writes the tab's copy of the draft once, not once a field", async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '吴十');
    await user.click(screen.getByRole('button', { name: '36.6 °C' }));
    const writes: unknown[] = [];
    const original = Storage.prototype.setItem;
    const setItem = vi.spyOn(Storage.prototype, 'setItem').mockImplementation(function (
      this: Storage,
      key: string,
      value: string,
    ) {
      if (key === 'gatelog.draft') writes.push((JSON.parse(value) as { value: unknown }).value);
      original.call(this, key, value);
    });
    await user.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Saved: 吴十');
    await waitFor(() => expect(textbox('Name')).toHaveValue(''));
    await new Promise((r) => setTimeout(r, 0));
    setItem.mockRestore();
    // The Save's own mark that the draft is ended, then the cleared form: blank.
    expect(writes).toHaveLength(2);
    expect(writes.at(-1)).toBeNull();
  });

  it('keeps what was typed just before the form went away', async () => {
    const user = await openForm();
    await user.type(textbox('Name'), '周九');
    await waitFor(async () =>
      expect(((await getSetting('draft')) as { person?: { name?: string } })?.person?.name).toBe(
        '周九',
      ),
    );
    // Gone within the draft's delay after the last keystroke.
    await user.type(textbox('Note'), '送');
    cleanup();
    await waitFor(async () =>
      expect((await getSetting('draft')) as { note?: string }).toMatchObject({ note: '送' }),
    );
  });
});

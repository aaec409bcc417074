import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { LOG_ROW_PX } from '../../src/app/features/logbook/log-list';
import { HEAD_ROWS } from '../../src/app/features/logbook/log-store';
import LogbookScreen from '../../src/app/features/logbook/logbook-screen';
import type * as SyncStoreModule from '../../src/app/sync/sync-store';
import {
  GateLogDb,
  db,
  endShift,
  getRecord,
  localIsoWithOffset,
  localToday,
  markRejected,
  markSynced,
  outboxStats,
  saveEntry,
  setDb,
  setSetting,
  startShift,
  type Shift,
  uuidv7,
  uuidv7Time,
  type StoredRecord,
} from '../../src/app/db';
import { LocaleContext, formatDateTime, type Locale } from '../../src/app/i18n/i18n';
import { SessionProvider } from '../../src/app/session/session';
import { holdOlderRows, releaseOlderRows } from '../support/held-log-reads';
import { appRoot } from './render-app';
import { DEFAULT_GATE_RULES, addDays, type Entry, type Person } from '../../src/shared';

type SyncStore = typeof SyncStoreModule;
// The sync runner itself is not under test here: only that a correction asks it to send.
const syncSoon = vi.hoisted(() => vi.fn());
vi.mock('../../src/app/sync/sync-store', async (original) => ({
  ...(await original<SyncStore>()),
  syncSoon,
}));
vi.mock('../../src/app/db/logbook-repo', async (original) =>
  (await import('../support/held-log-reads')).withHeldReads(original),
);

const VALID_ID = '11010519491231002X';
const rules = DEFAULT_GATE_RULES;
let dbNo = 0;
let shift: Shift;
let clock = 0;

/** A valid entry: a resident coming in at 36.5 °C; any field can be overridden. */
function makeEntry(
  over: Omit<Partial<Entry>, 'person'> & { person?: Partial<Person> } = {},
): Entry {
  const { person, ...rest } = over;
  return {
    direction: 'in',
    person: {
      category: 'resident',
      name: 'Zhang San',
      idType: 'cn_resident_id',
      idNumber: VALID_ID,
      phone: '13800138000',
      address: 'Building 3, room 201',
      ...person,
    },
    temperatureC: 36.5,
    returnee: { status: 'none' },
    decision: 'admitted',
    ...rest,
  };
}

/** Saves entries one second apart (so "newest first" is well defined), in the current shift. */
async function save(e: Entry, s: Shift = shift): Promise<StoredRecord> {
  clock += 1000;
  return saveEntry(e, { shift: s, deviceId: 'dev-1', rules, now: new Date(clock) });
}

function renderLogbook(locale: Locale = 'en') {
  return render(
    <LocaleContext.Provider value={{ locale, setLocale: () => {} }}>
      <SessionProvider fallback={<p>starting</p>}>
        <LogbookScreen />
      </SessionProvider>
    </LocaleContext.Provider>,
    { container: appRoot() },
  );
}

const entriesList = () => screen.getByRole('list', { name: 'Entries' });
/** The names in the list, top to bottom. */
const listedNames = () =>
  within(entriesList())
    .queryAllByRole('listitem')
    .map((li) => li.querySelector('.log-name')?.textContent);

/** Taps the entry whose row names this person. */
async function openEntry(user: ReturnType<typeof userEvent.setup>, name: RegExp) {
  const list = await screen.findByRole('list', { name: 'Entries' });
  await user.click(await within(list).findByRole('button', { name }));
}

/** Opens the entry named `name` and its correction form; the form's dialog. */
async function openCorrection(user: ReturnType<typeof userEvent.setup>, name: RegExp) {
  await openEntry(user, name);
  const details = await screen.findByRole('dialog', { name: 'Entry details' });
  // The details open at once and the record follows: wait for it.
  await user.click(await within(details).findByRole('button', { name: 'Correct' }));
  return screen.findByRole('dialog', { name: 'Correct this entry' });
}

async function waitForNames(names: string[]) {
  await waitFor(() => expect(listedNames()).toEqual(names));
}

beforeEach(async () => {
  releaseOlderRows();
  setDb(new GateLogDb(`logbook-${Date.now()}-${dbNo++}`));
  // Entries happen in the last minutes, and today, so "Today" holds them also just after midnight.
  const midnight = new Date();
  midnight.setHours(0, 0, 0, 0);
  clock = Math.max(Date.now() - 10 * 60_000, midnight.getTime());
  await setSetting('gate', { id: 'gate-1', name: 'North gate', rules });
  shift = await startShift('gate-1', 'Wang', new Date(clock));
});

/** Five people: in, out, a fever, a returnee, a refusal; the first one already sent. */
async function saveFive() {
  const a = await save(makeEntry({ person: { name: 'Alice An', phone: '13912345678' } }));
  await save(
    makeEntry({
      direction: 'out',
      temperatureC: undefined,
      person: { name: 'Bo Bai', idNumber: undefined, idType: undefined },
    }),
  );
  const c = await save(
    makeEntry({ temperatureC: 38.2, decision: 'referred', person: { name: 'Chen Chao' } }),
  );
  const today = localToday();
  await save(
    makeEntry({
      person: { name: 'Du Dong', address: 'Building 9' },
      returnee: {
        status: 'domestic',
        origin: '湖北武汉',
        arrivedOn: addDays(today, -2),
        quarantineUntil: addDays(today, 12),
      },
      decision: 'admitted',
    }),
  );
  await save(
    makeEntry({
      direction: 'out',
      temperatureC: undefined,
      decision: 'refused',
      person: { name: 'Er Ershi' },
    }),
  );
  await markSynced([a.id]);
  return { a, c };
}

describe('the logbook', () => {
  it('lists this shift newest first with its counts', async () => {
    await saveFive();
    renderLogbook();
    expect(await screen.findByRole('heading', { name: 'Logbook', level: 1 })).toBeInTheDocument();
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    const counts = screen.getByRole('group', { name: 'Counts (tap to filter)' });
    for (const name of ['In 3', 'Out 2', 'Fever 1', 'Returnees 1', 'Refused 1', 'Unsynced 4']) {
      expect(within(counts).getByRole('button', { name })).toHaveAttribute('aria-pressed', 'false');
    }
    const chen = within(entriesList()).getByRole('button', { name: /Chen Chao/ });
    expect(chen).toHaveTextContent('38.2 °C');
    expect(chen.querySelector('.log-temp.fever')).not.toBeNull();
    expect(chen).toHaveTextContent('Referred');
    expect(chen).toHaveTextContent('Unsent');
    expect(chen).toHaveAccessibleName(
      /^Fever, \d\d:\d\d, Chen Chao, 38\.2 °C, .*, Referred, Unsent$/,
    );
    expect(within(entriesList()).getByRole('button', { name: /Alice An/ })).toHaveAccessibleName(
      /, Sent$/,
    );
  });

  it("marks a returnee's row, to the eye and in its spoken name, in both languages", async () => {
    await saveFive();
    const { unmount } = renderLogbook();
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    const du = within(entriesList()).getByRole('button', { name: /Du Dong/ });
    expect(du).toHaveTextContent('Returnee');
    expect(du).toHaveAccessibleName(
      /^\d\d:\d\d, Du Dong, 36\.5 °C, In, Resident, Admitted, Unsent, Returnee$/,
    );
    // Nobody else came from elsewhere: no other row says so.
    const others = within(entriesList())
      .getAllByRole('button')
      .filter((b) => b !== du);
    for (const row of others) expect(row).not.toHaveTextContent('Returnee');
    unmount();
    renderLogbook('zh-CN');
    const list = await screen.findByRole('list', { name: '记录列表' });
    await waitFor(() =>
      expect(within(list).getByRole('button', { name: /Du Dong/ })).toHaveAccessibleName(
        /^\d\d:\d\d, Du Dong, 36\.5 ℃, 进, 居民, 放行, 待上传, 外地返回$/,
      ),
    );
    expect(within(list).getByRole('button', { name: /Du Dong/ })).toHaveTextContent('外地返回');
  });

  it('shows the words in Chinese', async () => {
    await saveFive();
    renderLogbook('zh-CN');
    expect(await screen.findByRole('heading', { name: '登记簿' })).toBeInTheDocument();
    expect(await screen.findByRole('button', { name: '发热 1' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: '本班次' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('filters by a count, and again by another; tapping it again shows everyone', async () => {
    await saveFive();
    const user = userEvent.setup();
    renderLogbook();
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    // Nothing filters: the button that clears the filters is laid out, but out of reach.
    const clear = screen.getByText('Clear filters');
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
    expect(clear).toHaveAttribute('tabindex', '-1');
    const fever = screen.getByRole('button', { name: 'Fever 1' });
    await user.click(fever);
    expect(fever).toHaveAttribute('aria-pressed', 'true');
    await waitForNames(['Chen Chao']);
    expect(screen.getByText('Showing 1 of 5')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Clear filters' })).toBe(clear);
    expect(clear).not.toHaveAttribute('tabindex');
    await user.click(screen.getByRole('button', { name: 'Out 2' }));
    expect(fever).toHaveAttribute('aria-pressed', 'false');
    await waitForNames(['Er Ershi', 'Bo Bai']);
    await user.click(screen.getByRole('button', { name: 'Unsynced 4' }));
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai']);
    await user.click(screen.getByRole('button', { name: 'Returnees 1' }));
    await waitForNames(['Du Dong']);
    await user.click(screen.getByRole('button', { name: 'Returnees 1' }));
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    expect(screen.queryByRole('button', { name: 'Clear filters' })).toBeNull();
  });

  it('searches by name, phone, the end of the ID number and the address', async () => {
    await saveFive();
    const user = userEvent.setup();
    renderLogbook();
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    const search = screen.getByRole('searchbox', { name: 'Search' });
    await user.type(search, 'chen');
    await waitForNames(['Chen Chao']);
    await user.clear(search);
    await user.type(search, '1234567');
    await waitForNames(['Alice An']);
    await user.clear(search);
    await user.type(search, '002x');
    // Bo Bai showed no ID; everyone else carries the same valid one.
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Alice An']);
    await user.clear(search);
    await user.type(search, 'building 9');
    await waitForNames(['Du Dong']);
    await user.click(screen.getByRole('button', { name: 'Fever 1' }));
    await waitFor(() => expect(screen.getByText('No entries match.')).toBeInTheDocument());
    await user.click(screen.getByRole('button', { name: 'Clear filters' }));
    expect(search).toHaveValue('');
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
  });

  it('switches between this shift and today at this gate', async () => {
    await save(makeEntry({ person: { name: 'Night Owl' } }));
    await endShift(shift.id, new Date(clock + 1));
    shift = await startShift('gate-1', 'Li', new Date((clock += 1000)));
    await save(makeEntry({ person: { name: 'Day Walker' } }));
    const user = userEvent.setup();
    renderLogbook();
    await waitForNames(['Day Walker']);
    await user.click(screen.getByRole('button', { name: 'Today' }));
    expect(screen.getByRole('button', { name: 'Today' })).toHaveAttribute('aria-pressed', 'true');
    await waitForNames(['Day Walker', 'Night Owl']);
    expect(screen.getByRole('button', { name: 'In 2' })).toBeInTheDocument();
  });

  it('looks back on an earlier day, to find and correct an entry made then', async () => {
    const dayMs = 24 * 60 * 60_000;
    // Today's entry now, not minutes ago: this test's days must hold also just after midnight.
    clock = Date.now();
    const then = new Date(clock - dayMs);
    const yesterday = localToday(then);
    await endShift(shift.id, new Date(clock - 2 * dayMs + 1000));
    const earlier = await startShift('gate-1', 'Zhao', then);
    const at = (ms: number) => ({ shift: earlier, deviceId: 'dev-1', rules, now: new Date(ms) });
    await saveEntry(makeEntry({ person: { name: 'Yan Yesterday' } }), at(then.getTime() + 1000));
    await endShift(earlier.id, new Date(then.getTime() + 2000));
    shift = await startShift('gate-1', 'Li', new Date(clock));
    await save(makeEntry({ person: { name: 'Tian Today' } }));
    const user = userEvent.setup();
    renderLogbook();
    await waitForNames(['Tian Today']);
    expect(screen.queryByRole('button', { name: 'Day before' })).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Today' }));
    const dayField = screen.getByLabelText('Day', { selector: 'input' });
    expect(dayField).toHaveValue(localToday());
    expect(screen.getByRole('button', { name: 'Day after' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: 'Day before' }));
    await waitForNames(['Yan Yesterday']);
    expect(dayField).toHaveValue(yesterday);
    // Neither scope button claims what is shown: it is neither this shift nor today.
    expect(screen.getByRole('button', { name: 'Today' })).toHaveAttribute('aria-pressed', 'false');
    expect(screen.getByRole('button', { name: 'This shift' })).toHaveAttribute(
      'aria-pressed',
      'false',
    );

    // A day with nothing on the phone says why it may be empty.
    await user.click(screen.getByRole('button', { name: 'Day before' }));
    expect(await screen.findByText(/phone keeps sent entries for 7 days/)).toBeInTheDocument();
    fireEvent.change(dayField, { target: { value: yesterday } });
    await waitForNames(['Yan Yesterday']);

    await openEntry(user, /Yan Yesterday/);
    let dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    await user.click(await within(dialog).findByRole('button', { name: 'Correct' }));
    dialog = await screen.findByRole('dialog', { name: 'Correct this entry' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    await user.clear(name);
    await user.type(name, 'Yan Yesterdays');
    await user.click(within(dialog).getByRole('button', { name: 'Save correction' }));
    const saved = await screen.findByText('Correction saved');
    // Heard while the sheet is open: not in the app's root, which is inert under the sheet.
    expect(document.getElementById('root')).toHaveAttribute('inert');
    expect(saved.closest('[inert]')).toBeNull();
    expect(saved.closest('[role="status"]')).not.toBeNull();
    const correction = (await db.records.toArray()).find((r) => r.record.amends !== undefined)!;
    expect(correction.record.person.name).toBe('Yan Yesterdays');
    // Listed under the day of the passage it corrects.
    await user.click(screen.getByRole('button', { name: 'Back' }));
    await waitForNames(['Yan Yesterdays', 'Yan Yesterday']);

    // This shift sends the correction, and counts only its own passage.
    await user.click(screen.getByRole('button', { name: 'This shift' }));
    await waitForNames(['Yan Yesterdays', 'Tian Today']);
    expect(await screen.findByRole('button', { name: 'In 1' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Today' }));
    await user.click(screen.getByRole('button', { name: 'Day before' }));
    await waitForNames(['Yan Yesterdays', 'Yan Yesterday']);
    await user.click(screen.getByRole('button', { name: 'Day after' }));
    await waitForNames(['Tian Today']);
    expect(screen.getByRole('button', { name: 'Today' })).toHaveAttribute('aria-pressed', 'true');
  });

  it('without a shift, shows today and explains that a shift must be started', async () => {
    await save(makeEntry({ person: { name: 'Night Owl' } }));
    await endShift(shift.id);
    const user = userEvent.setup();
    renderLogbook();
    await waitForNames(['Night Owl']);
    await user.click(screen.getByRole('button', { name: 'This shift' }));
    expect(screen.getByText(/No shift is in progress/)).toBeInTheDocument();
    // Back to the scope the screen first showed: it waits (suspends) for that scope's rows.
    await act(() => user.click(screen.getByRole('button', { name: 'Today' })));
    await openEntry(user, /Night Owl/);
    const dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    // The details are read once the sheet is open (Loading… until then).
    expect(
      await within(dialog).findByText('Start a shift to make corrections.'),
    ).toBeInTheDocument();
    expect(within(dialog).queryByRole('button', { name: 'Correct' })).not.toBeInTheDocument();
  });

  it('shows new saves and sync-state changes live', async () => {
    const { c } = await saveFive();
    renderLogbook();
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    await act(async () => {
      await save(makeEntry({ person: { name: 'Fu Fang' } }));
    });
    await waitForNames(['Fu Fang', 'Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    expect(await screen.findByRole('button', { name: 'In 4' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Unsynced 5' })).toBeInTheDocument();
    await act(async () => {
      await markSynced([c.id]);
    });
    expect(await screen.findByRole('button', { name: 'Unsynced 4' })).toBeInTheDocument();
    expect(within(entriesList()).getByRole('button', { name: /Chen Chao/ })).toHaveAccessibleName(
      /, Sent$/,
    );
  });

  it('opens an entry with all its fields, its sync state and the reason it was rejected', async () => {
    const { c } = await saveFive();
    await markRejected([
      { id: c.id, code: 'invalid', message: 'person.idNumber: idChecksum; note: too_big' },
    ]);
    const user = userEvent.setup();
    renderLogbook();
    await openEntry(user, /Chen Chao/);
    const dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    // The details open at once and the record follows: wait for it.
    // In words: the field's label and the problem, not the server's codes; what this version
    // does not know (too_big) as it came.
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      'Rejected by the server: Not valid' +
        'ID number: The ID number’s check digit is wrong — check it again; Note: too_big',
    );
    const field = (label: string) =>
      within(dialog).getByText(label, { selector: 'dt' }).nextElementSibling;
    expect(field('Name')).toHaveTextContent('Chen Chao');
    expect(field('Temperature')).toHaveTextContent('38.2 °C · Fever');
    expect(field('ID number')).toHaveTextContent(VALID_ID);
    // In the card's groups, which a narrow screen wraps between (never before the last "X").
    expect(
      [...field('ID number')!.querySelectorAll('.log-idnum > span')].map((g) => g.textContent),
    ).toEqual(['110105', '19491231', '002X']);
    expect(field('Phone')).toHaveTextContent('13800138000');
    expect(field('Decision')).toHaveTextContent('Referred to committee');
    expect(field('Sync state')).toHaveTextContent('Rejected');
    expect(field('Guard')).toHaveTextContent('Wang');
    expect(field('Entry id')).toHaveTextContent(c.id);
    await user.click(within(dialog).getByRole('button', { name: 'Back' }));
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });

  it('keeps Tab in an open entry, the screen under it inert, and gives focus back on close', async () => {
    await saveFive();
    const user = userEvent.setup();
    renderLogbook();
    await openEntry(user, /Chen Chao/);
    const row = within(entriesList()).getByRole('button', { name: /Chen Chao/ });
    const dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    await within(dialog).findByText('Chen Chao', { selector: 'dd' });
    // Out of the app's root, which is inert: the tabs and the rows are out of reach.
    const root = document.getElementById('root')!;
    expect(root).not.toContainElement(dialog);
    expect(root).toHaveAttribute('inert');
    for (const shift of [false, true]) {
      for (let i = 0; i < 12; i++) {
        await user.tab({ shift });
        expect(dialog).toContainElement(document.activeElement as HTMLElement);
      }
    }
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(root).not.toHaveAttribute('inert');
    await waitFor(() => expect(row).toHaveFocus());
  });

  it('sends a rejected entry again when the guard asks, once', async () => {
    const { c } = await saveFive();
    await markRejected([{ id: c.id, code: 'wrong_gate', message: 'gateId: not the gate' }]);
    const before = await outboxStats();
    expect(before.rejected).toBe(1);
    const user = userEvent.setup();
    renderLogbook();
    await openEntry(user, /Chen Chao/);
    const dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    await user.click(await within(dialog).findByRole('button', { name: 'Send again' }));
    const field = (label: string) =>
      within(dialog).getByText(label, { selector: 'dt' }).nextElementSibling;
    await waitFor(() => expect(field('Sync state')).toHaveTextContent('Not sent yet'));
    expect(within(dialog).queryByRole('alert')).not.toBeInTheDocument();
    expect(await outboxStats()).toEqual({ pending: before.pending + 1, rejected: 0 });
    const again = await getRecord(c.id);
    expect(again).toMatchObject({ syncState: 'pending' });
    expect(again).not.toHaveProperty('rejection');
  });

  it('corrects an entry with a new amending record and leaves the original as it was', async () => {
    const { a } = await saveFive();
    const before = await db.records.get(a.id);
    const user = userEvent.setup();
    renderLogbook();
    await openEntry(user, /Alice An/);
    let dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    // The details open at once and the record follows: wait for it.
    await user.click(await within(dialog).findByRole('button', { name: 'Correct' }));
    dialog = await screen.findByRole('dialog', { name: 'Correct this entry' });
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    expect(name).toHaveValue('Alice An');
    expect(within(dialog).getByRole('textbox', { name: 'Temperature' })).toHaveValue('36.5');
    expect(within(dialog).getByRole('textbox', { name: 'ID number' })).toHaveValue(VALID_ID);
    await user.clear(name);
    await user.type(name, 'Alice Anne');
    syncSoon.mockClear();
    await user.click(within(dialog).getByRole('button', { name: 'Save correction' }));

    expect(await screen.findByText('Correction saved')).toBeInTheDocument();
    // Sent soon, as a new entry is (it waited for the next start before).
    expect(syncSoon).toHaveBeenCalledTimes(1);
    dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    const corrects = await within(dialog).findByRole('button', { name: /Corrects the entry of/ });

    const all = await db.records.toArray();
    expect(all).toHaveLength(6);
    expect(await db.records.get(a.id)).toEqual(before);
    const correction = all.find((r) => r.record.amends === a.id)!;
    expect(correction.record.person.name).toBe('Alice Anne');
    // Nothing that decides it changed: the original's decision stays.
    expect(correction.record.decision).toBe(a.record.decision);
    expect(correction.record.shiftId).toBe(shift.id);
    // The same passage: it is counted on the day and at the time the person passed.
    expect(correction.record.occurredAt).toBe(a.record.occurredAt);
    expect((await getRecord(correction.id))?.syncState).toBe('pending');

    await user.click(corrects);
    dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    expect(await within(dialog).findByText('Alice An', { selector: 'dd' })).toBeInTheDocument();
    expect(
      await within(dialog).findByRole('button', { name: /^Corrected at .* by Wang$/ }),
    ).toBeInTheDocument();
    expect(within(dialog).getByText(/already been corrected/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Back' }));

    await waitForNames(['Alice Anne', 'Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    const original = within(entriesList()).getByRole('button', { name: /Alice An\b.*Corrected/ });
    expect(original).toHaveClass('corrected');
    // The correction replaces the original in the counts; both are still to be (or were) sent.
    expect(screen.getByRole('button', { name: 'In 3' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Unsynced 5' })).toBeInTheDocument();
  });

  it.each([
    {
      locale: 'en' as const,
      words: ['Entries', 'Entry details', 'Correct', 'Correct this entry', 'Save correction'],
      gone: 'The shift has ended: this correction cannot be saved now. What you typed stays here; start a new shift, then save it.',
      begun:
        'This correction was begun in the shift of Wang and never saved. Check it before saving: saved now, it is a correction of this shift. Cancel discards it.',
    },
    {
      locale: 'zh-CN' as const,
      words: ['记录列表', '记录详情', '更正', '更正记录', '保存更正'],
      gone: '本班已结束，这条更正现在不能保存。填写的内容留在这里，开始新班次后再保存。',
      begun:
        '这条更正是在 Wang 的班次里开始填写的，一直没有保存。保存前请核对：保存后它算作本班的更正。不要的话点“取消”。',
    },
  ])(
    'says in $locale at once that a correction cannot be saved when its shift is ended in another tab, keeps what was typed, and once the next shift starts says whose shift it was begun in',
    async ({ locale, words: [list, details, correct, title, saveIt], gone, begun }) => {
      const a = await save(makeEntry({ person: { name: 'Alice An' } }));
      const user = userEvent.setup();
      renderLogbook(locale);
      const entries = await screen.findByRole('list', { name: list });
      await user.click(await within(entries).findByRole('button', { name: /Alice An/ }));
      const sheet = await screen.findByRole('dialog', { name: details });
      await user.click(await within(sheet).findByRole('button', { name: correct }));
      const dialog = await screen.findByRole('dialog', { name: title });
      const name = within(dialog).getByRole('textbox', { name: locale === 'en' ? 'Name' : '姓名' });
      await user.clear(name);
      await user.type(name, 'Alice Anne');
      expect(within(dialog).queryByRole('status')).not.toBeInTheDocument();

      // Another tab of the app ends the shift meanwhile: this one is told without a tap.
      await db.transaction('rw', [db.shifts, db.settings], async () => {
        await db.shifts.update(shift.id, { endedAt: localIsoWithOffset(new Date(clock + 1)) });
        await db.settings.delete('currentShiftId');
      });
      expect(await within(dialog).findByRole('alert')).toHaveTextContent(gone);
      // No Save where it cannot be saved; what was typed is still in the form, nothing saved.
      expect(within(dialog).queryByRole('button', { name: saveIt })).not.toBeInTheDocument();
      expect(name).toHaveValue('Alice Anne');
      expect((await db.records.toArray()).map((r) => r.id)).toEqual([a.id]);

      // Li starts the next shift (there or here): the correction is Wang's, begun and unsaved.
      const next = await startShift('gate-1', 'Li', new Date(clock + 2));
      expect(await within(dialog).findByRole('status')).toHaveTextContent(begun);
      expect(name).toHaveValue('Alice Anne');
      await user.click(within(dialog).getByRole('button', { name: saveIt }));
      await waitFor(async () => expect(await db.records.count()).toBe(2));
      const correction = (await db.records.toArray()).find((r) => r.id !== a.id)!;
      expect(correction.record).toMatchObject({
        amends: a.id,
        shiftId: next.id,
        guard: 'Li',
        person: { name: 'Alice Anne' },
      });
    },
  );

  it('offers a correction kept from an earlier shift labelled as such; Cancel discards it', async () => {
    const a = await save(makeEntry({ person: { name: 'Alice An' } }));
    const user = userEvent.setup();
    const first = renderLogbook();
    let dialog = await openCorrection(user, /Alice An/);
    await user.clear(within(dialog).getByRole('textbox', { name: 'Name' }));
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Alice Anne');
    first.unmount();
    // This tab ends the shift itself: the half-typed correction is kept, not dropped unsaid.
    await endShift(shift.id, new Date(clock + 1));
    await startShift('gate-1', 'Li', new Date(clock + 2));

    renderLogbook();
    await user.click(await screen.findByRole('button', { name: 'Today' }));
    dialog = await openCorrection(user, /Alice An/);
    expect(within(dialog).getByRole('status')).toHaveTextContent(
      'This correction was begun in the shift of Wang and never saved.',
    );
    expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveValue('Alice Anne');

    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    await user.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Correct' }));
    dialog = await screen.findByRole('dialog', { name: 'Correct this entry' });
    // Discarded: the entry as saved, and nothing said of an earlier shift.
    expect(within(dialog).getByRole('textbox', { name: 'Name' })).toHaveValue('Alice An');
    expect(within(dialog).queryByRole('status')).not.toBeInTheDocument();
    expect((await db.records.toArray()).map((r) => r.id)).toEqual([a.id]);
  });

  it('marks a correction’s emptied field on Save, not when tabbed past', async () => {
    await saveFive();
    const user = userEvent.setup();
    renderLogbook();
    const dialog = await openCorrection(user, /Alice An/);
    const name = within(dialog).getByRole('textbox', { name: 'Name' });
    const temperature = within(dialog).getByRole('textbox', { name: 'Temperature' });
    await user.clear(name);
    await user.clear(temperature);
    await user.tab();
    // After the temperature comes the category, as on the entry form.
    expect(within(dialog).getByRole('radio', { name: 'Resident' })).toHaveFocus();
    expect(name).not.toHaveAttribute('aria-invalid');
    expect(temperature).not.toHaveAttribute('aria-invalid');
    expect(within(dialog).queryByText('Required')).not.toBeInTheDocument();
    // Something typed is still checked as the field is left.
    await user.type(temperature, '50');
    await user.tab();
    expect(await within(dialog).findByText('Temperature must be 34.0–43.0 °C')).toBeInTheDocument();

    await user.click(within(dialog).getByRole('button', { name: 'Save correction' }));
    expect(await within(dialog).findByText('Required')).toBeInTheDocument();
    expect(name).toHaveAttribute('aria-invalid', 'true');
    await waitFor(() => expect(name).toHaveFocus());
    expect(await db.records.count()).toBe(5);
  });

  it('judges a correction on the day of the passage, not the day it is made', async () => {
    // Refused going out on the last day of a home quarantine; corrected on a later day.
    const at = new Date(clock - 24 * 60 * 60_000);
    const day = localToday(at);
    const arrivedOn = addDays(day, -rules.quarantineDays);
    const entry = makeEntry({
      direction: 'out',
      person: { name: 'Fang Fei' },
      returnee: { status: 'domestic', origin: '湖北武汉', arrivedOn, quarantineUntil: day },
      decision: 'refused',
    });
    const refused = await saveEntry(entry, { shift, deviceId: 'dev-1', rules, now: at });
    expect(refused.day < localToday()).toBe(true);
    const user = userEvent.setup();
    renderLogbook();
    const dialog = await openCorrection(user, /Fang Fei/);
    const from = within(dialog).getByRole('textbox', { name: 'From' });
    await user.clear(from);
    await user.type(from, '湖北武昌');
    await user.click(within(dialog).getByRole('button', { name: 'Save correction' }));
    expect(await screen.findByText('Correction saved')).toBeInTheDocument();
    const correction = (await db.records.toArray()).find((r) => r.record.amends === refused.id)!;
    expect(correction.record.returnee).toMatchObject({ origin: '湖北武昌', quarantineUntil: day });
    expect(correction.record.decision).toBe('refused');
  });

  it('corrects an entry corrected already from its newest version, and counts it once', async () => {
    const { c } = await saveFive();
    const counted = async () => (await db.shifts.get(shift.id))!.counts;
    const before = await counted();
    const first = await save({ ...makeEntry({ person: { name: 'Chen Chao' } }), amends: c.id });
    expect(await counted()).toEqual({ ...before, fever: before.fever - 1 });
    const user = userEvent.setup();
    renderLogbook();
    // The guard opens the original fever entry again and corrects it: the form starts from the
    // correction (36.5, not 38.2), and the new entry corrects that one.
    await waitForNames(['Chen Chao', 'Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    await user.click(within(entriesList()).getByRole('button', { name: /Chen Chao.*Corrected/ }));
    let dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    expect(await within(dialog).findByText(/the latest correction stands/)).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Correct the latest version' }));
    dialog = await screen.findByRole('dialog', { name: 'Correct this entry' });
    // The newest version opens and loads: wait for it.
    expect(await within(dialog).findByRole('textbox', { name: 'Temperature' })).toHaveValue('36.5');
    const address = within(dialog).getByRole('textbox', { name: /Address/ });
    await user.clear(address);
    await user.type(address, 'Building 5');
    await user.click(within(dialog).getByRole('button', { name: 'Save correction' }));
    expect(await screen.findByText('Correction saved')).toBeInTheDocument();

    const second = (await db.records.toArray()).find((r) => r.record.amends === first.id)!;
    expect(second.record).toMatchObject({ temperatureC: 36.5, decision: 'admitted' });
    expect(second.record.person.address).toBe('Building 5');
    // One person, counted once: as the newest version says.
    expect(await counted()).toEqual({ ...before, fever: before.fever - 1 });
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(await screen.findByRole('button', { name: 'In 3' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Fever 0' })).toBeInTheDocument();
  });

  it('counts the newest of two corrections of one entry, as the server does', async () => {
    const { c } = await saveFive();
    // Corrected twice from the original, as an older version of the app let a guard do.
    await save({ ...makeEntry({ person: { name: 'Chen Chao' } }), amends: c.id });
    await save({
      ...makeEntry({ person: { name: 'Chen Chao' }, temperatureC: 38.0, decision: 'referred' }),
      amends: c.id,
    });
    renderLogbook();
    await waitForNames([
      'Chen Chao',
      'Chen Chao',
      'Er Ershi',
      'Du Dong',
      'Chen Chao',
      'Bo Bai',
      'Alice An',
    ]);
    expect(screen.getByRole('button', { name: 'In 3' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Fever 1' })).toBeInTheDocument();
    const rows = within(entriesList()).getAllByRole('button', { name: /Chen Chao/ });
    expect(rows.map((r) => r.classList.contains('corrected'))).toEqual([false, true, true]);
  });

  it.each([
    {
      locale: 'en' as const,
      words: ['Today', 'Entry details', 'Back', 'Correction made', 'Corrected by'] as const,
      correction: (time: string) => `Correction ${time}`,
      corrected: (time: string) => `Corrected ${time}`,
      link: (at: string, guard: string) => `Corrected at ${at} by ${guard}`,
    },
    {
      locale: 'zh-CN' as const,
      words: ['今天', '记录详情', '返回', '更正时间', '更正人'] as const,
      correction: (time: string) => `${time} 更正`,
      corrected: (time: string) => `${time} 已更正`,
      link: (at: string, guard: string) => `${at} 由 ${guard} 更正`,
    },
  ])(
    'says in $locale when a correction was made and by whom, the passage keeping its time',
    async ({ locale, words: [today, details, back, madeAt, madeBy], ...say }) => {
      // Wang logs Alice; Li, on the next shift, corrects her name five minutes later.
      const a = await save(makeEntry({ person: { name: 'Alice An' } }));
      await save(makeEntry({ person: { name: 'Bo Bai' } }));
      await endShift(shift.id, new Date(clock + 1000));
      const li = await startShift('gate-1', 'Li', new Date(clock + 2000));
      // Five minutes on, and after every id made so far (ids never go back in time).
      const fixedAt = Math.max(a.savedAt + 5 * 60_000, uuidv7Time(uuidv7())! + 60_000);
      const c = await saveEntry(
        { ...makeEntry({ person: { name: 'Alice Anne' } }), amends: a.id },
        {
          shift: li,
          deviceId: 'dev-1',
          rules,
          now: new Date(fixedAt),
          occurredAt: a.record.occurredAt,
        },
      );
      expect(uuidv7Time(c.id)).toBe(fixedAt);
      const passed = a.record.occurredAt.slice(11, 16);
      const fixed = localIsoWithOffset(new Date(fixedAt)).slice(11, 16);
      expect(fixed).not.toBe(passed);
      const user = userEvent.setup();
      renderLogbook(locale);
      await user.click(await screen.findByRole('button', { name: today }));
      const list = await screen.findByRole('list');
      await waitFor(() =>
        expect(
          within(list)
            .getAllByRole('listitem')
            .map((li) => li.querySelector('.log-name')?.textContent),
        ).toEqual(['Alice Anne', 'Bo Bai', 'Alice An']),
      );
      // The correction, newest, keeps the time she passed and says when it was made; the
      // original, in its place, says when it was corrected. Both said in the rows' names too.
      const correction = within(list).getByRole('button', { name: /Alice Anne/ });
      expect(correction.querySelector('.log-time')).toHaveTextContent(passed);
      expect(correction).toHaveTextContent(say.correction(fixed));
      expect(correction).toHaveAccessibleName(new RegExp(`, ${say.correction(fixed)}$`));
      expect(correction).not.toHaveTextContent(say.corrected(fixed));
      const original = within(list).getByRole('button', { name: /Alice An\b/ });
      expect(original.querySelector('.log-time')).toHaveTextContent(passed);
      expect(original).toHaveTextContent(say.corrected(fixed));
      expect(original).toHaveAccessibleName(new RegExp(`, ${say.corrected(fixed)}$`));
      const bo = within(list).getByRole('button', { name: /Bo Bai/ });
      expect(bo).not.toHaveTextContent(fixed);

      // Its details say when the correction was made and by whom, beside when she passed.
      await user.click(correction);
      let dialog = await screen.findByRole('dialog', { name: details });
      const field = (label: string) =>
        within(dialog).getByText(label, { selector: 'dt' }).nextElementSibling;
      await waitFor(() => expect(field(madeBy)).toHaveTextContent('Li'));
      expect(field(madeAt)).toHaveTextContent(formatDateTime(fixedAt, locale));
      await user.click(within(dialog).getByRole('button', { name: back }));
      // The original's link to it says the same.
      await user.click(original);
      dialog = await screen.findByRole('dialog', { name: details });
      expect(
        await within(dialog).findByRole('button', {
          name: say.link(formatDateTime(fixedAt, locale), 'Li'),
        }),
      ).toBeInTheDocument();
      expect(within(dialog).queryByText(madeAt, { selector: 'dt' })).not.toBeInTheDocument();
    },
  );

  it('checks a correction with the entry rules and saves nothing while it is wrong', async () => {
    await saveFive();
    const user = userEvent.setup();
    renderLogbook();
    await openEntry(user, /Alice An/);
    await user.click(
      await within(await screen.findByRole('dialog')).findByRole('button', { name: 'Correct' }),
    );
    const dialog = await screen.findByRole('dialog', { name: 'Correct this entry' });
    await user.clear(within(dialog).getByRole('textbox', { name: 'Name' }));
    const temperature = within(dialog).getByRole('textbox', { name: 'Temperature' });
    await user.clear(temperature);
    await user.type(temperature, '38.5');
    // A fever now: the decision follows the rules, as on the entry form.
    expect(within(dialog).getByRole('radio', { name: 'Referred to committee' })).toBeChecked();
    // The guard admits anyway: the rules say no, on the form, and nothing is saved.
    await user.click(within(dialog).getByRole('radio', { name: 'Admitted' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save correction' }));
    expect(await within(dialog).findByText('Required')).toBeInTheDocument();
    expect(
      within(dialog).getByText('A person with a fever cannot simply be admitted'),
    ).toBeInTheDocument();
    expect(await db.records.count()).toBe(5);
    // The guard's own pick stays when the temperature changes again.
    await user.click(within(dialog).getByRole('radio', { name: 'Referred to committee' }));
    await user.clear(temperature);
    await user.type(temperature, '36.6');
    expect(within(dialog).getByRole('radio', { name: 'Referred to committee' })).toBeChecked();
    await user.clear(temperature);
    await user.type(temperature, '38.5');
    await user.type(within(dialog).getByRole('textbox', { name: 'Name' }), 'Alice An');
    await user.click(within(dialog).getByRole('button', { name: 'Save correction' }));
    expect(await screen.findByText('Correction saved')).toBeInTheDocument();
    const saved = (await db.records.toArray()).find((r) => r.record.amends);
    expect(saved?.record).toMatchObject({ temperatureC: 38.5, decision: 'referred' });
    expect(saved?.fever).toBe(true);
  });

  it('shows the newest entries while the older ones load, and claims nothing it cannot know yet', async () => {
    await save(makeEntry({ temperatureC: 38.2, decision: 'referred', person: { name: 'Oldest' } }));
    for (let i = 0; i < HEAD_ROWS; i++) await save(makeEntry({ person: { name: `Person ${i}` } }));
    const release = holdOlderRows();
    const user = userEvent.setup();
    renderLogbook();
    await waitFor(() => expect(listedNames()[0]).toBe(`Person ${HEAD_ROWS - 1}`));
    expect(entriesList()).toHaveAttribute('aria-busy', 'true');
    expect(screen.getByRole('status')).toHaveTextContent('Loading older entries…');
    // The shift keeps these counts; how many are unsent only the entries can tell.
    expect(screen.getByRole('button', { name: `In ${HEAD_ROWS + 1}` })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Unsynced counting' })).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Fever 1' }));
    expect(screen.getByRole('status')).toHaveTextContent(
      'None found yet — still loading older entries…',
    );
    expect(screen.queryByText('No entries match.')).not.toBeInTheDocument();

    release();
    await waitForNames(['Oldest']);
    expect(screen.getByRole('status')).toHaveTextContent(`Showing 1 of ${HEAD_ROWS + 1}`);
    expect(entriesList()).toHaveAttribute('aria-busy', 'false');
    expect(screen.getByRole('button', { name: `Unsynced ${HEAD_ROWS + 1}` })).toBeInTheDocument();
  }, 30_000);

  it('keeps focus on the same entry when a new entry moves the rows under it', async () => {
    await saveFive();
    const user = userEvent.setup();
    renderLogbook();
    await waitForNames(['Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    const focusedName = () => document.activeElement?.getAttribute('aria-label') ?? '';
    within(entriesList())
      .getByRole('button', { name: /Chen Chao/ })
      .focus();
    // A new entry comes in on top: every row moves down one place.
    await save(makeEntry({ person: { name: 'Fan Fei' } }));
    await waitForNames(['Fan Fei', 'Er Ershi', 'Du Dong', 'Chen Chao', 'Bo Bai', 'Alice An']);
    await waitFor(() => expect(focusedName()).toMatch(/Chen Chao/));
    // Back from the details of an entry, focus is on that entry's row, though the rows moved.
    await openEntry(user, /Bo Bai/);
    await save(makeEntry({ person: { name: 'Gu Gang' } }));
    await waitForNames([
      'Gu Gang',
      'Fan Fei',
      'Er Ershi',
      'Du Dong',
      'Chen Chao',
      'Bo Bai',
      'Alice An',
    ]);
    const dialog = await screen.findByRole('dialog', { name: 'Entry details' });
    await user.click(within(dialog).getByRole('button', { name: 'Back' }));
    await waitFor(() => expect(focusedName()).toMatch(/Bo Bai/));
  });

  it('renders only a window of a long list', async () => {
    const ROWS = 2000;
    const entries = Array.from({ length: ROWS }, (_, i) =>
      makeEntry({
        person: { name: `Person ${i}` },
        temperatureC: i % 100 === 0 ? 38.0 : 36.5,
        decision: i % 100 === 0 ? 'referred' : 'admitted',
      }),
    );
    for (const e of entries) await save(e);
    const started = performance.now();
    renderLogbook();
    // The newest rows show first, the older ones load behind them.
    await waitFor(() => expect(entriesList()).toHaveAttribute('aria-busy', 'false'), {
      timeout: 10_000,
    });
    expect(screen.getByRole('button', { name: `In ${ROWS}` })).toBeInTheDocument();
    const items = within(entriesList()).getAllByRole('listitem');
    console.info(
      `logbook: ${ROWS} rows loaded and rendered in ${Math.round(performance.now() - started)} ms`,
    );
    expect(items.length).toBeGreaterThan(5);
    expect(items.length).toBeLessThan(60);
    expect(items[0]).toHaveAttribute('aria-setsize', String(ROWS));
    expect(items[0]).toHaveAttribute('aria-posinset', '1');
    expect(items[0]).toHaveTextContent(`Person ${ROWS - 1}`);
    expect(screen.getByRole('button', { name: 'Fever 20' })).toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Fever 20' }));
    await waitFor(() =>
      expect(within(entriesList()).getAllByRole('listitem')[0]).toHaveAttribute(
        'aria-setsize',
        '20',
      ),
    );
    expect(within(entriesList()).getAllByRole('listitem')[0]).toHaveTextContent(
      `Person ${ROWS - 100}`,
    );
  }, 60_000);

  it("shows a filter's rows on screen in its first frame, and those beyond the screen after", async () => {
    for (let i = 0; i < 60; i++) {
      await save(
        makeEntry({
          person: { name: `Person ${i}` },
          temperatureC: i % 2 ? 38.0 : 36.5,
          decision: i % 2 ? 'referred' : 'admitted',
        }),
      );
    }
    renderLogbook();
    await waitFor(() => expect(entriesList()).toHaveAttribute('aria-busy', 'false'));
    const onScreen = Math.ceil(window.innerHeight / LOG_ROW_PX);
    const rows = () => within(entriesList()).getAllByRole('listitem');
    // Six more below the screen, for a thumb's scroll.
    expect(rows()).toHaveLength(onScreen + 6);
    // The tap's render, as React committed it: the rows on screen alone.
    fireEvent.click(screen.getByRole('button', { name: 'Fever 30' }));
    expect(rows()).toHaveLength(onScreen);
    expect(rows()[0]).toHaveTextContent('Person 59');
    // Once that frame is painted, the rows beyond the screen come too.
    await waitFor(() => expect(rows()).toHaveLength(onScreen + 6));
    expect(rows().at(-1)).toHaveAttribute('aria-posinset', String(onScreen + 6));
  });
});

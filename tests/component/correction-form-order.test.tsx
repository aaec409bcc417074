/**
 * The correction form is the entry form a guard knows: the same fields, in the same order, under
 * the same names, in both languages. Both forms are rendered as the app renders them and read
 * the way a screen reader reads them: every field's accessible name, top to bottom.
 */
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import { CheckpointScreen } from '../../src/app/features/checkpoint/checkpoint-screen';
import LogbookScreen from '../../src/app/features/logbook/logbook-screen';
import { localToday, saveEntry, setSetting, startShift, type Shift } from '../../src/app/db';
import type { Locale } from '../../src/app/i18n/i18n';
import { DEFAULT_GATE_RULES, addDays } from '../../src/shared';
import { makeEntry } from '../support/factories';
import { freshDb, renderWithSession } from './render-app';

let shift: Shift;

beforeEach(async () => {
  freshDb();
  await setSetting('gate', { id: 'gate-1', name: 'North gate', rules: DEFAULT_GATE_RULES });
  shift = await startShift('gate-1', 'Wang');
});

/** The role a field of the form has for a screen reader. */
function roleOf(el: Element): string {
  if (el instanceof HTMLFieldSetElement) return 'group';
  if (el.tagName === 'SECTION') return 'region';
  if (el instanceof HTMLSelectElement) return 'combobox';
  if (el instanceof HTMLTextAreaElement) return 'textbox';
  const type = (el as HTMLInputElement).type;
  // A date field has no ARIA role of its own: it is found by its label.
  return type === 'radio' || type === 'checkbox' || type === 'date' ? type : 'textbox';
}

/** The visible words naming a field: its legend, its label, or the section's own name. */
function wordsOf(el: Element): string {
  if (el instanceof HTMLFieldSetElement) return el.querySelector('legend')!.textContent;
  if (el.tagName === 'SECTION') return el.getAttribute('aria-label')!;
  return (el as HTMLInputElement).labels![0]!.textContent;
}

/**
 * The form's fields top to bottom, as "role: accessible name": the groups and sections, and
 * every control bound to a field of the record (it carries the field's `name`), with its hint.
 * Each name is checked to be the one a screen reader says (the query by role, or label, and
 * name finds that element).
 */
function fieldNames(form: HTMLElement): string[] {
  const fields = [...form.querySelectorAll('fieldset, section, input, select, textarea')].filter(
    (el) =>
      el instanceof HTMLFieldSetElement || el.tagName === 'SECTION' || el.hasAttribute('name'),
  );
  return fields.map((el) => {
    const role = roleOf(el);
    const name = wordsOf(el);
    const named =
      role === 'date'
        ? within(form).getAllByLabelText(name)
        : within(form).getAllByRole(role, { name });
    expect(named).toContain(el);
    // A hint under a field (how the quarantine date is made) is read with it.
    const hint = [...(el.getAttribute('aria-describedby') ?? '').split(' ')]
      .map((id) => (id ? document.getElementById(id)?.textContent : ''))
      .join('');
    return hint ? `${role}: ${name} (${hint})` : `${role}: ${name}`;
  });
}

/**
 * How the returnee's date fields are laid out: for each, the classes of the boxes it sits in,
 * from its own up to the returnee's section.
 */
function dateBoxes(form: HTMLElement): string[][] {
  return [...form.querySelectorAll<HTMLInputElement>('input[type="date"]')].map((input) => {
    const boxes: string[] = [];
    for (let el = input.parentElement; el && el.tagName !== 'SECTION'; el = el.parentElement) {
      boxes.push(el.className);
    }
    return boxes;
  });
}

/**
 * How the "Registered with the committee" checkbox is drawn: its label's markup (tags, classes
 * and styles, from the label down), and the classes of the boxes it sits in up to the section.
 */
function registeredBox(form: HTMLElement): { markup: string[]; boxes: string[] } {
  const input = form.querySelector<HTMLInputElement>('input[name="returnee.registered"]')!;
  const label = input.closest('label')!;
  const markup = [label, ...label.querySelectorAll('*')].map(
    (el) => `${el.tagName} .${el.className} [${el.getAttribute('style') ?? ''}]`,
  );
  const boxes: string[] = [];
  for (let el = label.parentElement; el && el.tagName !== 'SECTION'; el = el.parentElement) {
    boxes.push(el.className);
  }
  return { markup, boxes };
}

/** The entry form with a returnee's fields open, read by `read` (its fields, by default). */
async function entryFormFields<T = string[]>(
  locale: Locale,
  domestic: string,
  read: (form: HTMLElement) => T = fieldNames as (form: HTMLElement) => T,
): Promise<T> {
  const user = userEvent.setup();
  const { unmount } = renderWithSession(<CheckpointScreen />, locale);
  const form = await screen.findByRole('form');
  await waitFor(() => expect(form.querySelector('textarea[name="note"]')).not.toBeNull());
  await user.click(within(form).getByRole('radio', { name: domestic }));
  await waitFor(() => expect(form.querySelector('[name="returnee.origin"]')).not.toBeNull());
  const names = read(form);
  unmount();
  return names;
}

/** The correction form of a returnee's entry (its returnee's fields open), read by `read`. */
async function correctionFormFields<T = string[]>(
  locale: Locale,
  words: { correct: string; title: string },
  read: (form: HTMLElement) => T = fieldNames as (form: HTMLElement) => T,
): Promise<T> {
  const today = localToday();
  await saveEntry(
    makeEntry({
      person: { category: 'resident', name: '杜东' },
      returnee: {
        status: 'domestic',
        origin: '湖北武汉',
        arrivedOn: addDays(today, -2),
        quarantineUntil: addDays(today, 12),
      },
    }),
    { shift, deviceId: 'dev-1', rules: DEFAULT_GATE_RULES },
  );
  const user = userEvent.setup();
  const { unmount } = renderWithSession(<LogbookScreen />, locale);
  await user.click(await screen.findByRole('button', { name: /杜东/ }));
  await user.click(await screen.findByRole('button', { name: words.correct }));
  const form = await screen.findByRole('form', { name: words.title });
  const names = read(form);
  unmount();
  return names;
}

describe('the correction form', () => {
  it.each([
    {
      locale: 'en' as const,
      domestic: 'Another city',
      correct: 'Correct',
      title: 'Correct this entry',
      first: [
        'group: Direction',
        'radio: In',
        'radio: Out',
        'textbox: Name',
        'textbox: Temperature',
      ],
    },
    {
      locale: 'zh-CN' as const,
      domestic: '外省市',
      correct: '更正',
      title: '更正记录',
      first: ['group: 进出', 'radio: 进', 'radio: 出', 'textbox: 姓名', 'textbox: 体温'],
    },
  ])(
    'has the entry form’s fields in its order and under its names in $locale',
    async ({ locale, domestic, correct, title, first }) => {
      const entry = await entryFormFields(locale, domestic);
      // The entry form as a guard knows it: direction, then name and temperature first.
      expect(entry.slice(0, first.length)).toEqual(first);
      expect(entry.length).toBeGreaterThan(20);
      expect(await correctionFormFields(locale, { correct, title })).toEqual(entry);
    },
  );

  it('lays out the returnee’s dates as the entry form does, one under the other', async () => {
    const entry = await entryFormFields('en', 'Another city', dateBoxes);
    // Arrived on, then Home quarantine until: each a field of its own in the section.
    expect(entry).toEqual([['field'], ['field']]);
    const correction = await correctionFormFields(
      'en',
      { correct: 'Correct', title: 'Correct this entry' },
      dateBoxes,
    );
    expect(correction).toEqual(entry);
  });

  it('draws "Registered with the committee" as the entry form does', async () => {
    const entry = await entryFormFields('en', 'Another city', registeredBox);
    // A big tap target, as the form's other choices: the label's box drawn by its span.
    expect(entry.markup).toEqual([
      expect.stringMatching(/^LABEL \.choice\b/),
      'INPUT . []',
      expect.stringMatching(/^SPAN /),
    ]);
    const correction = await correctionFormFields(
      'en',
      { correct: 'Correct', title: 'Correct this entry' },
      registeredBox,
    );
    expect(correction).toEqual(entry);
  });
});

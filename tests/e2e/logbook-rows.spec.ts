/**
 * A logbook row with a correction's tag ('Corrected 14:05', 'Correction 14:05') or a returnee's
 * mark is two lines at 360 px, as the rows around it, in both languages: the tags sit on the
 * row's top edge, whole, over no word of its row, the row before or each other, and the name and
 * time are whole. (In the second line, after the category, decision and sync state, each took a
 * third line in English.)
 */
import type { Page } from '@playwright/test';
import { daysAgo, logEntry, openApp, startShift } from './support/app';
import { overlaps } from './support/boxes';
import { expect, test } from './support/fixtures';

/** Corrects the entry of `name` to `to` in the logbook, in English. */
async function correct(page: Page, name: string, to: string) {
  await page.getByRole('link', { name: 'Logbook' }).click();
  await page
    .getByRole('list', { name: 'Entries' })
    .getByRole('button', { name: new RegExp(name) })
    .first()
    .click();
  const sheet = page.getByRole('dialog');
  await sheet.getByRole('button', { name: 'Correct', exact: true }).click();
  await sheet.getByRole('textbox', { name: 'Name', exact: true }).fill(to);
  await sheet.getByRole('button', { name: 'Save correction' }).click();
  await expect(page.getByText('Correction saved')).toBeVisible();
  await sheet.getByRole('button', { name: 'Back' }).click();
  await expect(sheet).toBeHidden();
  await page.getByRole('link', { name: 'Checkpoint' }).click();
}

/**
 * How a row is laid out: how many lines its words take (their boxes' middles, told apart by more
 * than 6 px), whether the name and time are cut, and its tags' boxes beside every word's.
 */
function rowLayout(page: Page, name: string) {
  return page
    .getByRole('list')
    .getByRole('button', { name: new RegExp(`, ${name}, `) })
    .evaluate((row) => {
      const rect = (el: Element) => {
        const r = el.getBoundingClientRect();
        return { x: r.x, y: r.y, width: r.width, height: r.height };
      };
      const tags = '.log-marks, .log-tag';
      const words = [...row.querySelectorAll('.log-line > *')].filter((el) => !el.matches(tags));
      const middles: number[] = [];
      for (const el of words) {
        const r = el.getBoundingClientRect();
        const mid = r.y + r.height / 2;
        if (!middles.some((m) => Math.abs(m - mid) <= 6)) middles.push(mid);
      }
      const cut = (el: Element | null) => !el || el.scrollWidth > el.clientWidth;
      const before = row.closest('li')?.previousElementSibling?.querySelector('.log-row');
      return {
        lines: middles.length,
        nameCut: cut(row.querySelector('.log-name')),
        timeCut: cut(row.querySelector('.log-time')),
        words: words.map(rect),
        tags: [...row.querySelectorAll('.log-tag:not(.returnee)')].map((el) => ({
          ...rect(el),
          text: el.textContent,
          cut: el.scrollWidth > el.clientWidth,
        })),
        returnee: [...row.querySelectorAll('.log-tag.returnee')].map((el) => ({
          ...rect(el),
          text: el.textContent,
          cut: el.scrollWidth > el.clientWidth,
        })),
        row: rect(row),
        before: before ? rect(before) : null,
      };
    });
}

const WORDS = {
  en: { logbook: 'Logbook', corrected: 'Corrected', correction: 'Correction' },
  'zh-CN': { logbook: '登记簿', corrected: '已更正', correction: '更正' },
} as const;

/**
 * The row's tags and returnee mark whole, inside its width, over none of its words, the row
 * before, or each other.
 */
function expectMarksClear(row: Awaited<ReturnType<typeof rowLayout>>) {
  const marks = [...row.returnee, ...row.tags];
  for (const [i, t] of marks.entries()) {
    expect(t.cut, t.text ?? '').toBe(false);
    expect(t.x).toBeGreaterThanOrEqual(row.row.x);
    expect(t.x + t.width).toBeLessThanOrEqual(row.row.x + row.row.width);
    for (const word of row.words) expect(overlaps(t, word), t.text ?? '').toBe(false);
    if (row.before) expect(overlaps(t, row.before), t.text ?? '').toBe(false);
    for (const other of marks.slice(i + 1)) expect(overlaps(t, other)).toBe(false);
  }
}

/** A returnee's row says so in its spoken name. */
const RETURNEE = { en: 'Returnee', 'zh-CN': '外地返回' } as const;

for (const lang of ['en', 'zh-CN'] as const) {
  test(`a corrected entry's row and its correction's are two lines at 360 px (${lang})`, async ({
    page,
  }) => {
    const w = WORDS[lang];
    await page.setViewportSize({ width: 360, height: 740 });
    await openApp(page);
    await startShift(page, 'Wang Wei');
    // The longest second lines of a row at this gate: Out, Visitor, Referred (a fever); In,
    // Resident, Admitted.
    await logEntry(
      page,
      { direction: 'out', name: 'Han Meimei', category: 'visitor', temperature: '38.5' },
      { fever: true },
    );
    await logEntry(page, { direction: 'in', name: 'Li Lei', temperature: '36.5' });
    await correct(page, 'Han Meimei', 'Han Meimeng');
    await correct(page, 'Li Lei', 'Li Leilei');
    // A returnee's row too: its mark beside the tag on the row's edge.
    await logEntry(page, {
      direction: 'in',
      name: 'Zhao Liu',
      temperature: '36.6',
      returnee: { origin: 'Wuhan', arrivedOn: daysAgo(3) },
    });
    await correct(page, 'Zhao Liu', 'Zhao Liuliu');

    await page.goto(`/?lang=${lang}`);
    await page.getByRole('link', { name: w.logbook }).click();
    const rows = [
      ['Han Meimeng', w.correction],
      ['Li Leilei', w.correction],
      ['Han Meimei', w.corrected],
      ['Li Lei', w.corrected],
      ['Zhao Liuliu', w.correction],
      ['Zhao Liu', w.corrected],
    ] as const;
    for (const [name, tag] of rows) {
      await expect(
        page.getByRole('list').getByRole('button', { name: new RegExp(`, ${name}, `) }),
      ).toBeVisible();
      const row = await rowLayout(page, name);
      expect(row.tags.map((t) => t.text)).toEqual([expect.stringContaining(tag)]);
      expect(row.lines, `${name}'s row`).toBe(2);
      expect(row.nameCut, `${name}'s name`).toBe(false);
      expect(row.timeCut).toBe(false);
      expectMarksClear(row);
    }
    // The whole list is on a 360 px screen: nothing wider than it.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
  });
}

for (const lang of ['en', 'zh-CN'] as const) {
  test(`a returnee's row is two lines at 360 px, its returnee mark whole (${lang})`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await openApp(page);
    await startShift(page, 'Wang Wei');
    // From Wuhan three days ago: 14 days of home quarantine. The longest second lines of a
    // returnee's row: a resident let in, and a visitor with a fever referred to the committee.
    const returnee = { origin: 'Wuhan', arrivedOn: daysAgo(3) };
    await logEntry(page, { direction: 'in', name: 'Zhao Liu', temperature: '36.6', returnee });
    await logEntry(
      page,
      { direction: 'in', name: 'Sun Qi', category: 'visitor', temperature: '38.2', returnee },
      { fever: true },
    );
    await logEntry(page, { direction: 'out', name: 'Qian Ba', category: 'visitor', returnee });
    // Beside a resident's and a visitor's rows, which are two lines already.
    await logEntry(page, { direction: 'in', name: 'Li Lei', temperature: '36.5' });
    await logEntry(page, { direction: 'out', name: 'Han Meimei', category: 'visitor' });

    await page.goto(`/?lang=${lang}`);
    await page.getByRole('link', { name: WORDS[lang].logbook }).click();
    for (const name of ['Zhao Liu', 'Sun Qi', 'Qian Ba', 'Li Lei', 'Han Meimei']) {
      const button = page
        .getByRole('list')
        .getByRole('button', { name: new RegExp(`, ${name}, `) });
      await expect(button).toBeVisible();
      const row = await rowLayout(page, name);
      expect(row.lines, `${name}'s row`).toBe(2);
      expect(row.nameCut, `${name}'s name`).toBe(false);
      expect(row.timeCut).toBe(false);
      // What makes the row a returnee's is on it, whole, and said in its name.
      const isReturnee = name !== 'Li Lei' && name !== 'Han Meimei';
      expect(row.returnee.map((t) => t.text)).toEqual(isReturnee ? [RETURNEE[lang]] : []);
      if (isReturnee) await expect(button).toHaveAccessibleName(new RegExp(RETURNEE[lang]));
      expectMarksClear(row);
    }
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      360,
    );
  });
}

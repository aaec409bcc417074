/**
 * A Save's confirmation covers the tab bar, as tall as it, whatever the length of the name it
 * says: a long name is cut with an ellipsis on screen (two lines at most, one above a returnee's
 * quarantine end, which stays whole), while its live region still holds the whole name for a
 * screen reader. Save and the form's last field stay uncovered, on the phones' common sizes, in
 * both languages. (A 60-character name, the most a record takes, wrapped to four lines and grew
 * over Save.)
 */
import { daysAgo, openApp, startShift } from './support/app';
import { box, overlaps } from './support/boxes';
import { expect, test } from './support/fixtures';

const WORDS = {
  en: {
    name: 'Name',
    temperature: 'Temperature',
    save: 'Save',
    overseas: 'Overseas',
    from: 'From',
    arrived: 'Arrived on',
    note: 'Note',
    undo: 'Undo',
    // 60 characters, the longest name a record takes.
    long: 'Maximilian Alexander Fitzgerald-Montgomery Worthington-Smyth',
    saved: (name: string) => `Saved: ${name}`,
    savedReturnee: (name: string) => `Saved: ${name}.`,
    until: 'Home quarantine until',
  },
  'zh-CN': {
    name: '姓名',
    temperature: '体温',
    save: '保存',
    overseas: '境外',
    from: '来自',
    arrived: '抵达日期',
    note: '备注',
    undo: '撤销',
    long: '欧阳诸葛司马上官慕容东方长孙宇文皇甫尉迟公孙令狐轩辕夏侯端木独孤南宫西门百里呼延'
      .repeat(3)
      .slice(0, 60),
    saved: (name: string) => `已保存：${name}`,
    savedReturnee: (name: string) => `已保存：${name}。`,
    until: '居家隔离至',
  },
} as const;

for (const lang of ['en', 'zh-CN'] as const) {
  for (const [width, height] of [
    [360, 740],
    [390, 844],
  ] as const) {
    test(`a long name's confirmation stays over the tab bar, clear of Save and the form (${lang}, ${width}×${height})`, async ({
      page,
    }) => {
      const w = WORDS[lang];
      expect(w.long).toHaveLength(60);
      await page.setViewportSize({ width, height });
      await openApp(page);
      await startShift(page, 'Wang Wei');
      await page.goto(`/?lang=${lang}`);
      const name = page.getByRole('textbox', { name: w.name, exact: true });
      await expect(name).toBeVisible();
      const save = page.getByRole('button', { name: w.save, exact: true });
      const nav = page.getByRole('navigation');

      for (const returnee of [false, true]) {
        await name.fill(w.long);
        await page.getByRole('textbox', { name: w.temperature, exact: true }).fill('36.6');
        if (returnee) {
          await page.getByRole('radio', { name: w.overseas, exact: true }).check();
          await page.getByRole('textbox', { name: w.from, exact: true }).fill('日本');
          await page.getByLabel(w.arrived, { exact: true }).fill(daysAgo(3));
        }
        await save.click();
        // The live region holds the whole name (and a returnee's quarantine end after it).
        const said = returnee ? w.savedReturnee(w.long) : w.saved(w.long);
        const toast = page.getByRole('status').filter({ hasText: said });
        await expect(toast).toBeVisible();
        await expect(name).toHaveValue('');

        // On screen, the confirmation is below Save, over the tab bar, whole in the viewport.
        const saveBox = await box(save);
        const toastBox = await box(toast);
        await expect(save).toBeInViewport({ ratio: 1 });
        expect(toastBox.y).toBeGreaterThanOrEqual(saveBox.y + saveBox.height);
        await expect(toast).toBeInViewport({ ratio: 1 });
        expect(overlaps(toastBox, await box(nav))).toBe(true);
        await expect(toast.getByRole('button', { name: w.undo })).toBeInViewport({ ratio: 1 });
        // A returnee's quarantine end is never the part cut: whole, inside the confirmation.
        if (returnee) {
          const until = toast.getByText(w.until);
          const untilBox = await box(until);
          expect(untilBox.y).toBeGreaterThanOrEqual(toastBox.y);
          expect(untilBox.y + untilBox.height).toBeLessThanOrEqual(toastBox.y + toastBox.height);
          expect(await until.evaluate((el) => el.scrollHeight <= el.clientHeight)).toBe(true);
        }

        // Scrolled to the form's end, its last field is clear of the confirmation too.
        await page.evaluate(() => window.scrollTo({ top: document.body.scrollHeight }));
        const note = page.getByRole('textbox', { name: w.note, exact: true });
        await expect(note).toBeInViewport({ ratio: 1 });
        expect(overlaps(await box(note), await box(toast))).toBe(false);
        expect((await box(toast)).y).toBeGreaterThanOrEqual(
          (await box(save)).y + (await box(save)).height,
        );
        await page.evaluate(() => window.scrollTo({ top: 0 }));
      }
    });
  }
}

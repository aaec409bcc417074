/**
 * The confirmation of a Save ("Saved: X — Undo") and the header's upload status, both readable at
 * once on a phone: a guard saving one person after another sees "2 to send" / "All sent" while
 * the confirmation is up. It covers the tab bar, never the header, Save or the form, and its Undo
 * sits over this screen's own tab.
 */
import type { Page } from '@playwright/test';
import { enrollByLink, startShift } from './support/app';
import { box, onTop, overlaps } from './support/boxes';
import { expect, test } from './support/fixtures';

test.use({ serverKind: 'app' });

const WORDS = {
  en: {
    name: 'Name',
    temperature: 'Temperature',
    save: 'Save',
    in: 'In',
    other: 'Other',
    overseas: 'Overseas',
    from: 'From',
    arrived: 'Arrived on',
    undo: 'Undo',
    tab: 'Checkpoint',
    status: 'Sync status',
    saved: (name: string) => `Saved: ${name}`,
    toSend: (n: number) => `${n} to send`,
  },
  'zh-CN': {
    name: '姓名',
    temperature: '体温',
    save: '保存',
    in: '进',
    other: '其他',
    overseas: '境外',
    from: '来自',
    arrived: '抵达日期',
    undo: '撤销',
    tab: '登记',
    status: '上传状态',
    saved: (name: string) => `已保存：${name}`,
    toSend: (n: number) => `待传 ${n}`,
  },
} as const;

/** Three days ago on the page's calendar, as a date input takes it. */
const threeDaysAgo = (page: Page) =>
  page.evaluate(() => {
    const d = new Date();
    d.setDate(d.getDate() - 3);
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  });

for (const lang of ['en', 'zh-CN'] as const) {
  for (const [width, height] of [
    [360, 740],
    [390, 844],
  ] as const) {
    test(`the upload status stays readable while a Save's confirmation shows (${lang}, ${width}×${height})`, async ({
      page,
      server,
      context,
    }) => {
      const w = WORDS[lang];
      await page.setViewportSize({ width, height });
      await enrollByLink(page, server);
      await startShift(page, 'Wang Wei');
      await page.goto(`/?lang=${lang}`);
      const name = page.getByRole('textbox', { name: w.name, exact: true });
      await expect(name).toBeVisible();
      const header = page.getByRole('banner');
      const status = header.getByRole('group', { name: w.status });
      const save = page.getByRole('button', { name: w.save, exact: true });
      await context.setOffline(true);
      let toastHeaderHeight = 0;

      // One person after another, the second a returnee (the longest confirmation), each saved
      // while the last one's confirmation still shows.
      for (const [n, person] of ['李雷', '韩梅梅'].entries()) {
        await name.fill(person);
        await page.getByRole('textbox', { name: w.temperature, exact: true }).fill('36.6');
        if (n === 1) {
          await page.getByRole('radio', { name: w.overseas, exact: true }).check();
          await page.getByRole('textbox', { name: w.from, exact: true }).fill('日本');
          await page.getByLabel(w.arrived, { exact: true }).fill(await threeDaysAgo(page));
        }
        await save.click();
        const toast = page.getByRole('status').filter({ hasText: w.saved(person) });
        await expect(toast).toBeVisible();
        const count = status.getByText(w.toSend(n + 1), { exact: true });
        await expect(count).toBeVisible();
        await expect(toast).toBeVisible();

        // Both read at once: the status is not under the confirmation, nor is anything of the
        // header.
        expect(overlaps(await box(status), await box(toast))).toBe(false);
        expect(overlaps(await box(header), await box(toast))).toBe(false);
        expect(await onTop(count)).toBe(true);
        // Nor over Save or the form, where the next person is entered: it is all below Save.
        const saveBox = await box(save);
        expect((await box(toast)).y).toBeGreaterThanOrEqual(saveBox.y + saveBox.height);
        await expect(save).toBeInViewport({ ratio: 1 });
        // Its Undo over this screen's own tab, whole on screen.
        const undo = toast.getByRole('button', { name: w.undo });
        await expect(undo).toBeInViewport({ ratio: 1 });
        const tab = await box(
          page.getByRole('navigation').getByRole('link', { name: w.tab, exact: true }),
        );
        const undoBox = await box(undo);
        expect(undoBox.x).toBeGreaterThanOrEqual(tab.x);
        expect(undoBox.x + undoBox.width).toBeLessThanOrEqual(tab.x + tab.width);
        toastHeaderHeight = (await box(header)).height;
      }
      // The header no taller with the confirmation than without it, the status unchanged.
      await expect(page.getByRole('status').filter({ hasText: w.saved('韩梅梅') })).toHaveCount(0);
      await expect(status.getByText(w.toSend(2), { exact: true })).toBeVisible();
      expect((await box(header)).height).toBe(toastHeaderHeight);
    });
  }
}

test('a tap on the confirmation’s words reaches the tab under them', async ({ page, server }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await enrollByLink(page, server);
  await startShift(page, 'Wang Wei');
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('李雷');
  await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.6');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const toast = page.getByRole('status').filter({ hasText: 'Saved: 李雷' });
  await expect(toast).toBeVisible();
  const logbook = await box(page.getByRole('navigation').getByRole('link', { name: 'Logbook' }));
  expect(overlaps(logbook, await box(toast))).toBe(true);
  await page.mouse.click(logbook.x + logbook.width / 2, logbook.y + logbook.height / 2);
  await expect(page.getByRole('heading', { name: 'Logbook', exact: true })).toBeVisible();
});

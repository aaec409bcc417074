/**
 * The entry screen's other messages at 360×740, where a guard meets them: 'Undone' over the tab
 * bar as the Save confirmation is, and gone the moment the fixed entry is saved (drawn over the
 * new confirmation, it would hide it and its Undo); what went wrong with a Save (storage full)
 * right above Save, whole, in an alert (role=alert), never over Save (over the tab bar, its four
 * lines grew over Save).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import e2e from '../../playwright.config';
import { nameBox, openApp, startShift } from './support/app';
import { box, onTop, overlaps } from './support/boxes';
import { probeWrite, QUOTA_MESSAGE, reopen } from './support/storage-full';
import { expect, test } from './support/fixtures';

const WORDS = {
  en: {
    name: 'Name',
    temperature: 'Temperature',
    save: 'Save',
    undo: 'Undo',
    saved: (name: string) => `Saved: ${name}`,
    undone: 'Undone: the entry is back in the form to fix and save again',
  },
  'zh-CN': {
    name: '姓名',
    temperature: '体温',
    save: '保存',
    undo: '撤销',
    saved: (name: string) => `已保存：${name}`,
    undone: '已撤销：这条登记已放回表单，改好后再保存',
  },
} as const;

for (const lang of ['en', 'zh-CN'] as const) {
  test(`'Undone' is read over the tab bar and gives way to the next Save's confirmation (${lang})`, async ({
    page,
  }) => {
    const w = WORDS[lang];
    await page.setViewportSize({ width: 360, height: 740 });
    await openApp(page);
    await startShift(page, 'Wang Wei');
    await page.goto(`/?lang=${lang}`);
    const name = page.getByRole('textbox', { name: w.name, exact: true });
    const save = page.getByRole('button', { name: w.save, exact: true });
    await name.fill('Li Lie');
    await page.getByRole('textbox', { name: w.temperature, exact: true }).fill('36.6');
    await save.click();
    await page
      .getByRole('status')
      .filter({ hasText: w.saved('Li Lie') })
      .getByRole('button', { name: w.undo })
      .click();

    // Whole on screen, below Save, in a live region.
    const undone = page.getByRole('status').filter({ hasText: w.undone });
    await expect(undone).toBeInViewport({ ratio: 1 });
    const saveBox = await box(save);
    expect((await box(undone)).y).toBeGreaterThanOrEqual(saveBox.y + saveBox.height);
    await expect(name).toHaveValue('Li Lie');

    // Fixed and saved again at once: the new confirmation, its Undo, is what shows.
    await name.fill('Li Lei');
    await save.click();
    const saved = page.getByRole('status').filter({ hasText: w.saved('Li Lei') });
    await expect(saved).toBeVisible();
    // At once, not when its 3 s are over: drawn over the confirmation, it would hide its words
    // and Undo (taps go through it, as through the confirmation's words: only the eye tells).
    await expect(undone).toHaveCount(0, { timeout: 1_000 });
    await expect(saved.getByRole('button', { name: w.undo })).toBeInViewport({ ratio: 1 });
  });
}

test('storage full: the message is whole above Save, not over it, and heard', async ({
  server,
}) => {
  // Chromium applies a quota override to a profile on disk only, once the origin's storage is
  // opened anew (as tests/reliability's storage-full scenario does).
  const profile = await mkdtemp(join(tmpdir(), 'gatelog-profile-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...e2e.use?.launchOptions,
    headless: true,
    viewport: { width: 360, height: 740 },
    locale: 'en-US',
    serviceWorkers: 'allow',
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    const app = `${server.url}/?lang=en`;
    await page.goto(app);
    await startShift(page, 'Wang Wei');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', {
      origin: new URL(server.url).origin,
      quotaSize: 1,
    });
    await expect
      .poll(async () => (await reopen(page, cdp, app), probeWrite(page)), { timeout: 30_000 })
      .toBe('QuotaExceededError');

    await nameBox(page).fill('When Full');
    await page.getByRole('textbox', { name: 'Temperature', exact: true }).fill('36.6');
    const save = page.getByRole('button', { name: 'Save', exact: true });
    await save.click();
    const message = page.getByRole('alert').filter({ hasText: QUOTA_MESSAGE });
    await expect(message).toBeVisible();
    await expect(message).toBeInViewport({ ratio: 1 });
    // Above Save, clear of it, and Save still the one tapped there.
    const saveBox = await box(save);
    const messageBox = await box(message);
    expect(overlaps(messageBox, saveBox)).toBe(false);
    expect(messageBox.y + messageBox.height).toBeLessThanOrEqual(saveBox.y);
    await expect(save).toBeInViewport({ ratio: 1 });
    expect(await onTop(save)).toBe(true);
    await expect(nameBox(page)).toHaveValue('When Full');
  } finally {
    await context.close();
    await rm(profile, { recursive: true, force: true });
  }
});

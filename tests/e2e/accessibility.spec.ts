/**
 * Every screen a guard meets, checked by axe-core in the built app against the WCAG 2.2 A and AA
 * rules (names on every control, contrast, target size, ARIA used as meant), in Chinese and in
 * English: enrollment, the start of a shift, the entry form with its returnee section open and
 * its errors shown, the fever alert, the logbook, a record and its correction, Settings with the
 * install offer, and the end of the shift with the server's receipt.
 */
import { createEnrollmentCode, createGate } from './support/admin';
import { daysAgo, logEntry, nameBox, startShift } from './support/app';
import { expectAccessible } from './support/axe';
import { expect, test } from './support/fixtures';

test.use({ serverKind: 'app' });

/** The words the walk taps, in each language. */
const WORDS = {
  en: {
    notNow: 'Not now',
    save: 'Save',
    returnee: 'Returned from outside the city',
    record: 'Entry details',
    correct: 'Correct',
    cancel: 'Cancel',
    endShift: 'End shift',
  },
  'zh-CN': {
    notNow: '不用了',
    save: '保存',
    returnee: '外地返回',
    record: '记录详情',
    correct: '更正',
    cancel: '取消',
    endShift: '结束本班',
  },
} as const;

for (const lang of ['zh-CN', 'en'] as const) {
  test(`every screen passes axe's WCAG 2.2 AA rules (${lang})`, async ({
    browser,
    page,
    server,
  }) => {
    const w = WORDS[lang];
    const gate = await createGate(server, 'North Gate 北门');
    const { code } = await createEnrollmentCode(server, gate.id);

    // Set up in English, with the suites' helpers; each screen is then checked in `lang`.
    await page.goto(`/?lang=en&enroll=${encodeURIComponent(code)}`);
    await page.getByRole('button', { name: 'Enroll', exact: true }).click();
    await expect(page.getByRole('status').filter({ hasText: 'Enrolled:' })).toBeVisible();
    await page.goto('/?lang=en#/');
    await startShift(page, 'Wang Wei');
    await logEntry(page, { direction: 'in', name: '李大爷', temperature: '36.4' });
    await logEntry(page, {
      direction: 'in',
      name: 'Zhao Liu',
      temperature: '36.6',
      returnee: { origin: '湖北武汉', arrivedOn: daysAgo(2) },
    });

    await page.goto(`/?lang=${lang}#/`);
    await expect(nameBox(page).or(page.getByRole('textbox', { name: '姓名' }))).toBeVisible();
    await expectAccessible(page, 'the entry form');

    // The returnee section open, and a Save with its fields missing: the errors shown.
    const returnee = page.getByRole('group', { name: w.returnee });
    await returnee.getByRole('radio').nth(2).check();
    await page.getByRole('button', { name: w.save, exact: true }).click();
    await expect(page.getByRole('alert').first()).toBeVisible();
    await expectAccessible(page, 'the entry form with its errors');
    await returnee.getByRole('radio').first().check();

    // A fever: the full-screen alert.
    const name = page.getByRole('textbox', { name: lang === 'en' ? 'Name' : '姓名', exact: true });
    await name.fill('王女士');
    await page
      .getByRole('textbox', { name: lang === 'en' ? 'Temperature' : '体温', exact: true })
      .fill('38.4');
    await page.getByRole('button', { name: w.save, exact: true }).click();
    const alert = page.getByRole('alertdialog');
    await expect(alert).toBeVisible();
    await expectAccessible(page, 'the fever alert');
    // Focus stays in the alert: Tab does not reach the bottom bar behind it.
    for (let i = 0; i < 4; i++) {
      await page.keyboard.press('Tab');
      expect(await alert.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await alert.getByRole('button').last().click();
    await expect(alert).toBeHidden();

    await page.goto(`/?lang=${lang}#/logbook`);
    await expect(page.getByRole('list').getByRole('listitem')).toHaveCount(3);
    await expectAccessible(page, 'the logbook');
    await page.getByRole('list').getByRole('listitem').first().getByRole('button').click();
    const record = page.getByRole('dialog', { name: w.record });
    await expect(record).toBeVisible();
    await expectAccessible(page, 'a record');
    await record.getByRole('button', { name: w.correct }).click();
    await expect(page.getByRole('form').last()).toBeVisible();
    await expectAccessible(page, 'the correction form');
    await page.getByRole('button', { name: w.cancel }).last().click();

    await page.goto(`/?lang=${lang}#/settings`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // The install offer (at the start of a shift and in Settings): Chromium fires
    // `beforeinstallprompt` when its own heuristics say so; where it has not (yet), the walk fires
    // one, so the offer is checked in every run.
    const install = page.getByRole('button', { name: w.notNow });
    await expect(async () => {
      if (!(await install.isVisible())) {
        await page.evaluate(() => {
          const offer = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
            prompt: async () => {},
            userChoice: Promise.resolve({ outcome: 'dismissed', platform: '' }),
          });
          dispatchEvent(offer);
        });
      }
      await expect(install).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    await expectAccessible(page, 'Settings, with the install offer');
    await install.click();
    await expectAccessible(page, 'Settings');

    await page.goto(`/?lang=${lang}#/shift-end`);
    await page.getByRole('button', { name: w.endShift }).click();
    await expectAccessible(page, 'the end of the shift, asked to confirm');
    await page.getByRole('button', { name: w.endShift }).last().click();
    const receipt = page.getByRole('region', {
      name: lang === 'en' ? 'Shift receipt' : '交班回执',
    });
    await expect(receipt.getByRole('status')).toContainText('✓', { timeout: 20_000 });
    await expectAccessible(page, 'the receipt');

    // A new phone's first screens: enrollment, and a shift at a gate it names itself.
    const fresh = await browser.newContext({ baseURL: server.url });
    const phone = await fresh.newPage();
    await phone.goto(`/?lang=${lang}#/enroll`);
    await expect(phone.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(phone, 'enrollment');
    await phone.goto(`/?lang=${lang}#/`);
    await expect(phone.getByRole('heading', { level: 1 })).toBeVisible();
    await expectAccessible(phone, 'the start of a shift');
    await fresh.close();
  });
}

test('a screen that replaces another takes the focus: the keyboard goes on from it, not from the page’s top', async ({
  page,
}) => {
  await page.goto('/?lang=en');
  await page.getByRole('textbox', { name: 'Gate name', exact: true }).fill('North Gate');
  await page.getByLabel('Guard', { exact: true }).fill('Wang Wei');
  await page.getByLabel('Guard', { exact: true }).press('Enter');
  await expect(nameBox(page)).toBeVisible();
  // Focus is in the screen, not lost on the body: the next Tab reaches the entry form.
  await expect(page.getByRole('main')).toBeFocused();
  for (let i = 0; i < 10; i++) {
    await page.keyboard.press('Tab');
    if (await nameBox(page).evaluate((el) => el === document.activeElement)) break;
  }
  await expect(nameBox(page)).toBeFocused();
});

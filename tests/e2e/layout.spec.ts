/**
 * The phone's screens at larger text and at narrow widths (a 320 px phone, page zoom on a
 * 360 px one: 277 px), in English and Chinese: the four tabs on screen, nothing scrolling
 * sideways, Save above the tab bar however tall that is, focused fields never under either, and
 * the tabs' labels wrapped between words where the screen has room for their longest words.
 */
import type { Locator, Page } from '@playwright/test';
import { daysAgo, enrollByLink, logEntry, nameBox, openApp, startShift } from './support/app';
import { expect, test } from './support/fixtures';
import { serverInZone } from './support/server-zone';
import { largerText } from './support/text-size';

async function box(locator: Locator) {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not laid out');
  return b;
}

/** How far the page scrolls sideways, in CSS px (0: it does not). */
const sideways = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

/** Each tab of the bottom bar: whole on screen, its words neither cut nor spilling out. */
async function expectTabsOnScreen(page: Page) {
  const width = page.viewportSize()!.width;
  const tabs = page.getByRole('navigation').getByRole('link');
  await expect(tabs).toHaveCount(4);
  for (const tab of await tabs.all()) {
    const b = await box(tab);
    expect(b.x).toBeGreaterThanOrEqual(0);
    expect(b.x + b.width).toBeLessThanOrEqual(width);
    const spills = await tab.evaluate(
      (el) => el.scrollWidth > el.clientWidth || el.scrollHeight > el.clientHeight,
    );
    expect(spills, `"${await tab.textContent()}" fits its tab`).toBe(false);
  }
}

/** The words of the tabs' labels that a line break cuts in two (a Chinese label is one word). */
const cutWords = (page: Page) =>
  page.getByRole('navigation').evaluate((nav) => {
    const cut: string[] = [];
    const walker = document.createTreeWalker(nav, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (const word of (node.textContent ?? '').matchAll(/\S+/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        const lines = new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top)));
        if (lines.size > 1) cut.push(word[0]);
      }
    }
    return cut;
  });

for (const { lang, width } of [
  { lang: 'en', width: 360 },
  { lang: 'zh-CN', width: 360 },
  { lang: 'en', width: 320 },
] as const) {
  test(`at ${width} px each tab's label is whole words, wrapped between them if at all (${lang})`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 740 });
    await openApp(page);
    await startShift(page, 'Wang Wei');
    await page.goto(`/?lang=${lang}#/`);
    await expect(page.getByRole('button', { name: lang === 'en' ? 'Save' : '保存' })).toBeVisible();
    await expect(page.getByRole('navigation').getByRole('link')).toHaveText(
      lang === 'en'
        ? ['Checkpoint', 'Logbook', 'Settings', 'End shift']
        : ['登记', '登记簿', '设置', '交班'],
    );
    expect(await cutWords(page)).toEqual([]);
    await expectTabsOnScreen(page);
  });
}

for (const { lang, width, text } of [
  { lang: 'en', width: 360, text: 1.3 },
  { lang: 'en', width: 320, text: 1 },
  { lang: 'en', width: 320, text: 2 },
  { lang: 'zh-CN', width: 360, text: 2 },
] as const) {
  test(`the four tabs are on screen at ${width} px with text at ${text * 100} % (${lang})`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height: 740 });
    await largerText(page, text);
    await openApp(page);
    await startShift(page, 'Wang Wei');
    await page.goto(`/?lang=${lang}#/`);
    await expect(page.getByRole('button', { name: lang === 'en' ? 'Save' : '保存' })).toBeVisible();
    await expectTabsOnScreen(page);
    expect(await sideways(page)).toBe(0);
  });
}

test('Save sits above the tab bar however tall the tab bar is (text at 200 %)', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await largerText(page, 2);
  await openApp(page);
  await startShift(page, 'Wang Wei');
  const save = page.getByRole('button', { name: 'Save', exact: true });
  const tabs = page.getByRole('navigation');
  for (const to of ['top', 'end'] as const) {
    await page.evaluate((where) => {
      window.scrollTo(0, where === 'top' ? 0 : document.documentElement.scrollHeight);
    }, to);
    await expect(save).toBeInViewport({ ratio: 1 });
    const s = await box(save);
    expect(s.y + s.height).toBeLessThanOrEqual((await box(tabs)).y);
  }
});

for (const text of [1, 2]) {
  test(`a field reached with Tab is never under Save, the tab bar or the header (text at ${text * 100} %)`, async ({
    page,
  }) => {
    await largerText(page, text);
    await openApp(page);
    await startShift(page, 'Wang Wei');
    const saveBar = page.locator('.save-bar');
    const header = page.locator('.app-header');
    await nameBox(page).focus();
    // Down the form to Save, then back up to the name.
    for (const key of ['Tab', 'Shift+Tab']) {
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press(key);
        const focused = page.locator(':focus');
        if ((await focused.count()) === 0) continue;
        if (await focused.evaluate((el) => el.closest('.save-bar, header, nav') !== null)) break;
        // Of a text area, the browser brings its caret into view: the line being typed on.
        const f = await focused.evaluate((el) => {
          const r = el.getBoundingClientRect();
          const css = getComputedStyle(el);
          const line = parseFloat(css.paddingTop) + parseFloat(css.lineHeight);
          return { top: r.top, bottom: el.tagName === 'TEXTAREA' ? r.top + line : r.bottom };
        });
        const what = `${key} to ${await focused.evaluate((el) => el.outerHTML.slice(0, 80))}`;
        expect(f.bottom, what).toBeLessThanOrEqual((await box(saveBar)).y + 1);
        const h = await box(header);
        expect(f.top, what).toBeGreaterThanOrEqual(h.y + h.height - 1);
      }
    }
  });
}

for (const { lang, text } of [
  { lang: 'en', text: 1 },
  { lang: 'zh-CN', text: 1.3 },
  { lang: 'en', text: 1.5 },
  { lang: 'zh-CN', text: 2 },
  // A corrected returnee's marks take two lines on the row's edge here.
  { lang: 'en', text: 2 },
] as const) {
  test(`every logbook row shows both its lines whole with text at ${text * 100} % (${lang})`, async ({
    page,
  }) => {
    await page.setViewportSize({ width: 360, height: 740 });
    await largerText(page, text);
    await openApp(page);
    await startShift(page, 'Wang Wei');
    await logEntry(page, { direction: 'in', name: 'Zhao Liu', temperature: '36.6' });
    // A returnee: the row's mark ("Returnee") beside the tags of its correction below.
    await logEntry(page, {
      direction: 'out',
      name: 'Ouyang Xiaoming',
      category: 'courier',
      returnee: { origin: 'Wuhan', arrivedOn: daysAgo(3) },
    });
    await logEntry(page, { direction: 'in', name: '李大爷', temperature: '36.4' });
    // A corrected entry and its correction carry a tag with a time ("Corrected 14:05").
    await page.getByRole('link', { name: 'Logbook' }).click();
    await page
      .getByRole('list')
      .getByRole('button', { name: /Ouyang Xiaoming/ })
      .click();
    const sheet = page.getByRole('dialog');
    await sheet.getByRole('button', { name: 'Correct', exact: true }).click();
    await sheet.getByRole('radio', { name: 'Visitor' }).check();
    await sheet.getByRole('button', { name: 'Save correction' }).click();
    await expect(sheet).toHaveAccessibleName('Entry details');
    await page.goto(`/?lang=${lang}#/logbook`);
    const rows = page.getByRole('list').getByRole('listitem');
    await expect(rows).toHaveCount(4);
    const boxes = await rows.evaluateAll((lis) =>
      lis.map((li) => {
        const row = li.querySelector('.log-row')!.getBoundingClientRect();
        const where = (el: Element) => {
          const r = el.getBoundingClientRect();
          return {
            text: el.textContent,
            top: r.top,
            bottom: r.bottom,
            left: r.left,
            right: r.right,
          };
        };
        const parts = [...li.querySelectorAll('.log-line > :not(.log-marks)')].map(where);
        // A correction's tag ("Corrected 14:05") and a returnee's mark sit on the row's top edge.
        const marks = li.querySelector('.log-marks');
        const item = li.getBoundingClientRect();
        return {
          top: item.top,
          bottom: item.bottom,
          row,
          parts,
          tag: marks && where(marks),
        };
      }),
    );
    for (const [i, { row, parts, tag, top }] of boxes.entries()) {
      for (const part of parts) {
        // Inside the row's border (2 px).
        expect(part.bottom, `"${part.text}" of row ${i}`).toBeLessThanOrEqual(row.bottom - 2);
        expect(part.right, `"${part.text}" of row ${i}`).toBeLessThanOrEqual(row.right - 2);
        expect(part.top, `"${part.text}" of row ${i}`).toBeGreaterThanOrEqual(row.top + 2);
        // Not under the tag.
        if (tag) expect(part.top >= tag.bottom || part.right <= tag.left, part.text).toBe(true);
      }
      // The tag in the room its row made above it, within the row's width.
      if (tag) {
        expect(tag.top, `"${tag.text}" of row ${i}`).toBeGreaterThanOrEqual(top);
        expect(tag.right, `"${tag.text}" of row ${i}`).toBeLessThanOrEqual(row.right - 2);
        expect(tag.left, `"${tag.text}" of row ${i}`).toBeGreaterThanOrEqual(row.left + 2);
      }
      if (i > 0) expect(boxes[i]!.top).toBeGreaterThanOrEqual(boxes[i - 1]!.bottom);
    }
    // At normal text a row is as tall as it always was; one with a correction's tag or a
    // returnee's mark too, but for the 10 px above it that they take (either took a third line in
    // English in the second).
    if (text === 1) {
      for (const b of boxes) expect(b.bottom - b.top).toBe(b.tag ? 86 : 76);
    }
    expect(boxes.filter((b) => b.tag)).toHaveLength(2);
  });
}

test('nothing scrolls sideways or is cut at 277 px (page zoom on a 360 px phone)', async ({
  page,
}) => {
  await page.setViewportSize({ width: 277, height: 600 });
  await openApp(page);
  await startShift(page, 'Wang Wei');
  await logEntry(page, { direction: 'in', name: 'Zhao Liu', temperature: '36.6' });
  for (const lang of ['en', 'zh-CN']) {
    for (const route of ['', 'logbook', 'settings', 'shift-end']) {
      await page.goto(`/?lang=${lang}#/${route}`);
      await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
      await page.waitForTimeout(300);
      expect(await sideways(page), `#/${route} (${lang})`).toBe(0);
      await expectTabsOnScreen(page);
      if (route === 'logbook') {
        // A day's entries, with the day's own field and steps.
        await page.getByRole('button', { name: lang === 'en' ? 'Today' : '今天' }).click();
        await page.getByRole('button', { name: lang === 'en' ? 'Day before' : '前一天' }).click();
        await expect(page.getByRole('status').filter({ hasText: /7/ })).toBeVisible();
        expect(await sideways(page), `#/logbook, a day before (${lang})`).toBe(0);
      }
    }
  }
});

test('every control of the enrollment screen is at least 44 px tall, its "other settings" too (zh-CN)', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openApp(page, '/?lang=zh-CN#/enroll');
  await expect(page.getByRole('heading', { name: '加入门岗', level: 1 })).toBeVisible();
  const more = page.getByText('其他设置（一般不用填）');
  await expect(more).toBeVisible();
  const small = await page
    .getByRole('main')
    .evaluate((main) =>
      [...main.querySelectorAll('button, a, input, select, textarea, summary')]
        .map((el) => ({ text: el.textContent?.trim() ?? '', h: el.getBoundingClientRect().height }))
        .filter(({ h }) => h > 0 && h < 44),
    );
  expect(small).toEqual([]);
  // Tapped, it opens the fields it hides.
  await more.click();
  await expect(page.getByRole('textbox', { name: '服务器地址' })).toBeVisible();
});

test('a screen opened from the tab bar starts at its top, its heading on screen, however far the last one was scrolled', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openApp(page);
  await startShift(page, 'Wang Wei');
  await logEntry(page, { direction: 'in', name: 'Zhao Liu', temperature: '36.6' });
  const toBottom = () => page.evaluate(() => scrollTo(0, document.documentElement.scrollHeight));
  // The entry form, Settings and the logbook are taller than the screen; each is left scrolled
  // to its end, and the next tab opens at its top.
  for (const [from, to, heading] of [
    ['Checkpoint', 'Settings', 'Settings'],
    ['Settings', 'End shift', 'End of shift'],
    ['Settings', 'Logbook', 'Logbook'],
    ['Settings', 'Checkpoint', undefined],
  ] as const) {
    await page.getByRole('navigation').getByRole('link', { name: from }).click();
    await page.waitForTimeout(300);
    await toBottom();
    expect(await page.evaluate(() => scrollY), `${from} scrolls`).toBeGreaterThan(100);
    await page.getByRole('navigation').getByRole('link', { name: to }).click();
    const top = heading
      ? page.getByRole('heading', { name: heading, level: 1 })
      : page.getByRole('radio', { name: 'In', exact: true });
    await expect(top).toBeAttached();
    expect(await page.evaluate(() => scrollY), `${to} after ${from}`).toBe(0);
    if (heading) await expect(top).toBeInViewport();
  }
});

test('at 360 px the earlier shifts are full-width buttons, as every button of the screen, with no list bullets beside them', async ({
  page,
}) => {
  await page.setViewportSize({ width: 360, height: 740 });
  await openApp(page);
  await startShift(page, 'Wang Wei');
  await page.getByRole('link', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'End shift' }).click();
  await page.getByRole('button', { name: 'End shift' }).last().click();
  await page.getByRole('link', { name: 'Start the next shift' }).click();
  await startShift(page, 'Zhou Min');
  await page.getByRole('link', { name: 'End shift' }).click();
  const end = page.getByRole('button', { name: 'End shift' });
  const earlier = page
    .getByRole('region', { name: 'Earlier shifts' })
    .getByRole('button', { name: /^Wang Wei · / });
  const [endBox, earlierBox] = [await box(end), await box(earlier)];
  expect(earlierBox.x).toBe(endBox.x);
  expect(earlierBox.width).toBe(endBox.width);
  const marker = await earlier.evaluate((el) => getComputedStyle(el.closest('li')!).listStyleType);
  expect(marker).toBe('none');
});

/**
 * The sticky header's height bound, in CSS px: at 360 and 390 px it is two rows, the gate's and
 * the guard's names (about 24 px) over the sync line (its 44 px buttons), 4 px apart, with 6 px
 * padding above and below: 84 px. 100 leaves room for other fonts but not for a third row (24 px
 * more); a notice inside the header made it 240 to 330 px, over the form at every scroll.
 */
const COMPACT_HEADER_PX = 100;

test.describe("a notice on the phone (its time zone is not the server's)", () => {
  // The phone in Tokyo's zone, the server (this process) in China's: told at every start.
  test.use({ serverKind: 'app', timezoneId: 'Asia/Tokyo' });
  serverInZone('Asia/Shanghai');

  for (const viewport of [
    { width: 360, height: 740 },
    { width: 390, height: 844 },
  ]) {
    test(`sits under the header at ${viewport.width}×${viewport.height}, seen before scrolling, and leaves the sticky header one compact bar`, async ({
      page,
      server,
    }) => {
      await page.setViewportSize(viewport);
      await enrollByLink(page, server, { gateName: 'Main gate / 正门' });
      await startShift(page, 'Ouyang Xiaoming');
      const header = page.getByRole('banner');
      for (const lang of ['en', 'zh-CN'] as const) {
        await page.goto(`/?lang=${lang}#/`);
        const notice = page
          .getByRole('alert')
          .filter({ hasText: lang === 'en' ? 'UTC+09:00' : '时区是 UTC+09:00' });
        await expect(notice).toBeVisible({ timeout: 30_000 });
        await expect(
          page.getByRole('button', { name: lang === 'en' ? 'Save' : '保存' }),
        ).toBeVisible();
        const what = `${viewport.width} px (${lang})`;
        // Before scrolling: whole on screen, right under the header, before the screen's form.
        expect(await page.evaluate(() => scrollY)).toBe(0);
        await expect(notice).toBeInViewport({ ratio: 1 });
        const [h, n] = [await box(header), await box(notice)];
        expect(h.height, what).toBeLessThan(COMPACT_HEADER_PX);
        expect(n.y, what).toBeGreaterThanOrEqual(h.y + h.height);
        const beforeMain = await notice.evaluate(
          (el) =>
            (el.compareDocumentPosition(document.querySelector('main')!) &
              Node.DOCUMENT_POSITION_FOLLOWING) !==
            0,
        );
        expect(beforeMain, `${what}: the notice is read before the screen`).toBe(true);
        // Scrolled down the form, the notice goes with the page; the header stays as it was.
        await page.evaluate(() => scrollTo(0, 400));
        await expect(notice).not.toBeInViewport();
        expect((await box(header)).height, what).toBe(h.height);
        // Hidden for now, the header is as tall as with it; the next start (goto) says it again.
        await page.evaluate(() => scrollTo(0, 0));
        await notice
          .getByRole('button', { name: lang === 'en' ? 'Hide for now' : '暂时隐藏' })
          .click();
        await expect(notice).toBeHidden();
        await expect(
          page.getByRole('group', { name: lang === 'en' ? 'Sync status' : '上传状态' }),
        ).toBeFocused();
        expect((await box(header)).height, what).toBe(h.height);
      }
    });
  }
});

/**
 * DESIGN §7: the server sends a strict CSP (script, style, connect, worker: 'self' only; no
 * inline scripts or styles), and the PWA works under it in Chromium: enrolling, starting a
 * shift, saving (a fever alert included), syncing, the logbook, the settings and the end-of-shift
 * receipt raise no violation at all. A deliberate inline script at the end proves the watch sees
 * one when there is one.
 */
import { logEntry, startShift } from '../../e2e/support/app';
import { watchCsp } from './support/csp';
import { expect, forEachDatabase, test } from './support/fixtures';
import { enrollByLink, syncBar, waitUntilNothingPending } from './support/phone';

forEachDatabase(() => {
  test('the PWA raises no CSP violation under the server’s strict policy', async ({
    page,
    context,
    server,
  }) => {
    const csp = await watchCsp(context);
    const first = await page.goto('/?lang=en');
    const policy = first?.headers()['content-security-policy'] ?? '';
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("style-src 'self'");
    expect(policy).toContain("connect-src 'self'");
    expect(policy).not.toContain('unsafe-inline');

    await enrollByLink(page, server);
    await startShift(page, 'Xu Lan');
    await logEntry(page, { direction: 'in', name: 'Csp One', temperature: '36.4' });
    await logEntry(
      page,
      { direction: 'in', name: 'Csp Fever', temperature: '38.2' },
      { fever: true },
    );
    await logEntry(page, { direction: 'out', name: 'Csp Two' });
    await waitUntilNothingPending(page, 30_000);
    await expect(syncBar(page)).toContainText('Every record has been sent');

    await page.getByRole('link', { name: 'Logbook' }).click();
    await expect(page.getByRole('heading', { name: 'Logbook' })).toBeVisible();
    await expect(page.getByRole('list', { name: 'Entries' }).getByRole('listitem')).toHaveCount(3);
    await page.getByRole('link', { name: 'Settings' }).click();
    await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
    await page.getByRole('link', { name: 'End shift' }).click();
    await page.getByRole('button', { name: 'End shift' }).click();
    await page.getByRole('button', { name: 'End shift' }).click();
    await expect(page.getByRole('region', { name: 'Shift receipt' })).toBeVisible();
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Shift ended' })).toBeVisible();

    expect(csp.violations, 'CSP violations').toEqual([]);

    // The canary: an inline script is refused, and the watch hears of it.
    await page.evaluate(() => {
      const script = document.createElement('script');
      script.textContent = 'window.__inlineRan = true';
      document.body.append(script);
    });
    await expect.poll(() => csp.violations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => 'inlineRan' in window || '__inlineRan' in window)).toBe(false);
  });
});

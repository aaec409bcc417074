/**
 * The committee lowers a gate's fever threshold while a phone of that gate is offline. The
 * phone still judges by the rules it last heard of and admits 37.2 °C, as it should by them.
 * Back online, that record is stored — not refused, which would have kept it from the
 * committee — and listed among the fevers by the threshold of now; the phone takes the new
 * threshold at that sync, and from then on calls 37.2 °C a fever. Real Chromium, the real
 * server over HTTP.
 */
import { listLogs } from './support/admin';
import { canReachServer, enrollByLink, logEntry, startShift } from './support/app';
import { expect, test } from './support/fixtures';
import { phoneRecords } from './support/phone';

test.use({ serverKind: 'app' });

test('a phone offline when the fever threshold is lowered: what it admitted is stored and flagged, and it takes the new threshold', async ({
  page,
  context,
  server,
}) => {
  const gate = await enrollByLink(page, server, { gateName: 'West Gate' });
  await startShift(page, 'Chen Jie');

  // The phone loses its network (the server stays up for the committee).
  await context.setOffline(true);
  expect(await canReachServer(page)).toBe(false);
  const lowered = await fetch(`${server.url}/api/v1/gates/${gate.id}`, {
    method: 'PATCH',
    headers: {
      authorization: `Bearer ${server.adminToken!}`,
      'content-type': 'application/json',
    },
    body: JSON.stringify({ rules: { feverThresholdC: 37.0 } }),
  });
  expect(lowered.status).toBe(200);

  // By the rules it holds (37.3), 37.2 °C is no fever: admitted, no alert.
  await logEntry(page, { direction: 'in', name: 'Warm Guest', temperature: '37.2' });
  expect(await phoneRecords(page)).toMatchObject([{ name: 'Warm Guest', syncState: 'pending' }]);

  await context.setOffline(false);
  await expect
    .poll(async () => (await phoneRecords(page)).map((r) => r.syncState), { timeout: 30_000 })
    .toEqual(['synced']);
  const { items } = await listLogs(server, gate.id);
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ temperatureC: 37.2, decision: 'admitted', isFever: true });

  // The same sync brought the new threshold: Settings shows it, and 37.2 °C is a fever now.
  await page.getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByText('37.0', { exact: true })).toBeVisible();
  await page.getByRole('link', { name: 'Checkpoint' }).click();
  await logEntry(
    page,
    { direction: 'in', name: 'Second Guest', temperature: '37.2' },
    { fever: true },
  );
});

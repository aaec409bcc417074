import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GATE_RULES, type SyncRequest } from '../../src/shared';
import {
  deleteSetting,
  markRejected,
  saveEntry,
  sendAgain,
  setSetting,
  startShift,
} from '../../src/app/db';
import { SyncStatusBar } from '../../src/app/features/sync-status/sync-status-bar';
import { LocaleContext, type Locale } from '../../src/app/i18n/i18n';
import {
  SyncEngine,
  noLock,
  setSyncEngine,
  type SyncClock,
  type SyncEnvironment,
} from '../../src/app/sync/sync-engine';
import { makeEntry } from '../support/factories';
import { freshDb } from './render-app';

/** Timers never fire: only what the test does (Sync now) sends anything. */
const stillClock: SyncClock = {
  now: () => Date.now(),
  setTimeout: () => 0,
  clearTimeout: () => {},
};

const okServer = vi.fn(async (_url: RequestInfo | URL, init?: RequestInit) => {
  const body = JSON.parse(String(init?.body)) as SyncRequest;
  const ids = body.records.map((r) => (r as { id: string }).id);
  return new Response(
    JSON.stringify({
      batchId: body.batchId,
      accepted: ids,
      duplicates: [],
      rejected: [],
      serverTime: new Date().toISOString(),
    }),
    { status: 200 },
  );
});

async function startEngine(fetch: typeof globalThis.fetch, env: SyncEnvironment = {}) {
  const engine = new SyncEngine({
    appVersion: 'test',
    fetch,
    clock: stillClock,
    lock: noLock,
    env,
  });
  setSyncEngine(engine);
  engine.start();
  await engine.idle();
  return engine;
}

async function seed(count: number, name = '张三') {
  const shift = await startShift('gate-1', '王师傅');
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const saved = await saveEntry(makeEntry({ person: { category: 'visitor', name } }), {
      shift,
      deviceId: 'dev-1',
      rules: DEFAULT_GATE_RULES,
      now: new Date(Date.now() - 60_000),
    });
    ids.push(saved.id);
  }
  return ids;
}

/** The bar's text as seen: what screen readers alone hear left out. */
function seen(bar: HTMLElement): string {
  const copy = bar.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('.sr-only').forEach((e) => e.remove());
  return textOf(copy);
}

/** The bar's text as heard, in reading order: what is hidden from screen readers left out. */
function spoken(bar: HTMLElement): string {
  const copy = bar.cloneNode(true) as HTMLElement;
  copy.querySelectorAll('[aria-hidden="true"]').forEach((e) => e.remove());
  return textOf(copy);
}

/** Text with a space between elements, as a reader pauses between them. */
function textOf(el: HTMLElement): string {
  el.querySelectorAll('*').forEach((e) => e.append(' '));
  return (el.textContent ?? '').replace(/\s+/g, ' ').trim();
}

/** The sync line in a header, its notices under it, as the shell has them. */
function Shell() {
  const [notices, setNotices] = useState<HTMLDivElement | null>(null);
  return (
    <>
      <header>
        <SyncStatusBar noticesIn={notices} />
      </header>
      <div ref={setNotices} />
    </>
  );
}

function renderBar(locale: Locale = 'en') {
  return render(
    <LocaleContext.Provider value={{ locale, setLocale: () => {} }}>
      <Shell />
    </LocaleContext.Provider>,
  );
}

beforeEach(async () => {
  freshDb();
  okServer.mockClear();
  await setSetting('enrollment', {
    serverUrl: '',
    deviceId: 'dev-1',
    token: 't',
    enrolledAt: '2020-02-03T08:00:00.000+08:00',
  });
});

afterEach(() => setSyncEngine(undefined));

describe('SyncStatusBar', () => {
  it('shows what waits, and "Sync now" sends it', async () => {
    await seed(3);
    await startEngine(okServer);
    renderBar();
    const bar = screen.getByRole('group', { name: 'Sync status' });
    expect(await within(bar).findByText('3 records not sent yet')).toBeInTheDocument();
    expect(within(bar).getByText('Online')).toBeInTheDocument();
    expect(within(bar).getByText('Nothing sent yet')).toBeInTheDocument();

    await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));

    expect(await within(bar).findByText('Every record has been sent')).toBeInTheDocument();
    // One batch (the run also asks GET /api/v1/device/config first, for the erased-storage check).
    const batches = okServer.mock.calls.filter(([url]) => String(url).endsWith('/api/v1/sync'));
    expect(batches).toHaveLength(1);
    expect(within(bar).queryByText('Nothing sent yet')).not.toBeInTheDocument();
    expect(within(bar).getByText('Last sent')).toBeInTheDocument();
  });

  it.each([
    {
      locale: 'en' as const,
      label: 'Sync status',
      never: 'Nothing sent yet',
      all: /All sent|Every record/,
    },
    {
      locale: 'zh-CN' as const,
      label: '上传状态',
      never: '尚未上传过',
      all: /已传完|所有记录都已上传/,
    },
  ])(
    'on a new phone, with nothing saved or sent, shows and says in $locale the same: nothing sent yet, until a tab sends',
    async ({ locale, label, never, all }) => {
      await startEngine(okServer);
      renderBar(locale);
      const bar = screen.getByRole('group', { name: label });
      await waitFor(() => expect(seen(bar)).toContain(never));
      expect(spoken(bar)).toContain(never);
      expect(seen(bar)).not.toMatch(all);
      expect(spoken(bar)).not.toMatch(all);
      // Said once, not twice.
      expect(spoken(bar).split(never)).toHaveLength(2);

      // The other tab's runner (one sends for all tabs) sent what was saved there.
      await setSetting('lastSync', { at: new Date().toISOString() });
      await waitFor(() => expect(seen(bar)).toMatch(all));
      expect(spoken(bar)).toMatch(all);
      expect(seen(bar)).not.toContain(never);
      expect(spoken(bar)).not.toContain(never);
    },
  );

  it('asks the guard to set the phone’s clock when it is off the server’s, and no more once it is right', async () => {
    let serverTime = Date.now() - 26 * 3_600_000; // the phone is 26 h ahead
    const server = (async (url: RequestInfo | URL, init?: RequestInit) => {
      const res = await okServer(url, init);
      const body = (await res.json()) as Record<string, unknown>;
      return new Response(
        JSON.stringify({ ...body, serverTime: new Date(serverTime).toISOString() }),
        {
          status: 200,
        },
      );
    }) as typeof fetch;
    await seed(1);
    await startEngine(server);
    renderBar();
    const bar = screen.getByRole('group', { name: 'Sync status' });
    await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This phone’s clock is 26 h ahead of the server’s');
    expect(alert).toHaveTextContent('“Set time automatically”');
    // Under the sticky header, not in it (where it covered the form at every scroll).
    expect(screen.getByRole('banner')).not.toContainElement(alert);
    expect(screen.getByRole('banner').compareDocumentPosition(alert)).toBe(
      Node.DOCUMENT_POSITION_FOLLOWING,
    );

    serverTime = Date.now();
    await seed(1);
    await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
    await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
  });

  describe('a phone set to another time zone than the server', () => {
    let zone: string | undefined;
    beforeEach(() => {
      zone = process.env.TZ;
      process.env.TZ = 'Asia/Tokyo'; // the phone: UTC+09:00 (Node reads TZ again on a change)
    });
    afterEach(() => {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    });

    /** The server in China (UTC+08:00), or as its answer says, its clock right. */
    const serverIn = (utcOffsetMinutes: number | undefined) =>
      (async (url: RequestInfo | URL, init?: RequestInit) => {
        const body = (await (await okServer(url, init)).json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...body, utcOffsetMinutes }), { status: 200 });
      }) as typeof fetch;

    it('asks the guard to set it, until hidden for this start, and says it again at the next', async () => {
      await seed(1);
      await startEngine(serverIn(480));
      const first = renderBar();
      const bar = screen.getByRole('group', { name: 'Sync status' });
      await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
      const alert = await screen.findByRole('alert');
      expect(alert).toHaveTextContent(
        'This phone’s time zone is UTC+09:00, the server’s is UTC+08:00: entries get the wrong time, and around midnight the wrong day',
      );
      expect(alert).toHaveTextContent(
        'turn on “Set time automatically” and “Set time zone automatically”',
      );
      // Its clock is right: nothing is said of it.
      expect(alert).not.toHaveTextContent('ahead');

      await userEvent.click(within(alert).getByRole('button', { name: 'Hide for now' }));
      expect(screen.queryByRole('alert')).toBeNull();
      expect(bar).toHaveFocus();
      // The next sync finds the same: still hidden, as long as the app runs.
      await seed(1);
      await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
      await waitFor(() =>
        expect(okServer.mock.calls.filter(([url]) => String(url).endsWith('/sync'))).toHaveLength(
          2,
        ),
      );
      expect(await within(bar).findByText('Every record has been sent')).toBeInTheDocument();
      expect(screen.queryByRole('alert')).toBeNull();

      // The next start reads it from the last sync, before any new one, in Chinese too.
      first.unmount();
      await startEngine(serverIn(480));
      renderBar('zh-CN');
      expect(await screen.findByRole('alert')).toHaveTextContent(
        '手机的时区是 UTC+09:00，服务器的是 UTC+08:00',
      );
      expect(screen.getByRole('alert')).toHaveTextContent('自动设置时区');
      expect(
        within(screen.getByRole('alert')).getByRole('button', { name: '暂时隐藏' }),
      ).toBeVisible();
    });

    it('is said at the start of a phone with nothing to send, from the device config', async () => {
      const configIn = (async (url: RequestInfo | URL) => {
        expect(String(url)).toMatch(/\/api\/v1\/device\/config$/);
        const config = {
          deviceId: 'dev-1',
          gate: { id: 'gate-1', name: '1号门', rules: DEFAULT_GATE_RULES },
          serverTime: new Date().toISOString(),
          utcOffsetMinutes: 480,
          lastRecordId: null,
          lastSyncAt: null,
        };
        return new Response(JSON.stringify(config), { status: 200 });
      }) as typeof fetch;
      await startEngine(configIn);
      renderBar();
      // A run with nothing to send (this test's timers never fire: the start's run is tapped).
      await userEvent.click(screen.getByRole('button', { name: 'Sync now' }));
      expect(await screen.findByRole('alert')).toHaveTextContent(
        'This phone’s time zone is UTC+09:00, the server’s is UTC+08:00',
      );
    });

    it('says nothing once the zone is set right, nor when the server sends none', async () => {
      await seed(1);
      await startEngine(serverIn(480));
      renderBar();
      const bar = screen.getByRole('group', { name: 'Sync status' });
      await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
      await screen.findByRole('alert');

      process.env.TZ = 'Asia/Shanghai'; // the guard set the phone's zone
      await seed(1);
      await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
      await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());

      // A server in UTC, or an older one, sends no offset: the zone is not checked.
      process.env.TZ = 'Asia/Tokyo';
      for (const offset of [undefined, 540]) {
        await seed(1);
        const before = await startEngine(serverIn(480));
        await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
        await screen.findByRole('alert');
        await before.idle(); // its run over: the next record is the next engine's to send
        await seed(1);
        await startEngine(serverIn(offset));
        await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
        await waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
      }
    });
  });

  it('says the day of the last send when it was not today', async () => {
    await setSetting('lastSync', { at: '2020-02-01T08:05:00.000+08:00' });
    await startEngine(okServer);
    renderBar();
    const bar = screen.getByRole('group', { name: 'Sync status' });
    expect(await within(bar).findByText(/Feb 1, 2020/)).toBeInTheDocument();
  });

  it('says when the phone is offline', async () => {
    await startEngine(okServer, { onLine: () => false });
    renderBar();
    expect(screen.getByText('Offline')).toBeInTheDocument();
  });

  it('says so when the browser is online but the server cannot be reached, and when it will try again', async () => {
    await seed(2);
    const unreachable = vi.fn<typeof globalThis.fetch>(async () => {
      throw new TypeError('Failed to fetch');
    });
    await startEngine(unreachable);
    renderBar();
    const bar = screen.getByRole('group', { name: 'Sync status' });
    await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
    expect(await within(bar).findByText('Server unreachable')).toBeInTheDocument();
    expect(within(bar).queryByText('Online')).not.toBeInTheDocument();
    expect(within(bar).getByText(/^Sending failed; trying again at /)).toBeInTheDocument();

    // Reached again: online, everything sent, and the time of the last send said as such.
    unreachable.mockImplementation(okServer);
    await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
    expect(await within(bar).findByText('Every record has been sent')).toBeInTheDocument();
    expect(within(bar).getByText('Online')).toBeInTheDocument();
    expect(within(bar).getByText(/^last/)).toBeInTheDocument();
  });

  it('lists refused records with their reasons, and gives focus back on close', async () => {
    const ids = await seed(2, '李四');
    await markRejected([{ id: ids[0]!, code: 'invalid', message: 'person.name: required' }]);
    await startEngine(okServer);
    renderBar();

    const open = await screen.findByRole('button', { name: 'Show why' });
    // Beside one still to send, the refused one is counted on its own, once, and the button
    // says what it does, described by that count.
    expect(open).toHaveAccessibleDescription('1 record the server refused');
    const bar = screen.getByRole('group', { name: 'Sync status' });
    expect(spoken(bar)).toMatch(/1 record not sent yet\s*1 record the server refused\s*Show why/);
    expect(seen(bar)).toMatch(/1 to send\s*1 refused\s*Show why/);
    expect(seen(bar).match(/refused/g)).toHaveLength(1);
    await userEvent.click(open);
    const dialog = await screen.findByRole('dialog', { name: 'Refused records' });
    expect(await within(dialog).findByText('李四')).toBeInTheDocument();
    expect(within(dialog).getByText('Not valid')).toBeInTheDocument();
    expect(within(dialog).getByText('Name: Required')).toBeInTheDocument();
    expect(within(dialog).getByRole('button', { name: 'Close' })).toHaveFocus();

    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
    expect(open).toHaveFocus();
  });

  it('says "Sent, 1 refused" without a tick once all but a refused record went, and the tick once none is left', async () => {
    const ids = await seed(3, '李四');
    await markRejected([{ id: ids[0]!, code: 'invalid', message: 'person.name: required' }]);
    await startEngine(okServer);
    renderBar();
    const bar = screen.getByRole('group', { name: 'Sync status' });
    await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));

    expect(
      await within(bar).findByText('Sent, except 1 record the server refused'),
    ).toBeInTheDocument();
    expect(within(bar).getByText('Sent, 1 refused')).toBeInTheDocument();
    expect(bar).not.toHaveTextContent('✓');
    expect(within(bar).queryByText('Every record has been sent')).not.toBeInTheDocument();
    // The count once, seen and heard: "Sent, except 1 record the server refused. Show why."
    const why = within(bar).getByRole('button', { name: 'Show why' });
    expect(why).toBeVisible();
    expect(why).toHaveAccessibleDescription('Sent, except 1 record the server refused');
    expect(seen(bar)).toMatch(/Sent, 1 refused\s*Show why/);
    expect(seen(bar).match(/refused/g)).toHaveLength(1);
    expect(spoken(bar)).toMatch(/Sent, except 1 record the server refused\s*Show why/);
    expect(spoken(bar).match(/refused/g)).toHaveLength(1);

    // The refused record sent again and taken: everything is sent, with the tick.
    expect(await sendAgain(ids[0]!)).toBe(true);
    await userEvent.click(within(bar).getByRole('button', { name: 'Sync now' }));
    expect(await within(bar).findByText('Every record has been sent')).toBeInTheDocument();
    expect(within(bar).getByText('✓ All sent')).toBeInTheDocument();
    expect(within(bar).queryByRole('button', { name: 'Show why' })).not.toBeInTheDocument();
  });

  it('says it in Chinese: 已传完，2 条被拒', async () => {
    const ids = await seed(2);
    await markRejected(
      ids.map((id) => ({ id, code: 'invalid', message: 'person.name: required' })),
    );
    await startEngine(okServer);
    renderBar('zh-CN');
    expect(await screen.findByText('已传完，2 条被拒')).toBeInTheDocument();
    expect(screen.getByText('已传完，只有 2 条被服务器拒收')).toBeInTheDocument();
    expect(screen.queryByText('✓ 已传完')).not.toBeInTheDocument();
    const bar = screen.getByRole('group', { name: '上传状态' });
    expect(within(bar).getByRole('button', { name: '查看原因' })).toHaveAccessibleDescription(
      '已传完，只有 2 条被服务器拒收',
    );
    expect(seen(bar).match(/被拒/g)).toHaveLength(1);
    expect(spoken(bar).match(/拒收/g)).toHaveLength(1);
  });

  it('counts refused records once in Chinese beside records still to send', async () => {
    const ids = await seed(3);
    await markRejected([{ id: ids[0]!, code: 'invalid', message: 'person.name: required' }]);
    await startEngine(okServer);
    renderBar('zh-CN');
    const bar = screen.getByRole('group', { name: '上传状态' });
    const why = await within(bar).findByRole('button', { name: '查看原因' });
    expect(why).toHaveAccessibleDescription('1 条被服务器拒收');
    expect(seen(bar)).toMatch(/待传 2\s*1 条被拒\s*查看原因/);
    expect(spoken(bar)).toMatch(/2 条记录待上传\s*1 条被服务器拒收\s*查看原因/);
  });

  it('asks to enroll again when the server refused the token, instead of offering Sync now', async () => {
    await seed(1);
    const denied = vi.fn(
      async () => new Response('{"error":"unauthorized","message":"revoked"}', { status: 401 }),
    );
    const engine = await startEngine(denied);
    renderBar();
    await engine.syncNow();
    const link = await screen.findByRole('link', {
      name: /^Enroll again: the server no longer accepts this phone/,
    });
    expect(link).toHaveAttribute('href', '#/enroll');
    expect(screen.queryByRole('button', { name: 'Sync now' })).not.toBeInTheDocument();
  });

  it('points to enrollment when the phone was never enrolled', async () => {
    await deleteSetting('enrollment');
    await startEngine(okServer);
    renderBar();
    expect(await screen.findByRole('link', { name: /not enrolled/ })).toHaveAttribute(
      'href',
      '#/enroll',
    );
    // Nothing saved, nothing sent: no "all sent" of a phone that never could send.
    expect(screen.queryByText('Every record has been sent')).not.toBeInTheDocument();
  });

  it('counts what waits on a phone never enrolled', async () => {
    await deleteSetting('enrollment');
    await seed(2);
    await startEngine(okServer);
    renderBar();
    expect(await screen.findByText('2 records not sent yet')).toBeInTheDocument();
  });

  it('speaks Chinese', async () => {
    await seed(2);
    await startEngine(okServer);
    renderBar('zh-CN');
    expect(screen.getByRole('group', { name: '上传状态' })).toBeInTheDocument();
    expect(await screen.findByText('待传 2')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: '立即上传' }));
    await waitFor(() => expect(screen.getByText('✓ 已传完')).toBeInTheDocument());
  });
});

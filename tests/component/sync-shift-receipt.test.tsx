import { render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GATE_RULES, type ShiftCloseRequest, type SyncRequest } from '../../src/shared';
import {
  deleteSetting,
  markRejected,
  saveEntry,
  setSetting,
  startShift,
  type Shift,
} from '../../src/app/db';
import { ShiftReceipt } from '../../src/app/features/shift/shift-receipt';
import { LocaleContext, type Locale } from '../../src/app/i18n/i18n';
import { SyncEngine, noLock, setSyncEngine } from '../../src/app/sync/sync-engine';
import { makeEntry } from '../support/factories';
import { freshDb } from './render-app';

let shift: Shift;
let held: Set<string>;

/** Sync stores what it gets; close agrees only when count and digest match what it holds. */
const server = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
  const path = String(url);
  if (path.endsWith('/api/v1/sync')) {
    const body = JSON.parse(String(init?.body)) as SyncRequest;
    const ids = body.records.map((r) => (r as { id: string }).id);
    ids.forEach((id) => held.add(id));
    const answer = {
      batchId: body.batchId,
      accepted: ids,
      duplicates: [],
      rejected: [],
      serverTime: new Date().toISOString(),
    };
    return new Response(JSON.stringify(answer), { status: 200 });
  }
  const body = JSON.parse(String(init?.body)) as ShiftCloseRequest;
  const ids = [...held].sort();
  const bytes = new TextEncoder().encode(ids.join('\n'));
  const digest = Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', bytes)), (b) =>
    b.toString(16).padStart(2, '0'),
  ).join('');
  const complete = body.recordCount === ids.length && body.digest === digest;
  const receipt = complete
    ? {
        shiftId: shift.id,
        gateId: 'gate-1',
        recordCount: ids.length,
        byDirection: { in: 2, out: 1 },
        byCategory: { resident: 1, visitor: 2, courier: 0, staff: 0, other: 0 },
        fever: 1,
        returnees: 0,
        refused: 0,
        closedAt: '2020-02-03T12:00:00.000Z',
      }
    : null;
  return new Response(JSON.stringify({ received: ids.length, complete, receipt }), { status: 200 });
});

function renderReceipt(locale: Locale = 'en') {
  return render(
    <LocaleContext.Provider value={{ locale, setLocale: () => {} }}>
      <ShiftReceipt shiftId={shift.id} />
    </LocaleContext.Provider>,
  );
}

async function seed(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const saved = await saveEntry(makeEntry(), {
      shift,
      deviceId: 'dev-1',
      rules: DEFAULT_GATE_RULES,
    });
    ids.push(saved.id);
  }
  return ids;
}

beforeEach(async () => {
  freshDb();
  held = new Set();
  server.mockClear();
  vi.stubGlobal('fetch', server);
  setSyncEngine(new SyncEngine({ appVersion: 'test', fetch: server, lock: noLock, env: {} }));
  shift = await startShift('gate-1', '王师傅');
  await setSetting('enrollment', {
    serverUrl: '',
    deviceId: 'dev-1',
    token: 't',
    enrolledAt: '2020-02-03T08:00:00.000+08:00',
  });
});

afterEach(() => {
  vi.unstubAllGlobals();
  setSyncEngine(undefined);
});

describe('ShiftReceipt', () => {
  it('sends everything (undo window included) and shows the receipt once the server agrees', async () => {
    await seed(3);
    renderReceipt();
    expect(await screen.findByText('✓ All 3 received')).toBeInTheDocument();
    expect(held.size).toBe(3);
    const count = (label: string) => screen.getByText(label, { selector: 'dt' }).nextSibling;
    expect(count('In')).toHaveTextContent('2');
    expect(count('Out')).toHaveTextContent('1');
    expect(count('Fever')).toHaveTextContent('1');
    expect(count('Visitor')).toHaveTextContent('2');
    expect(count('Resident')).toHaveTextContent('1');
  });

  it('says what is missing and keeps trying, and never shows a receipt meanwhile', async () => {
    const ids = await seed(2);
    await markRejected([{ id: ids[1]!, code: 'invalid', message: 'person.name: required' }]);
    held.add('0190f5a0-0000-7000-8000-00000000dead');
    renderReceipt();
    expect(await screen.findByText('The server has 2 of 1')).toBeInTheDocument();
    expect(screen.getByText(/1 refused by the server/)).toBeInTheDocument();
    expect(screen.getByText(/Not valid/)).toHaveTextContent(/— Not valid \(Name: Required\)$/);
    expect(screen.getByText(/Still trying…/)).toBeInTheDocument();
    expect(screen.queryByText(/received$/)).not.toBeInTheDocument();
  });

  it('says why a record was refused in Chinese, not in the server’s codes', async () => {
    const ids = await seed(2);
    await markRejected([
      { id: ids[1]!, code: 'invalid', message: 'person.idNumber: idChecksum; deviceId: odd' },
    ]);
    held.add('0190f5a0-0000-7000-8000-00000000dead');
    renderReceipt('zh-CN');
    expect(await screen.findByText(/内容不合格/)).toHaveTextContent(
      /— 内容不合格 \(证件号码：身份证号校验位不对，请核对；deviceId：odd\)$/,
    );
  });

  it('says a receipt needs enrollment', async () => {
    await seed(1);
    await deleteSetting('enrollment');
    renderReceipt('zh-CN');
    expect(await screen.findByText(/交班回执需要先把这台手机加入居委会服务器/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '加入居委会服务器' })).toHaveAttribute(
      'href',
      '#/enroll',
    );
    expect(server).not.toHaveBeenCalled();
  });

  it('says a shift the server holds as another phone’s has no receipt to come, and stops asking', async () => {
    await seed(1);
    // Sync as ever; the close answered as the server answers a phone that did not begin it.
    const another = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) =>
      String(url).endsWith('/api/v1/sync')
        ? server(url, init)
        : Response.json({ error: 'shift_of_another_phone', message: '' }, { status: 409 }),
    );
    vi.stubGlobal('fetch', another);
    setSyncEngine(new SyncEngine({ appVersion: 'test', fetch: another, lock: noLock, env: {} }));
    renderReceipt('zh-CN');
    expect(
      await screen.findByText(/这个班次是本门岗另一台手机开始的，只有那台手机能交班/),
    ).toBeInTheDocument();
    expect(screen.queryByText(/仍在重试/)).not.toBeInTheDocument();
  });

  it('says the corrections apart from the people passing, which the counts are of', async () => {
    // The server's counts (its mock's): 3 people passing; a fourth record is a correction.
    await seed(4);
    renderReceipt('zh-CN');
    expect(
      await screen.findByText('✓ 全部 4 条已送达（3 人次，另有 1 条更正）'),
    ).toBeInTheDocument();
  });

  it('speaks Chinese: 全部 N 条已送达', async () => {
    await seed(2);
    renderReceipt('zh-CN');
    expect(await screen.findByText('✓ 全部 2 条已送达')).toBeInTheDocument();
  });
});

import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_GATE_RULES, type EnrollResponse } from '../../src/shared';
import { getSetting, setSetting } from '../../src/app/db';
import EnrollScreen from '../../src/app/features/enroll/enroll-screen';
import { SyncEngine, noLock, setSyncEngine } from '../../src/app/sync/sync-engine';
import { freshDb, renderWithSession } from './render-app';

const answer: EnrollResponse = {
  deviceId: 'dev-42',
  token: 'secret-token',
  gate: { id: 'gate-2', name: '2号门', rules: DEFAULT_GATE_RULES },
};

function stubServer(status: number, body: unknown) {
  const fetch = vi.fn(
    async (_url: RequestInfo | URL, _init?: RequestInit) =>
      new Response(JSON.stringify(body), { status }),
  );
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

let engine: SyncEngine;

beforeEach(() => {
  freshDb();
  history.replaceState(null, '', '/');
  engine = new SyncEngine({ appVersion: 'test', fetch: vi.fn(), lock: noLock, env: {} });
  vi.spyOn(engine, 'onEnrolled').mockImplementation(() => {});
  setSyncEngine(engine);
});

afterEach(() => {
  vi.unstubAllGlobals();
  setSyncEngine(undefined);
});

describe('EnrollScreen', () => {
  it('takes the code from an enrollment link, removes it from the address bar, and enrolls with one tap', async () => {
    history.replaceState(null, '', '/?enroll=K7Q-2M#/');
    const hashChanges = vi.fn();
    addEventListener('hashchange', hashChanges);
    const fetch = stubServer(201, answer);
    renderWithSession(<EnrollScreen />);

    const code = await screen.findByLabelText('Enrollment code');
    expect(code).toHaveValue('K7Q-2M');
    // The address bar is cleaned in an effect after the code is read.
    await waitFor(() => expect(location.search).toBe(''));
    expect(location.hash).toBe('#/enroll');
    await waitFor(() => expect(hashChanges).toHaveBeenCalled());
    removeEventListener('hashchange', hashChanges);

    await userEvent.click(screen.getByRole('button', { name: 'Enroll' }));

    expect(await screen.findByText('Enrolled: 2号门')).toBeInTheDocument();
    const [url, init] = fetch.mock.calls[0]!;
    expect(url).toBe('/api/v1/enroll');
    expect(JSON.parse(String(init?.body))).toMatchObject({ code: 'K7Q-2M' });
    expect(await getSetting('enrollment')).toMatchObject({
      deviceId: 'dev-42',
      token: 'secret-token',
      serverUrl: '',
    });
    expect(await getSetting('gate')).toMatchObject({ id: 'gate-2', name: '2号门' });
    expect(engine.onEnrolled).toHaveBeenCalledOnce();

    const card = screen.getByRole('heading', { name: 'This phone belongs to' }).parentElement!;
    expect(within(card).getByText('2号门')).toBeInTheDocument();
    expect(within(card).getByText(location.origin)).toBeInTheDocument();
    expect(within(card).getByText('dev-42')).toBeInTheDocument();
    // The Enroll button tapped went with the form: focus is on the next step, not lost.
    await waitFor(() =>
      expect(screen.getByRole('button', { name: 'Start logging' })).toHaveFocus(),
    );
  });

  it('lets the guard type a code, and explains an expired one', async () => {
    stubServer(410, { error: 'code_expired', message: 'expired' });
    renderWithSession(<EnrollScreen />);
    await userEvent.type(await screen.findByLabelText('Enrollment code'), 'OLD-CODE');
    await userEvent.click(screen.getByRole('button', { name: 'Enroll' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'This code has expired. Ask the committee for a new one.',
    );
    expect(await getSetting('enrollment')).toBeUndefined();
  });

  it.each([
    ['1', 'Too many tries. Try again in 1 second.'],
    ['30', 'Too many tries. Try again in 30 seconds.'],
  ])('says how long to wait after too many tries (Retry-After: %s)', async (retryAfter, text) => {
    vi.stubGlobal(
      'fetch',
      vi.fn(
        async () =>
          new Response(JSON.stringify({ error: 'rate_limited', message: 'slow down' }), {
            status: 429,
            headers: { 'retry-after': retryAfter },
          }),
      ),
    );
    renderWithSession(<EnrollScreen />);
    await userEvent.type(await screen.findByLabelText('Enrollment code'), 'X1');
    await userEvent.click(screen.getByRole('button', { name: 'Enroll' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(text);
  });

  /** The field's error: it is marked invalid and described by the message, which it names. */
  function expectErrorAt(field: HTMLElement, text: string) {
    expect(field).toHaveAttribute('aria-invalid', 'true');
    expect(field).toHaveAccessibleDescription(expect.stringContaining(text));
    expect(field.closest('form')).not.toHaveAttribute('aria-describedby');
  }

  it.each([
    [410, { error: 'code_expired', message: 'expired' }, 'This code has expired'],
    [409, { error: 'code_used', message: 'used' }, 'This code was already used'],
    [404, { error: 'code_unknown', message: 'unknown' }, 'Unknown code'],
  ])(
    'says a code refused with HTTP %i at the code field, and takes the guard there',
    async (status, body, text) => {
      stubServer(status, body);
      renderWithSession(<EnrollScreen />);
      const code = await screen.findByLabelText('Enrollment code');
      await userEvent.type(code, 'X1');
      await userEvent.click(screen.getByRole('button', { name: 'Enroll' }));
      expect(await screen.findByRole('alert')).toHaveTextContent(text);
      expectErrorAt(code, text);
      expect(code).toHaveFocus();
      // Typing another code takes back what was said of the last one.
      await userEvent.type(code, '2');
      expect(code).not.toHaveAttribute('aria-invalid');
      expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    },
  );

  it('says a code that is no code at the code field, in Chinese too', async () => {
    const fetch = stubServer(201, answer);
    renderWithSession(<EnrollScreen />, 'zh-CN');
    const code = await screen.findByLabelText('加入码');
    await userEvent.click(screen.getByRole('button', { name: '加入' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('加入码格式不对，请核对。');
    expectErrorAt(code, '加入码格式不对');
    expect(code).toHaveFocus();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('says a wrong server address at that field, opening the settings it is in', async () => {
    stubServer(201, answer);
    renderWithSession(<EnrollScreen />);
    await userEvent.type(await screen.findByLabelText('Enrollment code'), 'X1');
    await userEvent.click(screen.getByText('More settings (usually not needed)'));
    const server = screen.getByLabelText('Server address');
    await userEvent.type(server, 'ftp://example.org');
    await userEvent.click(screen.getByText('More settings (usually not needed)'));
    await userEvent.click(screen.getByRole('button', { name: 'Enroll' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Not a valid server address');
    expect(server).toBeVisible();
    expectErrorAt(server, 'Not a valid server address');
    expect(server).toHaveFocus();
    expect(screen.getByLabelText('Enrollment code')).not.toHaveAttribute('aria-invalid');
  });

  it('keeps a failure that is not about the code on the form, the code field untouched', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch');
      }),
    );
    renderWithSession(<EnrollScreen />);
    const code = await screen.findByLabelText('Enrollment code');
    await userEvent.type(code, 'X1');
    await userEvent.click(screen.getByRole('button', { name: 'Enroll' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Cannot reach the server');
    expect(code).not.toHaveAttribute('aria-invalid');
    expect(code.closest('form')).toHaveAccessibleDescription(
      expect.stringContaining('Cannot reach the server'),
    );
  });

  it('shows which server and gate an enrolled phone belongs to, and warns before re-enrolling', async () => {
    await setSetting('enrollment', {
      serverUrl: 'https://gl.example.org',
      deviceId: 'dev-7',
      token: 't',
      enrolledAt: '2020-02-01T08:00:00.000+08:00',
    });
    await setSetting('gate', { id: 'gate-1', name: '1号门', rules: DEFAULT_GATE_RULES });
    renderWithSession(<EnrollScreen />);
    expect(await screen.findByText('1号门')).toBeInTheDocument();
    expect(screen.getByText('https://gl.example.org')).toBeInTheDocument();
    expect(screen.getByText(/records on the phone are kept/)).toBeInTheDocument();
  });

  it('speaks Chinese: 加入', async () => {
    const fetch = stubServer(201, answer);
    renderWithSession(<EnrollScreen />, 'zh-CN');
    await userEvent.type(await screen.findByLabelText('加入码'), 'ABC');
    await userEvent.click(screen.getByRole('button', { name: '加入' }));
    expect(await screen.findByText('已加入：2号门')).toBeInTheDocument();
    expect(fetch).toHaveBeenCalledOnce();
  });
});

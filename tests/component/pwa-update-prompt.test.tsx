/**
 * The update banner and the page's side of the update (src/app/pwa): offered when a new worker
 * waits, applied only on "Update", and only after the page has saved what it holds.
 */
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentType } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as I18n from '../../src/app/i18n/i18n';
import type * as Register from '../../src/app/pwa/register';

type Listener = (e: Record<string, unknown>) => void;

/** Stands in for workbox-window's Workbox: events are fired by the test. */
class FakeWorkbox {
  static last: FakeWorkbox | undefined;
  listeners = new Map<string, Set<Listener>>();
  registration = {
    waiting: {} as object | null,
    addEventListener: vi.fn(),
  };
  messageSkipWaiting = vi.fn();
  update = vi.fn(async () => {});
  constructor(public url: string) {
    FakeWorkbox.last = this;
  }
  addEventListener(type: string, l: Listener) {
    if (!this.listeners.has(type)) this.listeners.set(type, new Set());
    this.listeners.get(type)!.add(l);
  }
  register = vi.fn(async () => this.registration);
  fire(type: string, props: Record<string, unknown> = {}) {
    for (const l of this.listeners.get(type) ?? []) l({ type, ...props });
  }
}

vi.mock('workbox-window', () => ({ Workbox: FakeWorkbox }));

let UpdatePrompt: ComponentType;
let LocaleContext: typeof I18n.LocaleContext;
let pwa: typeof Register;
const reload = vi.fn();

function renderPrompt(locale: I18n.Locale = 'en') {
  return render(
    <LocaleContext.Provider value={{ locale, setLocale: () => {} }}>
      <UpdatePrompt />
    </LocaleContext.Provider>,
  );
}

/** Registers the service worker (fresh module state) and lets register() settle. */
async function registered(): Promise<FakeWorkbox> {
  pwa.registerServiceWorker({ reload });
  await act(async () => {});
  return FakeWorkbox.last!;
}

beforeEach(async () => {
  vi.resetModules();
  // The components get fresh modules; so must the language context they read.
  ({ LocaleContext } = await import('../../src/app/i18n/i18n'));
  vi.stubEnv('DEV', false);
  Object.defineProperty(navigator, 'serviceWorker', {
    configurable: true,
    value: { controller: {}, addEventListener: vi.fn(), getRegistration: vi.fn() },
  });
  reload.mockReset();
  FakeWorkbox.last = undefined;
  pwa = await import('../../src/app/pwa/register');
  ({ UpdatePrompt } = await import('../../src/app/pwa/update-prompt'));
});

afterEach(() => {
  vi.unstubAllEnvs();
  Reflect.deleteProperty(navigator, 'serviceWorker');
});

describe('UpdatePrompt', () => {
  it('shows nothing while no new version waits', async () => {
    await registered();
    renderPrompt();
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
  });

  it('offers a waiting version, in the guard’s language', async () => {
    const wb = await registered();
    renderPrompt('zh-CN');
    act(() => wb.fire('waiting'));
    const banner = screen.getByRole('region', { name: '有新版本' });
    expect(banner).toBeVisible();
    expect(screen.getByRole('button', { name: '更新' })).toBeEnabled();
    expect(screen.getByRole('button', { name: '稍后' })).toBeEnabled();
    expect(wb.messageSkipWaiting).not.toHaveBeenCalled();
  });

  it('"Later" hides the offer and activates nothing', async () => {
    const user = userEvent.setup();
    const wb = await registered();
    renderPrompt();
    act(() => wb.fire('waiting'));
    await user.click(screen.getByRole('button', { name: 'Later' }));
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
    expect(wb.messageSkipWaiting).not.toHaveBeenCalled();
    expect(reload).not.toHaveBeenCalled();
  });

  it('"Later" stands when the same waiting worker is reported again; a newer one is offered', async () => {
    const user = userEvent.setup();
    const wb = await registered();
    renderPrompt();
    const next = {} as ServiceWorker;
    act(() => wb.fire('waiting', { sw: next }));
    await user.click(screen.getByRole('button', { name: 'Later' }));
    // workbox-window reports the worker once more, 200 ms after the page's own listener did.
    act(() => wb.fire('waiting', { sw: next }));
    expect(screen.queryByRole('region')).not.toBeInTheDocument();

    act(() => wb.fire('waiting', { sw: {} as ServiceWorker }));
    expect(screen.getByRole('region', { name: 'A new version is ready' })).toBeVisible();
  });

  it('"Update" waits for the page to save, then skips waiting and reloads under the new worker', async () => {
    const user = userEvent.setup();
    const wb = await registered();
    let finishSave!: () => void;
    const onBeforeUpdate = (e: Event) =>
      (e as CustomEvent<Register.BeforeUpdateDetail>).detail.waitUntil(
        new Promise<void>((resolve) => (finishSave = resolve)),
      );
    addEventListener(pwa.BEFORE_UPDATE_EVENT, onBeforeUpdate);
    try {
      renderPrompt();
      act(() => wb.fire('waiting'));
      await user.click(screen.getByRole('button', { name: 'Update' }));
      expect(screen.getByRole('status')).toHaveTextContent('Updating…');

      // The draft save is still running: nothing is activated yet, even after the minimum wait.
      await act(() => new Promise((r) => setTimeout(r, pwa.UPDATE_SETTLE_MS + 100)));
      expect(wb.messageSkipWaiting).not.toHaveBeenCalled();

      await act(async () => finishSave());
      expect(wb.messageSkipWaiting).toHaveBeenCalledTimes(1);
      expect(reload).not.toHaveBeenCalled();

      act(() => wb.fire('controlling', { isUpdate: true }));
      expect(reload).toHaveBeenCalledTimes(1);
    } finally {
      removeEventListener(pwa.BEFORE_UPDATE_EVENT, onBeforeUpdate);
    }
  });

  it('reloads at once when the new version is already active (another tab took it)', async () => {
    const wb = await registered();
    renderPrompt();
    wb.registration.waiting = null;
    act(() => wb.fire('controlling', { isUpdate: true }));
    expect(screen.getByRole('region', { name: 'A new version is ready' })).toBeVisible();
    await act(() => pwa.applyUpdate());
    expect(wb.messageSkipWaiting).not.toHaveBeenCalled();
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('does not register in development or without service workers', async () => {
    vi.stubEnv('DEV', true);
    pwa.registerServiceWorker({ reload });
    expect(FakeWorkbox.last).toBeUndefined();
  });
});

/** The install hint: Chromium's prompt behind a button, iOS instructions, remembered "Not now". */
import { act, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import type { ComponentType } from 'react';
import type * as I18n from '../../src/app/i18n/i18n';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const ANDROID_UA =
  'Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36';

let InstallHint: ComponentType;
let LocaleContext: typeof I18n.LocaleContext;
let DISMISSED_KEY: string;

function setUserAgent(ua: string) {
  Object.defineProperty(navigator, 'userAgent', { configurable: true, get: () => ua });
}

function setStandalone(standalone: boolean) {
  window.matchMedia = vi.fn((query: string) => ({
    matches: standalone && query.includes('standalone'),
    media: query,
    onchange: null,
    addListener: vi.fn(),
    removeListener: vi.fn(),
    addEventListener: vi.fn(),
    removeEventListener: vi.fn(),
    dispatchEvent: vi.fn(),
  }));
}

function renderHint() {
  return render(
    <LocaleContext.Provider value={{ locale: 'en', setLocale: () => {} }}>
      <InstallHint />
    </LocaleContext.Provider>,
  );
}

/** Fires Chromium's beforeinstallprompt; the guard's answer is `outcome`. */
function offerInstall(outcome: 'accepted' | 'dismissed') {
  const event = Object.assign(new Event('beforeinstallprompt', { cancelable: true }), {
    prompt: vi.fn(async () => {}),
    userChoice: Promise.resolve({ outcome, platform: 'web' }),
  });
  act(() => void dispatchEvent(event));
  return event;
}

beforeEach(async () => {
  vi.resetModules();
  // The components get fresh modules; so must the language context they read.
  ({ LocaleContext } = await import('../../src/app/i18n/i18n'));
  localStorage.clear();
  setUserAgent(ANDROID_UA);
  setStandalone(false);
  const prompt = await import('../../src/app/pwa/install-prompt');
  prompt.listenForInstallPrompt();
  const hint = await import('../../src/app/pwa/install-hint');
  InstallHint = hint.InstallHint;
  DISMISSED_KEY = hint.INSTALL_HINT_DISMISSED_KEY;
});

afterEach(() => {
  Reflect.deleteProperty(navigator, 'userAgent');
});

describe('InstallHint on Android / Chromium', () => {
  it('shows nothing until the browser offers an install', () => {
    renderHint();
    expect(screen.queryByRole('button', { name: 'Install app' })).not.toBeInTheDocument();
  });

  it('shows the browser’s install dialog from the button, and goes away once installed', async () => {
    const user = userEvent.setup();
    renderHint();
    const event = offerInstall('accepted');
    expect(event.defaultPrevented).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Install app' }));
    expect(event.prompt).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('button', { name: 'Install app' })).not.toBeInTheDocument();
  });

  it('catches the offer even when it comes before the hint is on screen', () => {
    offerInstall('dismissed');
    renderHint();
    expect(screen.getByRole('button', { name: 'Install app' })).toBeVisible();
  });

  it('"Not now" hides it, and it stays hidden next time', async () => {
    const user = userEvent.setup();
    offerInstall('dismissed');
    const first = renderHint();
    await user.click(screen.getByRole('button', { name: 'Not now' }));
    expect(screen.queryByRole('button', { name: 'Install app' })).not.toBeInTheDocument();
    expect(localStorage.getItem(DISMISSED_KEY)).toBe('1');
    first.unmount();
    renderHint();
    expect(screen.queryByRole('button', { name: 'Install app' })).not.toBeInTheDocument();
  });

  it('is hidden when the app already runs installed', () => {
    setStandalone(true);
    offerInstall('dismissed');
    renderHint();
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
  });
});

describe('InstallHint on iOS', () => {
  it('explains Share → Add to Home Screen (iOS has no install prompt)', () => {
    setUserAgent(IPHONE_UA);
    renderHint();
    expect(screen.getByRole('region', { name: 'Install GateLog on this phone' })).toBeVisible();
    expect(screen.getByText(/Share.*Add to Home Screen/)).toBeVisible();
    expect(screen.queryByRole('button', { name: 'Install app' })).not.toBeInTheDocument();
  });

  it('is hidden when opened from the home screen', () => {
    setUserAgent(IPHONE_UA);
    Object.defineProperty(navigator, 'standalone', { configurable: true, value: true });
    try {
      renderHint();
      expect(screen.queryByRole('region')).not.toBeInTheDocument();
    } finally {
      Reflect.deleteProperty(navigator, 'standalone');
    }
  });

  it('"Got it" hides the instructions for good', async () => {
    const user = userEvent.setup();
    setUserAgent(IPHONE_UA);
    renderHint();
    await user.click(screen.getByRole('button', { name: 'Got it' }));
    expect(screen.queryByRole('region')).not.toBeInTheDocument();
    expect(localStorage.getItem(DISMISSED_KEY)).toBe('1');
  });
});

describe('InstallHint on a plain-http address', () => {
  beforeEach(() => {
    Object.defineProperty(window, 'isSecureContext', { configurable: true, value: false });
  });
  afterEach(() => {
    Reflect.deleteProperty(window, 'isSecureContext');
  });

  it('says the app neither installs nor opens offline there, whatever was dismissed', () => {
    localStorage.setItem(DISMISSED_KEY, '1');
    offerInstall('dismissed');
    renderHint();
    const notice = screen.getByRole('region', {
      name: 'Not a secure (https) address: it will not open offline',
    });
    expect(notice).toHaveTextContent(`${location.host} is not an https address`);
    expect(notice).toHaveTextContent('Ask the committee for the https address');
    expect(screen.queryByRole('button', { name: 'Install app' })).not.toBeInTheDocument();
  });

  it('says so on iOS too, instead of Add to Home Screen', () => {
    setUserAgent(IPHONE_UA);
    renderHint();
    expect(screen.getByRole('region', { name: /^Not a secure \(https\) address/ })).toBeVisible();
    expect(screen.queryByText(/Add to Home Screen/)).not.toBeInTheDocument();
  });
});

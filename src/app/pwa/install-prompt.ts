/**
 * What the browser offers for installing the app. Chromium fires `beforeinstallprompt` once,
 * early, whether or not the screen with the install hint is open, so the event is caught at
 * start-up (registerServiceWorker) and kept here until <InstallHint/> uses it.
 */

/** Chromium's install prompt event; not in TypeScript's DOM lib. */
export interface BeforeInstallPromptEvent extends Event {
  prompt(): Promise<void>;
  readonly userChoice: Promise<{ outcome: 'accepted' | 'dismissed'; platform: string }>;
}

export interface InstallState {
  /** The deferred prompt, when the browser offers one now. */
  prompt: BeforeInstallPromptEvent | null;
  /** The app was installed during this visit. */
  installed: boolean;
}

let state: InstallState = { prompt: null, installed: false };
let listening = false;
const listeners = new Set<() => void>();

function setState(next: Partial<InstallState>): void {
  state = { ...state, ...next };
  for (const l of listeners) l();
}

/** Starts catching the browser's install prompt (once; later calls do nothing). */
export function listenForInstallPrompt(): void {
  if (listening || typeof window === 'undefined') return;
  listening = true;
  addEventListener('beforeinstallprompt', (e) => {
    // Keep Chromium's own mini-infobar away; the app offers its own button.
    e.preventDefault();
    setState({ prompt: e as BeforeInstallPromptEvent });
  });
  addEventListener('appinstalled', () => setState({ prompt: null, installed: true }));
}

export function subscribeInstallState(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function getInstallState(): InstallState {
  return state;
}

/** Shows the browser's install dialog; resolves true when the guard accepted. */
export async function promptInstall(): Promise<boolean> {
  const prompt = state.prompt;
  if (!prompt) return false;
  // A prompt can be shown only once.
  setState({ prompt: null });
  await prompt.prompt();
  const { outcome } = await prompt.userChoice;
  if (outcome === 'accepted') setState({ installed: true });
  return outcome === 'accepted';
}

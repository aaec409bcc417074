/**
 * Content-Security-Policy violations of every page in a context: the `securitypolicyviolation`
 * events the documents fire (reported to the test through a binding, so they survive
 * navigations and reloads) and the console's "Refused to …" lines Chromium prints with them.
 */
import type { BrowserContext } from '@playwright/test';

declare global {
  interface Window {
    __gatelogCspViolation?: (report: string) => void;
  }
}

export interface CspWatch {
  /** One line per violation: directive, what was blocked, where. */
  readonly violations: readonly string[];
}

/** Starts collecting before any page of `context` loads. */
export async function watchCsp(context: BrowserContext): Promise<CspWatch> {
  const violations: string[] = [];
  await context.exposeBinding('__gatelogCspViolation', (_source, report: string) => {
    violations.push(report);
  });
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__gatelogCspViolation?.(
        `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ` +
          `${e.sourceFile || location.href}:${e.lineNumber}`,
      );
    });
  });
  context.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to (load|execute|apply|connect|frame|create)/.test(text)) {
      violations.push(`console: ${text}`);
    }
  });
  return { violations };
}

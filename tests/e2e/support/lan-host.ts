/**
 * A name Chromium resolves to the test server's machine (playwright.config.ts maps it), so a page
 * opened at `http://gatelog-lan.test:<port>` is on plain http and not localhost: what a phone
 * that opens `npm start`'s printed LAN address is on, a context that is not secure.
 */
export const LAN_HOST = 'gatelog-lan.test';

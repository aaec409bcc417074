/** The committee page's `t`, and an API failure in the clerk's words. */
import { common } from '../../i18n/common';
import { gateRulesMessages } from '../../i18n/gate-rules-messages';
import { useT, type Translate } from '../../i18n/i18n';
import { AdminApiError, NOT_GATELOG, OTHER_VERSION } from './admin-api';
import { committeeMessages } from './messages';

export const useCommitteeT = () => useT(common, gateRulesMessages, committeeMessages);

/**
 * A failed request in the clerk's language. The server's own words (English) only where they
 * name what was wrong with what the clerk sent (a 400, a 409), which the page's forms check
 * before sending anyway.
 */
export function errorText(t: Translate, e: unknown): string {
  if (e instanceof GoneAndReadAgain) return t('error.goneReadAgain');
  if (e instanceof AdminApiError) {
    if (e.status === 0) return t('error.offline');
    if (isOtherVersion(e)) return t('error.otherVersion', { version: e.serverVersion ?? '?' });
    if (isNotGateLog(e)) return t('error.notGateLog');
    // The views read the gates again on it (`onGateGone`), as the words say.
    if (isGateGone(e)) return t('error.gateGone');
    if (e.status === 404) return t('error.gone');
    if (e.status === 429) return t('error.busy');
    if (e.status === 413) return t('error.tooLarge');
    if (e.status === 503) return t('error.unavailable');
    if (e.status >= 500) return t('error.server', { status: e.status });
    return t('error.other', { status: e.status, message: e.message });
  }
  return t('error.other', { status: '?', message: e instanceof Error ? e.message : String(e) });
}

/**
 * The sign-in's failure in the clerk's words: the address answers nothing, answers but not as
 * GateLog (or has no GateLog's API: a 404), or GateLog refused the token. `address` is the
 * server's the page asked.
 */
export function signInErrorText(t: Translate, e: unknown, address: string): string {
  if (!(e instanceof AdminApiError)) return errorText(t, e);
  if (e.status === 0) return t('signIn.offline', { address });
  // GateLog without the gates' list where this page asks for it: another version too.
  if (isOtherVersion(e) || (e.status === 404 && e.serverVersion !== undefined)) {
    return t('signIn.otherVersion', { address, version: e.serverVersion ?? '?' });
  }
  if (isNotGateLog(e) || e.status === 404) return t('signIn.notGateLog', { address });
  if (isRefusal(e)) return t('signIn.refused');
  return errorText(t, e);
}

/** What a proxy in front of GateLog answers of its own for GateLog: too many, too large. */
const PROXY_LIMITS: ReadonlySet<number> = new Set([413, 429]);

/**
 * Some other server answered (a web page, other JSON): a 5xx of a proxy in front of GateLog is
 * GateLog not answering it, said as a server error; so is a proxy's own 429 (its rate limit) or
 * 413 (its body limit), said as GateLog's own are.
 */
const isNotGateLog = (e: AdminApiError): boolean =>
  e.code === NOT_GATELOG && e.status < 500 && !PROXY_LIMITS.has(e.status);

/** GateLog answered, of a version whose answer fails this page's checks. */
const isOtherVersion = (e: AdminApiError): boolean => e.code === OTHER_VERSION;

/**
 * A request named a gate the server no longer has (removed while the page was open): a filter
 * (400), or the gate to change, to enroll a phone at or to issue a pass for (404).
 */
export const isGateGone = (e: unknown): boolean =>
  e instanceof AdminApiError && (e.status === 400 || e.status === 404) && e.code === 'gate_unknown';

/** Something other than a gate found gone (404): its list can be read again. */
export const isGone = (e: unknown): e is AdminApiError =>
  e instanceof AdminApiError && e.status === 404 && !isGateGone(e) && !isNotGateLog(e);

/**
 * A request that found its thing gone, after which the list it was in was read again: only
 * then may the page say that it was (`error.goneReadAgain`).
 */
export class GoneAndReadAgain {
  constructor(readonly error: AdminApiError) {}
}

/**
 * GateLog refused the token: the clerk signs in again. Not a 401 of some other server (a proxy's
 * login page): another token would not help.
 */
export const isRefusal = (e: unknown): boolean =>
  e instanceof AdminApiError && (e.status === 401 || e.status === 403) && !isNotGateLog(e);

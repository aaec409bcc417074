/** The committee page's `t`, and an API failure in the clerk's words. */
import { common } from '../../i18n/common';
import { gateRulesMessages } from '../../i18n/gate-rules-messages';
import { useT, type Translate } from '../../i18n/i18n';
import { AdminApiError } from './admin-api';
import { committeeMessages } from './messages';

export const useCommitteeT = () => useT(common, gateRulesMessages, committeeMessages);

/**
 * A failed request in the clerk's language. The server's own words (English) only where they
 * name what was wrong with what the clerk sent (a 400, a 409), which the page's forms check
 * before sending anyway.
 */
export function errorText(t: Translate, e: unknown): string {
  if (e instanceof AdminApiError) {
    if (e.status === 0) return t('error.offline');
    if (isGateGone(e)) return t('error.gateGone');
    if (e.status === 404) return t('error.gone');
    if (e.status === 429) return t('error.busy');
    if (e.status === 503) return t('error.unavailable');
    if (e.status >= 500) return t('error.server', { status: e.status });
    return t('error.other', { status: e.status, message: e.message });
  }
  return t('error.other', { status: '?', message: e instanceof Error ? e.message : String(e) });
}

/** A filter named a gate the server no longer has (removed while the page was open). */
export const isGateGone = (e: unknown): boolean =>
  e instanceof AdminApiError && e.status === 400 && e.code === 'gate_unknown';

/** The token was refused: the clerk signs in again. */
export const isRefusal = (e: unknown): boolean =>
  e instanceof AdminApiError && (e.status === 401 || e.status === 403);

/** The committee page's `t`, and an API failure in the clerk's words. */
import { common } from '../../i18n/common';
import { gateRulesMessages } from '../../i18n/gate-rules-messages';
import { useT, type Translate } from '../../i18n/i18n';
import { AdminApiError } from './admin-api';
import { committeeMessages } from './messages';

export const useCommitteeT = () => useT(common, gateRulesMessages, committeeMessages);

export function errorText(t: Translate, e: unknown): string {
  if (e instanceof AdminApiError) {
    return e.status === 0
      ? t('error.offline', { message: e.message })
      : t('error.other', { status: e.status, message: e.message });
  }
  return t('error.other', { status: '?', message: e instanceof Error ? e.message : String(e) });
}

/** The token was refused: the clerk signs in again. */
export const isRefusal = (e: unknown): boolean =>
  e instanceof AdminApiError && (e.status === 401 || e.status === 403);

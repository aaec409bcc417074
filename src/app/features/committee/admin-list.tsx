/**
 * What the committee page's lists share: read from the server when shown, read again after a
 * change, when the page is shown again after being hidden and at the clerk's midnight (a page
 * left open for days), a refused token back to signing in, any other failure shown with a retry.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Gate } from '../../../shared';
import { useGateName } from '../../i18n/i18n';
import type { AdminApi } from './admin-api';
import { useClerkDay } from './use-clerk-day';
import { GoneAndReadAgain, errorText, isGateGone, isGone, isRefusal, useCommitteeT } from './words';

/** What every view of the page is given. */
export interface ViewProps {
  api: AdminApi;
  /** The gates as the page last read them. */
  gates: Gate[];
  /** The token was refused: back to signing in, saying why. */
  onRefused: (e: unknown) => void;
  /** A request named a gate the server no longer has: the page reads the gates again. */
  onGateGone: () => void;
}

/** What a view does with a failure that is not its own to show: signing in, gates gone. */
export type FailureHandlers = Pick<ViewProps, 'onRefused' | 'onGateGone'>;

/** A failure handled: a refused token signs in again, a gate gone has the gates read again. */
function useFailureHandler(
  { onRefused, onGateGone }: FailureHandlers,
  setFailure: (e: unknown) => void,
) {
  return useCallback(
    (e: unknown) => {
      if (isRefusal(e)) return onRefused(e);
      if (isGateGone(e)) onGateGone();
      setFailure(e);
    },
    [onRefused, onGateGone, setFailure],
  );
}

/**
 * A list read from the server. The list read last stays shown while it is read again, and only
 * the answer to the latest read is taken (an older one answering late is stale). `load` must
 * keep its identity between renders (useCallback) unless what it reads changed.
 */
export function useAdminList<T>(load: () => Promise<T>, handlers: FailureHandlers) {
  const { today, shownAgain } = useClerkDay();
  const [items, setItems] = useState<T | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const failed = useFailureHandler(handlers, setFailure);
  const latest = useRef(0);
  const refresh = useCallback(async () => {
    const read = ++latest.current;
    setFailure(null);
    try {
      const now = await load();
      if (read === latest.current) setItems(now);
    } catch (e) {
      if (read === latest.current) failed(e);
    }
  }, [load, failed]);
  // Read again when the page is shown again (what changed while it was hidden: a phone's sync,
  // another clerk's pass) and at the clerk's midnight, as the log is: a page left open overnight
  // shows the morning what is, not what was when the clerk last looked.
  useEffect(() => {
    void refresh();
  }, [refresh, today, shownAgain]);

  /** Runs a change once the clerk confirms it (when asked), then reads the list again. */
  const act = async (change: () => Promise<unknown>, confirm?: string): Promise<boolean> => {
    if (confirm !== undefined && !window.confirm(confirm)) return false;
    setFailure(null);
    try {
      await change();
      await refresh();
      return true;
    } catch (e) {
      // Gone meanwhile (another clerk, another tab): the list is read again, and says so.
      if (!isGone(e)) failed(e);
      else {
        await refresh();
        failed(new GoneAndReadAgain(e));
      }
      return false;
    }
  };
  return { items, failure, failed, refresh, act };
}

/**
 * A form's request to the server: busy while it runs (a second submit meanwhile is ignored), its
 * failure kept for the form to show, a refused token back to signing in. `run` answers the
 * request's result, or undefined when it failed or did not run.
 */
export function useRequest(handlers: FailureHandlers) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<unknown>(null);
  const failed = useFailureHandler(handlers, setFailure);
  const run = async <R,>(request: () => Promise<R>): Promise<R | undefined> => {
    if (busy) return undefined;
    setBusy(true);
    setFailure(null);
    try {
      return await request();
    } catch (e) {
      failed(e);
      return undefined;
    } finally {
      setBusy(false);
    }
  };
  return { busy, failure, run };
}

/**
 * A form's request that adds to a list (`useAdminList`): its failure is the form's to show
 * (`FormStatus`), not the list's: said above the list it is out of sight of a form below it,
 * and its "Try again" would only read the list. The list is read again once the thing is made,
 * or when the request found something gone.
 */
export function useAddToList(list: { refresh: () => Promise<void> }, handlers: FailureHandlers) {
  const { busy, failure, run } = useRequest(handlers);
  const add = async <R,>(make: () => Promise<R>): Promise<R | undefined> => {
    const made = await run(async () => {
      try {
        return await make();
      } catch (e) {
        if (!isGone(e)) throw e;
        void list.refresh();
        throw new GoneAndReadAgain(e);
      }
    });
    if (made !== undefined) await list.refresh();
    return made;
  };
  return { busy, failure, add };
}

/** A form's status line: its request's failure in the clerk's words, else what it did. */
export function FormStatus({ failure, done }: { failure: unknown; done: string }) {
  const t = useCommitteeT();
  return (
    <p role="status" className={failure === null ? 'muted' : 'committee-error'}>
      {failure !== null ? errorText(t, failure) : done}
    </p>
  );
}

/** A failed request in the clerk's words, and a way to try again. */
export function FailureNotice({ failure, onRetry }: { failure: unknown; onRetry: () => void }) {
  const t = useCommitteeT();
  if (failure === null) return null;
  return (
    <p className="notice committee-error" role="alert">
      {errorText(t, failure)}{' '}
      <button type="button" className="btn" onClick={onRetry}>
        {t('retry')}
      </button>
    </p>
  );
}

/**
 * The gates as the clerk looks for them: by name in the page's language (see `gatesByName` in
 * src/shared). Every tab lists them so: the gate filters and selects, the totals gate by gate,
 * the Gates tab.
 */
export { gatesByName } from '../../../shared';

/** A gate select's options: `all` (the empty value), then each gate. */
export function GateOptions({ gates, all }: { gates: readonly Gate[]; all: string }) {
  const showGate = useGateName();
  return (
    <>
      <option value="">{all}</option>
      {gates.map((g) => (
        <option key={g.id} value={g.id}>
          {showGate(g.name)}
        </option>
      ))}
    </>
  );
}

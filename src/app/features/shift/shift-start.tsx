/** Shift start: the gate (once per phone until enrollment brings the real one), the guard, go. */
import { useState, type FormEvent } from 'react';
import { DEFAULT_GATE_RULES } from '../../../shared';
import { loadDb, type DbModule } from '../../db/load';
import { LOCAL_GATE_ID } from '../../db/settings-schema';
import { newestDraft } from '../../db/draft-copy';
import { useDbQuery } from '../../db/use-db-query';
import { draftName } from '../../forms/entry-form';
import { common } from '../../i18n/common';
import { useGateName, useT } from '../../i18n/i18n';
import { hrefOf } from '../../session/route';
import { useSession } from '../../session/session';
import { Field } from '../../ui/field';
import { messages } from './messages';

/**
 * What the shift start says besides its form: the guards to pick from (offered, not filled in:
 * at a handover on a shared phone the last guard's name, already there, was a tap on Start away
 * from a whole shift logged under it), the name on an entry left unsaved when the shift ended (in
 * another tab), and the guard of the last shift when its receipt has not come yet, and why: no
 * network yet, the server refusing this phone (it comes once enrolled again), or a shift the
 * server holds as another phone's (it never comes here).
 */
async function readShiftStart(db: DbModule): Promise<{
  guards: string[];
  unsaved: string | null;
  waiting: { guard: string; why: 'offline' | 'auth' | 'anotherPhone' } | null;
}> {
  const guards = (await db.getSetting('guards')) ?? [];
  const unsaved = draftName(newestDraft(await db.getSetting('draft')));
  const last = await db.getLatestShift();
  // Any record saved in it, its counts' or a correction of an earlier shift's entry.
  if (!last?.endedAt || last.receipt || !(await db.shiftHasRecords(last.id))) {
    return { guards, unsaved, waiting: null };
  }
  const why = last.anotherPhone
    ? 'anotherPhone'
    : (await db.getSetting('authProblem'))
      ? 'auth'
      : 'offline';
  return { guards, unsaved, waiting: { guard: last.guard, why } };
}

export function ShiftStart() {
  const t = useT(common, messages);
  const showGate = useGateName();
  const { session, reload } = useSession();
  const [gateName, setGateName] = useState(session.gate?.name ?? '');
  const [guard, setGuard] = useState('');
  const [errors, setErrors] = useState<{ gate?: string; guard?: string }>({});
  const [busy, setBusy] = useState(false);
  /** Why the last tap on Start shift started nothing (the phone's storage full, say). */
  const [failure, setFailure] = useState<string | null>(null);
  const enrolled = !!session.enrollment;
  // Read live: the receipt may come, or the phone learn that the server refuses it (another
  // tab's sync, this one's), while the screen waits for the next guard.
  const found = useDbQuery(readShiftStart, []);
  const guards = found?.guards ?? [];
  const unsaved = found?.unsaved ?? null;
  const waiting = found?.waiting ?? null;

  const onStart = async (e: FormEvent) => {
    e.preventDefault();
    const next = {
      gate: enrolled || gateName.trim() ? undefined : t('error.required'),
      guard: guard.trim()
        ? guard.trim().length > 40
          ? t('error.tooLong')
          : undefined
        : t('error.required'),
    };
    setErrors(next);
    if (next.gate || next.guard) return;
    setBusy(true);
    setFailure(null);
    let db: DbModule | undefined;
    try {
      db = await loadDb();
      let gate = session.gate;
      if (!enrolled && gate?.name !== gateName.trim()) {
        gate = {
          id: gate?.id ?? LOCAL_GATE_ID,
          name: gateName.trim(),
          rules: gate?.rules ?? DEFAULT_GATE_RULES,
        };
        await db.setSetting('gate', gate);
      }
      await db.startShift(gate!.id, guard);
      await reload();
    } catch (err) {
      setFailure(
        db?.isQuotaError(err)
          ? t('startFailedQuota')
          : t('startFailed', { message: (err as Error).message }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <form onSubmit={onStart} noValidate>
      <h1>{t('startTitle')}</h1>
      {enrolled ? (
        <p className="card">
          {t('gateFromServer')}
          {t('colon')}
          <strong>{session.gate && showGate(session.gate.name)}</strong>
        </p>
      ) : (
        <Field label={t('gateName')} hint={t('gateHint')} error={errors.gate}>
          <input type="text" value={gateName} onChange={(e) => setGateName(e.target.value)} />
        </Field>
      )}
      <Field label={t('guardName')} error={errors.guard}>
        <input
          type="text"
          autoComplete="off"
          value={guard}
          onChange={(e) => setGuard(e.target.value)}
        />
      </Field>
      {guards.length > 0 && (
        <div
          className="chips"
          role="group"
          aria-label={t('pickGuard')}
          style={{ marginBottom: 16 }}
        >
          {guards.map((g) => (
            <button
              key={g}
              type="button"
              className="chip"
              aria-pressed={g === guard}
              onClick={() => setGuard(g)}
            >
              {g}
            </button>
          ))}
        </div>
      )}
      <button type="submit" className="btn primary block big" disabled={busy}>
        {t('startShift')}
      </button>
      {failure !== null && (
        <p className="notice danger" role="alert">
          {failure}
        </p>
      )}
      {unsaved !== null ? (
        <p className="notice warn" role="status">
          {t('draftWaits', { name: unsaved })}
        </p>
      ) : (
        session.endedElsewhere && (
          // The form this tab showed went as another tab ended its shift: this says why.
          <p className="notice warn" role="alert">
            {t('endedElsewhere', { guard: session.endedElsewhere.guard })}
          </p>
        )
      )}
      {enrolled && waiting !== null && (
        <p className={waiting.why === 'offline' ? 'notice' : 'notice warn'}>
          {t(
            waiting.why === 'auth'
              ? 'previousWaitingAuth'
              : waiting.why === 'anotherPhone'
                ? 'previousAnotherPhone'
                : 'previousWaiting',
            { guard: waiting.guard },
          )}{' '}
          {waiting.why === 'auth' ? (
            <a href={hrefOf('enroll')}>{t('reenroll')}</a>
          ) : (
            <a href={hrefOf('shift-end')}>{t('seeReceipts')}</a>
          )}
        </p>
      )}
      {!enrolled && (
        <p>
          <a href={hrefOf('enroll')}>{t('enrollLink')}</a>
        </p>
      )}
    </form>
  );
}

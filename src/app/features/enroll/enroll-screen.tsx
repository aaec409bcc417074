/**
 * Enrollment: the phone joins a gate on the committee's server with a single-use code, scanned
 * as a link (`/?enroll=CODE`) or typed. Afterwards it shows which server and gate the phone
 * belongs to. Re-enrolling never touches the records on the phone.
 */
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Field } from '../../ui/field';
import { common } from '../../i18n/common';
import { formatDateTime, useGateName, useLocale, useT } from '../../i18n/i18n';
import { navigate } from '../../session/route';
import { useSession } from '../../session/session';
import { EnrollError, enrollDevice, parseEnrollInput, type EnrollFailure } from '../../sync/enroll';
import { useSyncStatus } from '../../sync/use-sync';
import { messages } from './messages';

/** The code of an enrollment link this page was opened with, if any. */
function codeFromUrl(): string {
  return new URLSearchParams(location.search).get('enroll')?.trim() ?? '';
}

/**
 * Takes the code out of the address bar (it is single-use and should not linger in history or
 * be re-sent on reload) and moves to the enroll route, so the shell keeps showing this screen.
 */
function removeCodeFromUrl(): void {
  const url = new URL(location.href);
  if (!url.searchParams.has('enroll')) return;
  url.searchParams.delete('enroll');
  url.hash = '#/enroll';
  history.replaceState(history.state, '', url.pathname + url.search + url.hash);
  dispatchEvent(new Event('hashchange'));
}

/** The field a failure is about: the code, the server address, or neither (said on the form). */
function fieldOf(reason: EnrollFailure | undefined): 'code' | 'server' | undefined {
  switch (reason) {
    case 'expired':
    case 'used':
    case 'unknown':
    case 'invalid_code':
      return 'code';
    case 'bad_server_url':
    case 'not_a_server':
      return 'server';
    default:
      return undefined;
  }
}

/** What went wrong, in words, and the field it is about (undefined: the whole form). */
interface Problem {
  text: string;
  field: 'code' | 'server' | undefined;
}

export default function EnrollScreen() {
  const t = useT(common, messages);
  const showGate = useGateName();
  const { locale } = useLocale();
  const { session, reload } = useSession();
  const { authProblem } = useSyncStatus();
  const [code, setCode] = useState(codeFromUrl);
  const [serverUrl, setServerUrl] = useState('');
  const [deviceName, setDeviceName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<Problem | undefined>(undefined);
  const [enrolledGate, setEnrolledGate] = useState<string | undefined>(undefined);
  const errorId = useId();
  const codeInput = useRef<HTMLInputElement>(null);
  const serverInput = useRef<HTMLInputElement>(null);
  const more = useRef<HTMLDetailsElement>(null);
  const continueButton = useRef<HTMLButtonElement>(null);

  useEffect(removeCodeFromUrl, []);

  // A problem with a field takes the guard to it (the server address's opens its settings).
  useEffect(() => {
    if (problem?.field === 'code') codeInput.current?.focus();
    if (problem?.field === 'server') {
      if (more.current) more.current.open = true;
      serverInput.current?.focus();
    }
  }, [problem]);

  // The form, and the Enroll button tapped, make way for the gate joined: focus goes on to its
  // next step instead of falling to the page's top.
  useEffect(() => {
    if (enrolledGate !== undefined) continueButton.current?.focus();
  }, [enrolledGate]);

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy) return;
    const input = parseEnrollInput(code);
    if (!input.code) {
      setProblem({ text: t('error.invalid_code'), field: 'code' });
      return;
    }
    setBusy(true);
    setProblem(undefined);
    try {
      const result = await enrollDevice(input.code, serverUrl.trim() || input.serverUrl || '', {
        deviceName,
      });
      await reload();
      setCode('');
      setEnrolledGate(result.gate.name);
    } catch (err) {
      setProblem({
        text: describe(err),
        field: fieldOf(err instanceof EnrollError ? err.reason : undefined),
      });
    } finally {
      setBusy(false);
    }
  };

  const describe = (err: unknown): string => {
    if (!(err instanceof EnrollError)) return t('error.server');
    if (err.reason === 'rate_limited' && err.retryAfterMs !== undefined) {
      return t('error.rate_limited_s', { n: Math.ceil(err.retryAfterMs / 1000) });
    }
    return t(`error.${err.reason}`);
  };

  const enrollment = session.enrollment;
  const origin = location.origin;
  const formError = problem && !problem.field ? problem.text : undefined;
  const fieldError = (field: 'code' | 'server') =>
    problem && problem.field === field ? problem.text : undefined;
  // What is typed anew is not what the message was about.
  const edited = (field: 'code' | 'server') => {
    if (problem?.field === field) setProblem(undefined);
  };

  return (
    <section aria-labelledby="enroll-title">
      <h1 id="enroll-title">{t('enroll.title')}</h1>

      {enrolledGate !== undefined && (
        <div className="notice" role="status">
          <p>
            <strong>{t('enroll.done', { gate: showGate(enrolledGate) })}</strong>
          </p>
          <button
            ref={continueButton}
            type="button"
            className="btn primary block"
            onClick={() => navigate('checkpoint')}
          >
            {t('enroll.continue')}
          </button>
        </div>
      )}

      {authProblem && enrolledGate === undefined && (
        <p className="notice danger" role="alert">
          {t('enroll.authProblem')}
        </p>
      )}

      {enrollment && (
        <div className="card">
          <h2>{t('enroll.current')}</h2>
          <dl>
            <dt>{t('enroll.gate')}</dt>
            <dd>{session.gate ? showGate(session.gate.name) : '—'}</dd>
            <dt>{t('enroll.serverLabel')}</dt>
            <dd>{enrollment.serverUrl || origin}</dd>
            <dt>{t('enroll.enrolledAt')}</dt>
            <dd>{formatDateTime(enrollment.enrolledAt, locale)}</dd>
            <dt>{t('enroll.deviceId')}</dt>
            <dd>
              <code>{enrollment.deviceId}</code>
            </dd>
          </dl>
        </div>
      )}

      {enrolledGate === undefined && (
        <form
          onSubmit={(e) => void onSubmit(e)}
          noValidate
          aria-describedby={formError ? errorId : undefined}
        >
          {!enrollment && <p>{t('enroll.intro')}</p>}
          {enrollment && <p className="notice warn">{t('enroll.reenrollNote')}</p>}
          <Field label={t('enroll.code')} hint={t('enroll.codeHint')} error={fieldError('code')}>
            <input
              ref={codeInput}
              name="code"
              value={code}
              onChange={(e) => {
                setCode(e.target.value);
                edited('code');
              }}
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              required
            />
          </Field>
          <details ref={more}>
            <summary>{t('enroll.more')}</summary>
            <Field
              label={t('enroll.server')}
              hint={t('enroll.serverHint', { origin })}
              error={fieldError('server')}
            >
              <input
                ref={serverInput}
                name="server"
                type="url"
                inputMode="url"
                value={serverUrl}
                onChange={(e) => {
                  setServerUrl(e.target.value);
                  edited('server');
                }}
                placeholder="https://"
                autoComplete="off"
              />
            </Field>
            <Field label={t('enroll.deviceName')} hint={t('enroll.deviceNameHint')}>
              <input
                name="deviceName"
                value={deviceName}
                maxLength={80}
                onChange={(e) => setDeviceName(e.target.value)}
                autoComplete="off"
              />
            </Field>
          </details>
          {formError && (
            <p id={errorId} className="notice danger" role="alert">
              {formError}
            </p>
          )}
          <button type="submit" className="btn primary block big" disabled={busy} aria-busy={busy}>
            {busy ? t('enroll.working') : t('enroll.submit')}
          </button>
        </form>
      )}
    </section>
  );
}

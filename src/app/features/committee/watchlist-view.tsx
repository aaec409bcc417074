/**
 * The home quarantine watchlist: who is on it and until when, taking someone off, and putting
 * someone on it, known at the gate by a pass, an ID number or a phone. Phones get it at their
 * next sync and alert the guard offline.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { createWatchRequestSchema, type WatchEntry } from '../../../shared';
import { formatDate, useLocale } from '../../i18n/i18n';
import { Field } from '../../ui/field';
import type { AdminApi } from './admin-api';
import { filled, issueKeys, type FieldKeys } from './form-issues';
import { localDay } from './logs-view';
import { ScrollRegion } from './scroll-region';
import { errorText, isRefusal, useCommitteeT } from './words';

const EMPTY = { name: '', until: '', passId: '', idNumber: '', phone: '', address: '', note: '' };
type WatchForm = typeof EMPTY;

export function WatchlistView({
  api,
  onRefused,
}: {
  api: AdminApi;
  onRefused: (e: unknown) => void;
}) {
  const t = useCommitteeT();
  const { locale } = useLocale();
  const formId = useId();
  const [entries, setEntries] = useState<WatchEntry[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [form, setForm] = useState<WatchForm>(EMPTY);
  const [errors, setErrors] = useState<FieldKeys>({});
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const failed = useCallback(
    (e: unknown) => (isRefusal(e) ? onRefused(e) : setFailure(e)),
    [onRefused],
  );
  const refresh = useCallback(async () => {
    setFailure(null);
    try {
      setEntries(await api.watchlist());
    } catch (e) {
      failed(e);
    }
  }, [api, failed]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const remove = async (w: WatchEntry) => {
    if (!window.confirm(t('watch.removeConfirm', { name: w.name }))) return;
    try {
      await api.removeWatch(w.id);
      await refresh();
    } catch (e) {
      failed(e);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    const parsed = createWatchRequestSchema.safeParse(filled(form));
    const keys = parsed.success
      ? {}
      : issueKeys(parsed.error.issues, (f) =>
          f === 'until' ? 'error.date' : f === 'passId' ? 'watch.oneOf' : 'error.required',
        );
    // Said with the others (the schema checks it only once the fields are right).
    if (!form.passId.trim() && !form.idNumber.trim() && !form.phone.trim()) {
      keys.passId ??= 'watch.oneOf';
    }
    setErrors(keys);
    if (!parsed.success || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const entry = await api.addWatch(parsed.data);
      setForm(EMPTY);
      setAdded(entry.name);
      await refresh();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const field = (name: keyof WatchForm, type = 'text') => (
    <Field label={t(`watch.${name}`)} error={errors[name] && t(errors[name])}>
      <input
        type={type}
        autoComplete="off"
        {...(type === 'date' && { min: localDay() })}
        value={form[name]}
        onChange={(e) => {
          setAdded(null);
          setForm((f) => ({ ...f, [name]: e.target.value }));
        }}
      />
    </Field>
  );

  return (
    <section aria-labelledby="watch-heading">
      <h2 id="watch-heading">{t('watch.heading')}</h2>
      <p className="muted">{t('watch.intro')}</p>
      {failure !== null && (
        <p className="notice committee-error" role="alert">
          {errorText(t, failure)}{' '}
          <button type="button" className="btn" onClick={() => void refresh()}>
            {t('retry')}
          </button>
        </p>
      )}
      {entries === null ? (
        <p className="muted">{t('logs.loading')}</p>
      ) : entries.length === 0 ? (
        <p className="muted">{t('watch.none')}</p>
      ) : (
        <ScrollRegion label={t('watch.caption')}>
          <table className="committee-table">
            <caption className="sr-only">{t('watch.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('watch.name')}</th>
                <th scope="col">{t('watch.until')}</th>
                <th scope="col">{t('watch.idNumber')}</th>
                <th scope="col">{t('watch.phone')}</th>
                <th scope="col">{t('watch.passId')}</th>
                <th scope="col">{t('watch.address')}</th>
                <th scope="col">{t('watch.note')}</th>
                <th scope="col">
                  <span className="sr-only">{t('watch.removeShort')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {entries.map((w) => (
                <tr key={w.id}>
                  <th scope="row">{w.name}</th>
                  <td>{formatDate(w.until, locale)}</td>
                  <td>{w.idNumber ?? ''}</td>
                  <td>{w.phone ?? ''}</td>
                  <td>{w.passId ?? ''}</td>
                  <td>{w.address ?? ''}</td>
                  <td>{w.note ?? ''}</td>
                  <td>
                    <button
                      type="button"
                      className="btn"
                      aria-label={t('watch.remove', { name: w.name })}
                      onClick={() => void remove(w)}
                    >
                      {t('watch.removeShort')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}

      <form className="card committee-gate" noValidate onSubmit={submit} aria-labelledby={formId}>
        <h3 id={formId}>{t('watch.new')}</h3>
        <div className="committee-filter-fields">
          {field('name')}
          {field('until', 'date')}
          {field('idNumber')}
          {field('phone', 'tel')}
          {field('passId')}
          {field('address')}
        </div>
        {field('note')}
        <button type="submit" className="btn primary" disabled={busy}>
          {t('watch.add')}
        </button>
        <p role="status" className="muted">
          {added !== null ? t('watch.added', { name: added }) : ''}
        </p>
      </form>
    </section>
  );
}

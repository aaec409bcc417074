/**
 * The home quarantine watchlist: who is on it and until when, taking someone off, and putting
 * someone on it, known at the gate by a pass, an ID number or a phone. Phones get it at their
 * next sync and alert the guard offline.
 */
import { useCallback, useId, useState, type FormEvent } from 'react';
import { createWatchRequestSchema, type WatchEntry } from '../../../shared';
import { formatPassId, isWatchEnded } from '../../../shared/passes';
import { formatDate, useLocale } from '../../i18n/i18n';
import { Field } from '../../ui/field';
import {
  FailureNotice,
  FormStatus,
  useAddToList,
  useAdminList,
  type ViewProps,
} from './admin-list';
import { dayIssue, filled, issueKeys, type FieldKeys } from './form-issues';
import { localDay } from './logs-view';
import { DataTable } from './data-table';
import { useCommitteeT } from './words';

const EMPTY = { name: '', until: '', passId: '', idNumber: '', phone: '', address: '', note: '' };
type WatchForm = typeof EMPTY;
/** A field's problem other than empty or too long, as a message key. */
const OTHER_ISSUE: Partial<Record<string, string>> = {
  until: 'error.date',
  passId: 'watch.oneOf',
  idNumber: 'watch.idInvalid',
  phone: 'watch.phoneInvalid',
};
/** The schema's own words where a field can be wrong in more than one way (the pass number). */
const ISSUE_OF_MESSAGE: Partial<Record<string, string>> = { passInvalid: 'watch.passInvalid' };

export function WatchlistView({ api, onRefused, onGateGone }: Omit<ViewProps, 'gates'>) {
  const t = useCommitteeT();
  const { locale } = useLocale();
  const formId = useId();
  const list = useAdminList(
    useCallback(() => api.watchlist(), [api]),
    { onRefused, onGateGone },
  );
  const entries = list.items;
  // Read at each render: the list is read again (and drawn again) at the clerk's midnight.
  const today = localDay();
  const [form, setForm] = useState<WatchForm>(EMPTY);
  const [errors, setErrors] = useState<FieldKeys>({});
  // The entry just added, its notice said until the form is touched again or the entry removed.
  const [added, setAdded] = useState<WatchEntry | null>(null);
  const { busy, failure, add } = useAddToList(list, { onRefused, onGateGone });

  const remove = async (w: WatchEntry) => {
    if (!(await list.act(() => api.removeWatch(w.id), t('watch.removeConfirm', { name: w.name }))))
      return;
    setAdded((a) => (a?.id === w.id ? null : a));
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setAdded(null);
    const parsed = createWatchRequestSchema.safeParse(filled(form));
    const keys = parsed.success
      ? {}
      : issueKeys(
          parsed.error.issues,
          (f, message) => ISSUE_OF_MESSAGE[message] ?? OTHER_ISSUE[f] ?? 'error.required',
        );
    const day = dayIssue(form.until, localDay());
    if (day) keys.until ??= day;
    // Said with the others (the schema checks it only once the fields are right).
    if (!form.passId.trim() && !form.idNumber.trim() && !form.phone.trim()) {
      keys.passId ??= 'watch.oneOf';
    }
    setErrors(keys);
    if (!parsed.success || day) return;
    const entry = parsed.data;
    const made = await add(() => api.addWatch(entry));
    if (made === undefined) return;
    setForm(EMPTY);
    setAdded(made);
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
      <FailureNotice failure={list.failure} onRetry={() => void list.refresh()} />
      <DataTable
        items={entries}
        caption={t('watch.caption')}
        empty={t('watch.none')}
        columns={[
          t('watch.name'),
          t('watch.until'),
          t('watch.idNumber'),
          t('watch.phone'),
          t('watch.passId'),
          t('watch.address'),
          t('watch.note'),
          { hidden: t('watch.removeShort') },
        ]}
        row={(w) => (
          // Past its last day the gate's phones no longer alert (they match by `isWatchEnded` too).
          <tr key={w.id} className={isWatchEnded(w.until, today) ? 'revoked' : undefined}>
            <th scope="row">{w.name}</th>
            <td>
              {formatDate(w.until, locale)}
              {isWatchEnded(w.until, today) && <div>{t('watch.ended')}</div>}
            </td>
            <td>{w.idNumber ?? ''}</td>
            <td>{w.phone ?? ''}</td>
            <td>{w.passId === null ? '' : formatPassId(w.passId)}</td>
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
        )}
      />

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
        <FormStatus
          failure={failure}
          done={added !== null ? t('watch.added', { name: added.name }) : ''}
        />
      </form>
    </section>
  );
}

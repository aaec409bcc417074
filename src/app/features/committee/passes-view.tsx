/**
 * Resident passes: those in force (of every gate or one), revoking one, issuing one, and the
 * printable A4 sheet of their QR cards.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { createPassRequestSchema, type Gate, type Pass } from '../../../shared';
import { formatDate, useLocale } from '../../i18n/i18n';
import { Field } from '../../ui/field';
import type { AdminApi } from './admin-api';
import { filled, issueKeys, type FieldKeys } from './form-issues';
import { localDay } from './logs-view';
import { saveFile } from './save-file';
import { ScrollRegion } from './scroll-region';
import { errorText, isRefusal, useCommitteeT } from './words';

const EMPTY = { name: '', address: '', validUntil: '', gateId: '' };
type PassForm = typeof EMPTY;

export function PassesView({
  api,
  gates,
  onRefused,
}: {
  api: AdminApi;
  gates: Gate[];
  onRefused: (e: unknown) => void;
}) {
  const t = useCommitteeT();
  const { locale } = useLocale();
  const formId = useId();
  const [gateId, setGateId] = useState('');
  const [passes, setPasses] = useState<Pass[] | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [form, setForm] = useState<PassForm>(EMPTY);
  const [errors, setErrors] = useState<FieldKeys>({});
  const [created, setCreated] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const gateName = (id: string | null) =>
    id === null ? t('passes.allGates') : (gates.find((g) => g.id === id)?.name ?? id);

  const failed = useCallback(
    (e: unknown) => (isRefusal(e) ? onRefused(e) : setFailure(e)),
    [onRefused],
  );
  const refresh = useCallback(async () => {
    setFailure(null);
    try {
      setPasses(await api.passes(gateId || undefined));
    } catch (e) {
      failed(e);
    }
  }, [api, failed, gateId]);
  useEffect(() => {
    void refresh();
  }, [refresh]);

  const revoke = async (p: Pass) => {
    if (!window.confirm(t('passes.revokeConfirm', { name: p.name }))) return;
    try {
      await api.revokePass(p.id);
      await refresh();
    } catch (e) {
      failed(e);
    }
  };

  const sheet = async () => {
    setFailure(null);
    try {
      const { blob, fileName } = await api.passSheet(gateId || undefined);
      saveFile(blob, fileName);
    } catch (e) {
      failed(e);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const parsed = createPassRequestSchema.safeParse(filled(form));
    setErrors(
      parsed.success
        ? {}
        : issueKeys(parsed.error.issues, (f) =>
            f === 'validUntil' ? 'error.date' : 'error.required',
          ),
    );
    if (!parsed.success || busy) return;
    setBusy(true);
    setFailure(null);
    try {
      const pass = await api.createPass(parsed.data);
      setForm(EMPTY);
      setCreated(pass.name);
      await refresh();
    } catch (err) {
      failed(err);
    } finally {
      setBusy(false);
    }
  };

  const set = (name: keyof PassForm) => (e: { target: { value: string } }) => {
    setCreated(null);
    setForm((f) => ({ ...f, [name]: e.target.value }));
  };
  const error = (name: keyof PassForm) => errors[name] && t(errors[name]);

  return (
    <section aria-labelledby="passes-heading">
      <h2 id="passes-heading">{t('passes.heading')}</h2>
      <p className="muted">{t('passes.intro')}</p>
      <div className="committee-filter-fields">
        <Field label={t('filter.gate')}>
          <select value={gateId} onChange={(e) => setGateId(e.target.value)}>
            <option value="">{t('filter.allGates')}</option>
            {gates.map((g) => (
              <option key={g.id} value={g.id}>
                {g.name}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <p>
        <button type="button" className="btn" onClick={() => void sheet()}>
          {t('passes.sheet')}
        </button>
      </p>
      {failure !== null && (
        <p className="notice committee-error" role="alert">
          {errorText(t, failure)}{' '}
          <button type="button" className="btn" onClick={() => void refresh()}>
            {t('retry')}
          </button>
        </p>
      )}
      {passes === null ? (
        <p className="muted">{t('logs.loading')}</p>
      ) : passes.length === 0 ? (
        <p className="muted">{t('passes.none')}</p>
      ) : (
        <ScrollRegion label={t('passes.caption')}>
          <table className="committee-table">
            <caption className="sr-only">{t('passes.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('passes.name')}</th>
                <th scope="col">{t('passes.address')}</th>
                <th scope="col">{t('passes.validUntil')}</th>
                <th scope="col">{t('passes.gate')}</th>
                <th scope="col">{t('passes.id')}</th>
                <th scope="col">
                  <span className="sr-only">{t('passes.revokeShort')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {passes.map((p) => (
                <tr key={p.id}>
                  <th scope="row">{p.name}</th>
                  <td>{p.address}</td>
                  <td>{formatDate(p.validUntil, locale)}</td>
                  <td>{gateName(p.gateId)}</td>
                  <td>
                    <code>{p.id}</code>
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn danger"
                      aria-label={t('passes.revoke', { name: p.name })}
                      onClick={() => void revoke(p)}
                    >
                      {t('passes.revokeShort')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollRegion>
      )}

      <form className="card committee-gate" noValidate onSubmit={submit} aria-labelledby={formId}>
        <h3 id={formId}>{t('passes.new')}</h3>
        <div className="committee-filter-fields">
          <Field label={t('passes.name')} error={error('name')}>
            <input type="text" autoComplete="off" value={form.name} onChange={set('name')} />
          </Field>
          <Field label={t('passes.address')} error={error('address')}>
            <input type="text" autoComplete="off" value={form.address} onChange={set('address')} />
          </Field>
          <Field label={t('passes.validUntil')} error={error('validUntil')}>
            <input
              type="date"
              min={localDay()}
              value={form.validUntil}
              onChange={set('validUntil')}
            />
          </Field>
          <Field label={t('passes.gate')} error={error('gateId')}>
            <select value={form.gateId} onChange={set('gateId')}>
              <option value="">{t('passes.allGates')}</option>
              {gates.map((g) => (
                <option key={g.id} value={g.id}>
                  {g.name}
                </option>
              ))}
            </select>
          </Field>
        </div>
        <button type="submit" className="btn primary" disabled={busy}>
          {t('passes.create')}
        </button>
        <p role="status" className="muted">
          {created !== null ? t('passes.created', { name: created }) : ''}
        </p>
      </form>
    </section>
  );
}

/**
 * Resident passes: those in force (of every gate or one), revoking one, issuing one, and the
 * printable A4 sheet of their QR cards.
 */
import { useCallback, useId, useState, type FormEvent } from 'react';
import { createPassRequestSchema, type Pass } from '../../../shared';
import { PASS_MAX_DAYS, formatPassId, isPassExpired } from '../../../shared/passes';
import { formatDate, useGateName, useLocale, type Locale } from '../../i18n/i18n';
import { Field } from '../../ui/field';
import {
  FailureNotice,
  FormStatus,
  GateOptions,
  useAddToList,
  useAdminList,
  type ViewProps,
} from './admin-list';
import { dayIssue, filled, issueKeys, type FieldKeys } from './form-issues';
import { localDay } from './logs-view';
import { saveFile } from './save-file';
import { DataTable } from './data-table';
import { useCommitteeT } from './words';

const EMPTY = { name: '', address: '', validUntil: '', gateId: '' };

/**
 * The printable sheet's file name in the page's language, as the CSV's is: its day, and its
 * gate when one is chosen (出入证卡片-东门-2026-12-07.html), so sheets of several gates or days
 * do not land as gatelog-passes (1).html, (2)… A character a file name cannot hold becomes _.
 */
export function passSheetFileName(day: string, gate: string | undefined, lang: Locale): string {
  const what = lang === 'zh-CN' ? '出入证卡片' : 'gatelog-passes';
  const of = gate === undefined ? '' : `-${gate.replace(/[\\/:*?"<>|]/g, '_')}`;
  return `${what}${of}-${day}.html`;
}
type PassForm = typeof EMPTY;

export function PassesView({ api, gates, onRefused, onGateGone }: ViewProps) {
  const showGate = useGateName();
  const t = useCommitteeT();
  const { locale } = useLocale();
  const formId = useId();
  const [gateId, setGateId] = useState('');
  const list = useAdminList(
    useCallback(() => api.passes(gateId || undefined), [api, gateId]),
    { onRefused, onGateGone },
  );
  const passes = list.items;
  // Read at each render: the list is read again (and drawn again) at the clerk's midnight.
  const today = localDay();
  const [form, setForm] = useState<PassForm>(EMPTY);
  const [errors, setErrors] = useState<FieldKeys>({});
  // The pass just issued, its notice said until the form is touched again or the pass revoked.
  const [created, setCreated] = useState<Pass | null>(null);
  const { busy, failure, add } = useAddToList(list, { onRefused, onGateGone });
  // A gate no longer in the list (read again after it was removed) is no longer chosen.
  const known = (id: string) => !id || gates.some((g) => g.id === id);
  if (!known(gateId)) setGateId('');
  if (!known(form.gateId)) setForm({ ...form, gateId: '' });
  const gateName = (id: string | null) =>
    id === null ? t('passes.allGates') : showGate(gates.find((g) => g.id === id)?.name ?? id);

  // The sheet holds the passes in force on the clerk's day (the table greys the others): with
  // none it would say only "No active passes".
  const noneInForce = passes !== null && passes.every((p) => isPassExpired(p.validUntil, today));

  const revoke = async (p: Pass) => {
    if (!(await list.act(() => api.revokePass(p.id), t('passes.revokeConfirm', { name: p.name }))))
      return;
    setCreated((c) => (c?.id === p.id ? null : c));
  };

  const sheet = async () => {
    try {
      const now = new Date();
      const day = localDay(now);
      const blob = await api.passSheet(day, gateId || undefined, -now.getTimezoneOffset() || 0);
      saveFile(blob, passSheetFileName(day, gateId ? gateName(gateId) : undefined, locale));
    } catch (e) {
      list.failed(e);
    }
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const parsed = createPassRequestSchema.safeParse(filled(form));
    const keys = parsed.success
      ? {}
      : issueKeys(parsed.error.issues, (f) =>
          f === 'validUntil' ? 'error.date' : 'error.required',
        );
    const day = dayIssue(form.validUntil, localDay(), PASS_MAX_DAYS);
    if (day) keys.validUntil ??= day;
    setErrors(keys);
    if (!parsed.success || day) return;
    const pass = parsed.data;
    const issued = await add(() => api.createPass(pass));
    if (issued === undefined) return;
    setForm(EMPTY);
    setCreated(issued);
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
            <GateOptions gates={gates} all={t('filter.allGates')} />
          </select>
        </Field>
      </div>
      <p>
        <button
          type="button"
          className="btn"
          disabled={noneInForce}
          aria-describedby={noneInForce ? `${formId}-sheet-none` : undefined}
          onClick={() => void sheet()}
        >
          {t('passes.sheet')}
        </button>
        {noneInForce && (
          <span id={`${formId}-sheet-none`} className="muted">
            {' '}
            {t('passes.sheetNone')}
          </span>
        )}
      </p>
      <FailureNotice failure={list.failure} onRetry={() => void list.refresh()} />
      <DataTable
        items={passes}
        caption={t('passes.caption')}
        empty={t('passes.none')}
        columns={[
          t('passes.name'),
          t('passes.address'),
          t('passes.validUntil'),
          t('passes.gate'),
          t('passes.id'),
          { hidden: t('passes.revokeShort') },
        ]}
        row={(p) => (
          // Past its last day a pass is refused at the gate (the phone's own check): not in force.
          <tr key={p.id} className={isPassExpired(p.validUntil, today) ? 'revoked' : undefined}>
            <th scope="row">{p.name}</th>
            <td>{p.address}</td>
            <td>
              {formatDate(p.validUntil, locale)}
              {isPassExpired(p.validUntil, today) && <div>{t('passes.expired')}</div>}
            </td>
            <td>{gateName(p.gateId)}</td>
            <td>
              <code>{formatPassId(p.id)}</code>
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
        )}
      />

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
              <GateOptions gates={gates} all={t('passes.allGates')} />
            </select>
          </Field>
        </div>
        <button type="submit" className="btn primary" disabled={busy}>
          {t('passes.create')}
        </button>
        <FormStatus
          failure={failure}
          done={created !== null ? t('passes.created', { name: created.name }) : ''}
        />
      </form>
    </section>
  );
}

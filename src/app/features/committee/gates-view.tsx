/**
 * The gates and their rules (name, fever threshold, quarantine days, key regions, duty phone),
 * changed here as the command line and the API change them, checked as Settings checks a
 * phone's own gate; and a new gate. The gates are the page's (every tab's gate filter): read
 * again when this tab is shown, as the other tabs' lists are (`useAdminList`), a form keeping
 * what the clerk typed in it.
 */
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { Gate } from '../../../shared';
import { GATE_NAME_MAX, gateNameError } from '../../forms/gate-form';
import { GateRulesFields, useGateForm } from '../../forms/gate-form-fields';
import { unusualFeverQuestion } from '../../i18n/gate-rules-messages';
import { useGateName } from '../../i18n/i18n';
import { Field } from '../../ui/field';
import type { AdminApi } from './admin-api';
import {
  FailureNotice,
  useAdminList,
  useRequest,
  type FailureHandlers,
  type ViewProps,
} from './admin-list';
import { errorText, useCommitteeT } from './words';

interface Props extends ViewProps {
  /** The gates as they are now, after a change. */
  onGates: (gates: Gate[]) => void;
}

export function GatesView({ api, gates, onGates, onRefused, onGateGone }: Props) {
  const t = useCommitteeT();
  const showGate = useGateName();
  // A gate found removed when saved: its form goes with the gates read again, this stays.
  const [gone, setGone] = useState<string | null>(null);
  const handlers = { onRefused, onGateGone };
  const list = useAdminList(
    useCallback(() => api.gates(), [api]),
    handlers,
  );
  // What was read is the page's: every tab's gate filter lists it.
  useEffect(() => {
    if (list.items !== null) onGates(list.items);
  }, [list.items, onGates]);
  return (
    <section aria-labelledby="gates-heading">
      <h2 id="gates-heading">{t('gates.heading')}</h2>
      <p className="muted">{t('gates.intro')}</p>
      <FailureNotice failure={list.failure} onRetry={() => void list.refresh()} />
      {gone !== null && (
        <p className="notice committee-error" role="alert">
          {t('gates.gone', { name: showGate(gone) })}
        </p>
      )}
      {gates.map((gate) => (
        <GateForm
          key={gate.id}
          api={api}
          gate={gate}
          onSaved={(saved) => {
            onGates(gates.map((g) => (g.id === saved.id ? saved : g)));
            // A read begun before the save would answer with the gate as it was.
            void list.refresh();
          }}
          handlers={{
            onRefused,
            onGateGone: () => {
              setGone(gate.name);
              onGateGone();
            },
          }}
        />
      ))}
      <NewGate
        api={api}
        onCreated={(g) => {
          onGates([...gates, g]);
          void list.refresh();
        }}
        handlers={handlers}
      />
    </section>
  );
}

function GateForm({
  api,
  gate,
  onSaved,
  handlers,
}: {
  api: AdminApi;
  gate: Gate;
  onSaved: (gate: Gate) => void;
  handlers: FailureHandlers;
}) {
  const t = useCommitteeT();
  const showGate = useGateName();
  const headingId = useId();
  const [saved, setSaved] = useState(false);
  /** Typed in since the gate was last shown as saved or read. */
  const [edited, setEdited] = useState(false);
  const { busy, failure, run } = useRequest(handlers);
  const gateForm = useGateForm(gate.name, gate.rules, t, () => {
    setSaved(false);
    setEdited(true);
  });
  // The gate read again (another clerk's change, the command line's): shown, unless the clerk
  // has typed in this form, whose text is kept until saved.
  const [shown, setShown] = useState(gate);
  if (shown !== gate) {
    setShown(gate);
    if (!edited) gateForm.reset(gate.name, gate.rules);
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const checked = gateForm.check();
    if (!checked.ok) return;
    // A threshold that flags nearly everyone (35.0) or hardly anyone (40.0) is asked about when
    // set, not at every later save of the gate's other rules.
    const fever = checked.rules.feverThresholdC;
    const question =
      fever !== gate.rules.feverThresholdC ? unusualFeverQuestion(t, fever) : undefined;
    if (question !== undefined && !window.confirm(question)) return;
    const now = await run(() =>
      api.updateGate(gate.id, { name: checked.name, rules: checked.rules }),
    );
    if (!now) return;
    gateForm.reset(now.name, now.rules);
    setEdited(false);
    setSaved(true);
    onSaved(now);
  };

  return (
    <form className="card committee-gate" noValidate onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId}>{showGate(gate.name)}</h3>
      {/* The name as stored, to change; the page and the phones show the first start's
          bilingual name in their language, as this says. */}
      <Field
        label={t('gateName')}
        error={gateForm.error('name')}
        hint={showGate(gate.name) !== gate.name ? t('gates.defaultNameHint') : undefined}
      >
        <input
          type="text"
          autoComplete="off"
          maxLength={GATE_NAME_MAX + 20}
          value={gateForm.form.name}
          onChange={gateForm.change('name')}
        />
      </Field>
      <div className="committee-filter-fields">
        <GateRulesFields gate={gateForm} t={t} feverHint={t('gates.feverHint')} />
      </div>
      <button type="submit" className="btn primary" disabled={busy}>
        {t('gates.save', { name: showGate(gate.name) })}
      </button>
      <p role="status" className={failure === null ? 'muted' : 'committee-error'}>
        {failure !== null ? errorText(t, failure) : saved ? t('gates.saved') : ''}
      </p>
    </form>
  );
}

function NewGate({
  api,
  onCreated,
  handlers,
}: {
  api: AdminApi;
  onCreated: (gate: Gate) => void;
  handlers: FailureHandlers;
}) {
  const t = useCommitteeT();
  const showGate = useGateName();
  const headingId = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [created, setCreated] = useState<string | null>(null);
  const { busy, failure, run } = useRequest(handlers);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setCreated(null);
    const value = name.trim();
    const wrong = gateNameError(value);
    setError(wrong);
    if (wrong) return;
    const gate = await run(() => api.createGate(value));
    if (!gate) return;
    setName('');
    setCreated(gate.name);
    onCreated(gate);
  };

  return (
    <form className="card committee-gate" noValidate onSubmit={submit} aria-labelledby={headingId}>
      <h3 id={headingId}>{t('gates.new')}</h3>
      <Field label={t('gateName')} error={error && t(error)}>
        <input
          type="text"
          autoComplete="off"
          maxLength={GATE_NAME_MAX + 20}
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <button type="submit" className="btn primary" disabled={busy}>
        {t('gates.create')}
      </button>
      <p role="status" className={failure === null ? 'muted' : 'committee-error'}>
        {failure !== null
          ? errorText(t, failure)
          : created !== null
            ? t('gates.created', { name: showGate(created) })
            : ''}
      </p>
    </form>
  );
}

/**
 * Settings: the language, the gate, enrollment, storage health and the app version. The gate's
 * name and rules are set here until the phone is enrolled, checked with the same schema the
 * server uses before they are stored; an enrolled phone shows the committee's, as its server
 * last sent them, for the server judges its records by those.
 */
import { useId, useRef, useState, type FormEvent } from 'react';
import { setSetting } from '../../db';
import { GATE_NAME_MAX } from '../../forms/gate-form';
import { GateRulesFields, useGateForm } from '../../forms/gate-form-fields';
import { common } from '../../i18n/common';
import { gateRulesMessages, unusualFeverQuestion } from '../../i18n/gate-rules-messages';
import {
  LOCALES,
  formatBytes,
  formatDateTime,
  useGateName,
  useLocale,
  useT,
  type Locale,
  type Translate,
} from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ChoiceGroup } from '../../ui/choice-group';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Field } from '../../ui/field';
import { messages } from './messages';
import './settings.css';
import { useStorageHealth } from './use-storage-health';

/** Each language is named in itself, so a guard who cannot read the other one still finds it. */
const LANGUAGE_NAMES: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' };

const appVersion = typeof __APP_VERSION__ === 'string' ? __APP_VERSION__ : 'dev';

export default function SettingsScreen() {
  const t = useT(common, gateRulesMessages, messages);
  return (
    <div className="settings">
      <h1>{t('title')}</h1>
      <LanguageSection t={t} />
      <GateSection t={t} />
      <EnrollmentSection t={t} />
      <StorageSection t={t} />
      <section aria-labelledby="settings-about" className="card">
        <h2 id="settings-about">{t('about')}</h2>
        <p>
          {t('version')}
          {t('colon')}
          <strong>{appVersion}</strong>
        </p>
      </section>
    </div>
  );
}

function LanguageSection({ t }: { t: Translate }) {
  const { locale, setLocale } = useLocale();
  const choose = (l: Locale) => {
    setLocale(l);
    void setSetting('locale', l);
  };
  return (
    <section className="card">
      <ChoiceGroup
        legend={`${t('language')} · ${locale === 'en' ? '语言' : 'Language'}`}
        name="locale"
        options={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        inputProps={(l) => ({ checked: locale === l, onChange: () => choose(l), lang: l })}
      />
    </section>
  );
}

function GateSection({ t }: { t: Translate }) {
  const { session } = useSession();
  return session.enrollment ? <CommitteeGate t={t} /> : <LocalGateForm t={t} />;
}

/**
 * The gate of an enrolled phone: the committee sets its name and rules on the server, the pull
 * brings every change, and the server refuses a record that breaks them (an admitted fever by
 * its threshold), so the phone shows them and takes no edits.
 */
function CommitteeGate({ t }: { t: Translate }) {
  const { session } = useSession();
  const { locale } = useLocale();
  const showGate = useGateName();
  const { gate, rules } = session;
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('gateSection')}</h2>
      <dl className="settings-facts">
        <Fact label={t('gateName')} value={gate ? showGate(gate.name) : t('none')} />
        <Fact label={t('feverThreshold')} value={rules.feverThresholdC.toFixed(1)} />
        <Fact label={t('quarantineDays')} value={String(rules.quarantineDays)} />
        <Fact
          label={t('keyRegions')}
          value={rules.keyRegions.join(locale === 'zh-CN' ? '、' : ', ') || t('none')}
        />
        <Fact label={t('dutyPhone')} value={rules.dutyPhone || t('none')} />
      </dl>
      <p className="field-hint">{t('gateEnrolledHint')}</p>
    </section>
  );
}

/** The gate of a phone used on its own: named and given its rules here. */
function LocalGateForm({ t }: { t: Translate }) {
  const { session, reload } = useSession();
  const { gate, rules } = session;
  const headingId = useId();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const gateForm = useGateForm(gate?.name ?? '', rules, t, () => setSaved(false));
  type Checked = Extract<ReturnType<typeof gateForm.check>, { ok: true }>;
  /** A threshold outside the usual ones waits for the guard's yes (the question, what to save). */
  const [asking, setAsking] = useState<{ question: string; checked: Checked } | null>(null);
  const saveButton = useRef<HTMLButtonElement>(null);

  const save = async ({ name, rules: next }: Checked) => {
    setBusy(true);
    try {
      await setSetting('gate', { id: 'local', name, rules: next });
      await reload();
      gateForm.reset(name, next);
      setSaved(true);
    } finally {
      setBusy(false);
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    setSaved(false);
    const checked = gateForm.check();
    if (!checked.ok) return;
    // Asked when set, not at every later save of the gate's other rules.
    const fever = checked.rules.feverThresholdC;
    const question = fever !== rules.feverThresholdC ? unusualFeverQuestion(t, fever) : undefined;
    if (question !== undefined) {
      setAsking({ question, checked });
      return;
    }
    await save(checked);
  };

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('gateSection')}</h2>
      <form noValidate onSubmit={onSubmit} aria-labelledby={headingId}>
        <Field label={t('gateName')} hint={t('gateNameHint')} error={gateForm.error('name')}>
          <input
            type="text"
            autoComplete="off"
            maxLength={GATE_NAME_MAX + 20}
            value={gateForm.form.name}
            onChange={gateForm.change('name')}
          />
        </Field>
        <h3>{t('rulesSection')}</h3>
        <GateRulesFields gate={gateForm} t={t} />
        <button ref={saveButton} type="submit" className="btn primary block" disabled={busy}>
          {t('saveGate')}
        </button>
        <p role="status" className="settings-status">
          {saved ? t('saved') : ''}
        </p>
      </form>
      {asking && (
        <ConfirmDialog
          title={t('feverConfirmTitle')}
          confirmLabel={t('feverConfirmSave')}
          cancelLabel={t('feverConfirmCancel')}
          onConfirm={() => {
            setAsking(null);
            void save(asking.checked);
          }}
          onCancel={() => setAsking(null)}
          returnFocus={() => saveButton.current?.focus()}
        >
          <p>{asking.question}</p>
        </ConfirmDialog>
      )}
    </section>
  );
}

function EnrollmentSection({ t }: { t: Translate }) {
  const { locale } = useLocale();
  const showGate = useGateName();
  const { session } = useSession();
  const { enrollment, gate, deviceId } = session;
  const headingId = useId();
  const server = enrollment
    ? enrollment.serverUrl || t('thisServer', { origin: location.origin })
    : undefined;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('enrollSection')}</h2>
      <p>{enrollment ? <strong>{t('enrolled')}</strong> : t('notEnrolled')}</p>
      <dl className="settings-facts">
        {server !== undefined && <Fact label={t('server')} value={server} />}
        {enrollment && <Fact label={t('gate')} value={gate ? showGate(gate.name) : t('none')} />}
        {enrollment && gate && <Fact label={t('gateId')} value={gate.id} />}
        <Fact label={t('deviceId')} value={deviceId} />
        {enrollment && (
          <Fact label={t('enrolledAt')} value={formatDateTime(enrollment.enrolledAt, locale)} />
        )}
      </dl>
      <a className="btn block settings-link" href="#/enroll">
        {enrollment ? t('reenroll') : t('enroll')}
      </a>
    </section>
  );
}

function Fact({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function StorageSection({ t }: { t: Translate }) {
  const { locale } = useLocale();
  const { status, asking, askPersistence } = useStorageHealth();
  const headingId = useId();
  if (!status) {
    return (
      <section className="card" aria-labelledby={headingId}>
        <h2 id={headingId}>{t('storageSection')}</h2>
        <p>{t('loading')}</p>
      </section>
    );
  }
  const { persisted, usageBytes, quotaBytes, persistence, canAsk } = status;
  const persistedText =
    persisted === undefined
      ? t('persistedUnknown')
      : persisted
        ? t('persistedYes')
        : t('persistedNo');
  const askedText = !persistence?.asked
    ? t('notAsked')
    : persistence.granted
      ? t('askedGranted')
      : t('askedDenied');
  const usageText =
    usageBytes === undefined
      ? t('persistedUnknown')
      : quotaBytes === undefined
        ? formatBytes(usageBytes, locale)
        : t('usageOf', {
            used: formatBytes(usageBytes, locale),
            quota: formatBytes(quotaBytes, locale),
          });
  const unknown = persisted === undefined && usageBytes === undefined;
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('storageSection')}</h2>
      {unknown && <p className="muted">{t('storageUnknown')}</p>}
      <dl className="settings-facts">
        <div className={persisted === false ? 'settings-warn' : undefined}>
          <dt>{t('persisted')}</dt>
          <dd>{persistedText}</dd>
        </div>
        <Fact label={t('askedBefore')} value={askedText} />
        <Fact label={t('usage')} value={usageText} />
      </dl>
      {persisted === false && <p className="notice warn">{t('persistedRisk')}</p>}
      {canAsk && persisted !== true && (
        <>
          <button
            type="button"
            className="btn block"
            disabled={asking}
            onClick={() => void askPersistence()}
          >
            {t('askPersist')}
          </button>
          <p className="field-hint">{t('askPersistHint')}</p>
        </>
      )}
    </section>
  );
}

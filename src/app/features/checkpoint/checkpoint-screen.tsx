/**
 * The entry form at the gate (home screen): one person, in or out, temperature, identity,
 * returnee status, decision. The decision and quarantine date follow the gate's rules until the
 * guard changes them. Save writes one transaction; a confirmation offers Undo for a few seconds.
 */
import {
  startTransition,
  useEffect,
  useRef,
  useState,
  type ComponentProps,
  type ComponentType,
  type FormEvent,
  type ReactNode,
} from 'react';
import {
  useFormState,
  useWatch,
  type Control,
  type FieldPath,
  type UseFormReturn,
} from 'react-hook-form';
import {
  CATEGORIES,
  DECISIONS,
  ID_TYPES,
  RETURNEE_STATUSES,
  isFever,
  type Entry,
  type GateRules,
  type Person,
} from '../../../shared';
import {
  UNDO_HOLD_LEASE_MS,
  UNDO_HOLD_RENEW_MS,
  UNDO_QUESTION_MS,
  UNDO_WINDOW_MS,
} from '../../db/constants';
import { keepTabCopy, type DraftStamp } from '../../db/draft-copy';
import { loadDb, type DbModule } from '../../db/load';
import { localToday } from '../../db/time';
import { useDbQuery } from '../../db/use-db-query';
import { common } from '../../i18n/common';
import { formatDate, formatDateTime, useLocale, useT } from '../../i18n/i18n';
import { hrefOf } from '../../session/route';
import { useSession } from '../../session/session';
import { syncSoon } from '../../sync/sync-store';
import { afterPaint } from '../../ui/after-paint';
import { AlertScreen } from '../../ui/alert-screen';
import { ChoiceCheck, ChoiceGroup } from '../../ui/choice-group';
import { ConfirmDialog } from '../../ui/confirm-dialog';
import { Field } from '../../ui/field';
import { Toast } from '../../ui/toast';
import { useHeightVar } from '../../ui/use-height-var';
import {
  useErrorMessage,
  useIsSubmittedRef,
  useSubmittedErrorCount,
} from '../../forms/form-errors';
import {
  EMPTY_ENTRY,
  fromEntry,
  isBlank,
  readableTemperature,
  suggestedDecision,
  suggestedUntil,
  type EntryFormValues,
} from '../../forms/entry-form';
import { useEntryForm } from '../../forms/entry-validation';
import type { VerifiedPass } from '../../passes/pass-check';
import { PassCard, QuarantineAlert, QuarantineNotice, ScanBar } from '../../passes/pass-panel';
import type { ScannerProps } from '../../passes/scanner';
import { useOwnQuarantine, useWatchMatch } from '../../passes/use-watchlist';
import { messages } from './messages';
import { PersonLookup } from './person-lookup';
import { SavedToast, type Saved, type SavedToastHandle } from './saved-toast';
import { useDraft, useStartupDraft, type RuleEdits } from './use-draft';

const COMMON_TEMPERATURES_C = ['36.2', '36.4', '36.6', '36.8', '37.0'];

/** User Timing for the bench (tests/bench): one save's marks, tapped → committed → shown. */
function markSave(step: 'tapped' | 'committed' | 'shown'): void {
  if (step === 'tapped') {
    for (const s of ['tapped', 'committed', 'shown']) performance.clearMarks(`gatelog:save-${s}`);
  }
  performance.mark(`gatelog:save-${step}`);
}

type Fever = { name: string; temp: number };

/** How long a save runs before its button says "Saving…" (most take a few tens of ms). */
const SLOW_SAVE_MS = 300;

/**
 * `children` told whether a save has been running for a while. A quick save changes nothing on
 * the screen until its confirmation (this re-renders alone, to the same output), so no frame is
 * drawn while IndexedDB works. A second tap meanwhile is ignored by `onSubmit`'s own guard.
 */
function WhileSaving({
  control,
  children,
}: {
  control: Control<EntryFormValues, unknown, Entry>;
  children: (saving: boolean) => ReactNode;
}) {
  const { isSubmitting } = useFormState({ control });
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!isSubmitting) return;
    const timer = setTimeout(() => setSlow(true), SLOW_SAVE_MS);
    return () => {
      clearTimeout(timer);
      setSlow(false);
    };
  }, [isSubmitting]);
  return children(isSubmitting && slow);
}

const markShown = () => markSave('shown');

type EntryForm = UseFormReturn<EntryFormValues, unknown, Entry>;

/**
 * `children` with the guard's-language message of the first of `names` with an error. It
 * re-renders alone when that message changes: the form itself reads no errors, so a Save does
 * not re-render all of it before the record is written.
 */
function WithError({
  form,
  names,
  children,
}: {
  form: EntryForm;
  names: readonly FieldPath<EntryFormValues>[];
  children: (error: string | undefined) => ReactNode;
}) {
  const t = useT(common, messages);
  const message = useErrorMessage(form, names);
  return children(message ? t(`error.${message}`) : undefined);
}

/** A labelled field (ui/field.tsx) with the error of the first of `names`, read by it alone. */
function FormField({
  form,
  names,
  ...field
}: Omit<ComponentProps<typeof Field>, 'error'> & {
  form: EntryForm;
  names: readonly FieldPath<EntryFormValues>[];
}) {
  return (
    <WithError form={form} names={names}>
      {(error) => <Field {...field} error={error} />}
    </WithError>
  );
}

/** "Fields to fix: 3" under the form, once a Save has found them. */
function ErrorSummary({ form }: { form: EntryForm }) {
  const t = useT(common, messages);
  const count = useSubmittedErrorCount(form);
  if (count === 0) return null;
  return (
    <p className="field-error" role="alert">
      {t('invalid', { count })}
    </p>
  );
}

/**
 * Which of a restored draft's rule-following fields hold something else than the rules give its
 * values (an empty quarantine end is one the rules fill in).
 */
function ruleFieldsEdited(
  v: EntryFormValues,
  rules: GateRules,
): { decision: boolean; quarantine: boolean } {
  const r = v.returnee;
  const ruled = suggestedUntil(r.status, r.origin, r.arrivedOn, rules);
  const quarantine = r.quarantineUntil !== '' && r.quarantineUntil !== ruled;
  const until = quarantine ? r.quarantineUntil : ruled;
  return {
    quarantine,
    decision:
      v.decision !==
      suggestedDecision(v.direction, v.temperatureC, r.status, until, localToday(), rules),
  };
}

/**
 * Calls `onGone` once the entry whose Undo question is open can no longer be taken back: its
 * hold over (holdForUndo kept it undoable until then), or the record sent meanwhile (the end of
 * a shift sends everything) or gone. The question then closes instead of answering "Too late"
 * only when tapped.
 */
function WhileUndoHeld({ id, onGone }: { id: string; onGone: () => void }) {
  const entry = useDbQuery(async (db) => (await db.getOutboxEntry(id)) ?? null, [id]);
  // When the hold ends: at once when the record is no longer waiting to be sent.
  const heldUntil = entry === undefined ? undefined : entry ? entry.savedAt + UNDO_WINDOW_MS : 0;
  const gone = useRef(onGone);
  gone.current = onGone;
  useEffect(() => {
    if (heldUntil === undefined) return;
    const timer = setTimeout(() => gone.current(), Math.max(0, heldUntil - Date.now()));
    return () => clearTimeout(timer);
  }, [heldUntil]);
  return null;
}

/** `Scanner`: the pass scanner (features/scan), handed in by app.tsx; no Scan button without it. */
/** A shift open longer than this asks whether its guard is still on duty. */
const LONG_SHIFT_MS = 24 * 60 * 60 * 1000;

export function CheckpointScreen({ Scanner }: { Scanner?: ComponentType<ScannerProps> } = {}) {
  const t = useT(common, messages);
  const { locale } = useLocale();
  const { session, reload } = useSession();
  const { rules, shift, deviceId } = session;
  const startupDraft = useStartupDraft();
  const { form, saveTried } = useEntryForm(startupDraft.values ?? EMPTY_ENTRY, rules, localToday);
  const { register, handleSubmit, setValue, getValues, reset, control } = form;
  const submitted = useIsSubmittedRef(form);
  // The fields below the fold (category, identity, returnee, decision, note) render once the
  // top of the form has painted: the first frame at app start holds direction, name and
  // temperature sooner. Their values (a restored draft too) are in the form's state already.
  const [below, setBelow] = useState(false);
  useEffect(() => afterPaint(() => setBelow(true)), []);
  // A restored draft's decision and quarantine end stay as the guard set them by hand (stored
  // with the draft); otherwise they go on following the rules (and the watchlist). A draft
  // stored without that word keeps them where they differ from what the rules give.
  const [startupEdits] = useState(() =>
    startupDraft.values
      ? (startupDraft.edits ?? ruleFieldsEdited(startupDraft.values, rules))
      : undefined,
  );
  const decisionEdited = useRef(startupEdits?.decision ?? false);
  const quarantineEdited = useRef(startupEdits?.quarantine ?? false);
  const ruleEdits = (): RuleEdits => ({
    decision: decisionEdited.current,
    quarantine: quarantineEdited.current,
  });
  const restored = useDraft(
    form,
    startupDraft,
    (values, stored) => {
      const edits = stored ?? ruleFieldsEdited(values, rules);
      decisionEdited.current = edits.decision;
      quarantineEdited.current = edits.quarantine;
      // A Save tapped on the empty form before the draft came was not this draft's: like any
      // draft, it is unmarked until the guard's Save (the draft keeps no word of an earlier one).
      saveTried.current = false;
    },
    ruleEdits,
  );
  const savedToast = useRef<SavedToastHandle>(null);
  /** The last entry saved, in the form's shape, for its Undo to put back. */
  const undoable = useRef<{ id: string; values: EntryFormValues; edits: RuleEdits } | null>(null);
  const saveBar = useRef<HTMLDivElement>(null);
  useHeightVar(saveBar, '--save-bar-height');
  const saveRunning = useRef(false);
  const [notice, setNotice] = useState<{ text: string; tone: 'ok' | 'error' } | null>(null);
  const [fever, setFever] = useState<Fever | null>(null);
  const [scanned, setScanned] = useState<VerifiedPass | null>(null);
  /** The watchlist entry whose alert the guard has read (a quieter notice stays). */
  const [alertRead, setAlertRead] = useState<string | null>(null);
  /** The entry whose Undo waits on the guard's answer: it would replace what they typed. */
  const [undoAsked, setUndoAsked] = useState<Saved | null>(null);
  // A question gone with the form (another screen opened) was not answered: its record is let
  // go, as by Keep typing, not held back unanswerable for the rest of its 30 s.
  const askedNow = useRef(undoAsked);
  askedNow.current = undoAsked;
  /** When the open question's hold ends at the latest: UNDO_QUESTION_MS after it was asked. */
  const askedUntil = useRef(0);
  // The hold is renewed a lease at a time while the question is open: a tab killed with it open
  // (nothing let it go) leaves a hold that lapses within UNDO_HOLD_LEASE_MS, not 30 s, and End
  // shift in another tab stops saying this tab is asking. A renewal only extends a hold still on
  // (holdForUndo): a record the outbox may already send is never held again.
  useEffect(() => {
    if (!undoAsked) return;
    let open = true;
    const timer = setInterval(() => {
      const until = Math.min(Date.now() + UNDO_HOLD_LEASE_MS, askedUntil.current);
      loadDb()
        .then((db) => (open ? db.holdForUndo(undoAsked.id, until) : false))
        .catch(() => {});
    }, UNDO_HOLD_RENEW_MS);
    return () => {
      open = false;
      clearInterval(timer);
    };
  }, [undoAsked]);
  useEffect(
    () => () => {
      const asked = askedNow.current;
      if (!asked) return;
      loadDb()
        .then((db) => db.holdForUndo(asked.id, Date.now()))
        .catch(() => {});
    },
    [],
  );

  const [direction, temperature, rStatus, rOrigin, rArrived, rUntil] = useWatch({
    control,
    name: [
      'direction',
      'temperatureC',
      'returnee.status',
      'returnee.origin',
      'returnee.arrivedOn',
      'returnee.quarantineUntil',
    ],
  });
  const temperatureC = readableTemperature(temperature);
  const feverNow = temperatureC !== undefined && isFever(temperatureC, rules.feverThresholdC);
  const today = localToday();
  const [passIdValue, idNumberValue, phoneValue, nameValue] = useWatch({
    control,
    name: ['person.passId', 'person.idNumber', 'person.phone', 'person.name'],
  });
  const listed = useWatchMatch(
    { passId: passIdValue, idNumber: idNumberValue, phone: phoneValue },
    today,
  );
  const ownReturnee = useOwnQuarantine({ idNumber: idNumberValue, phone: phoneValue }, today);
  // The committee's list first (its date is the committee's word), else this phone's own.
  const watch = listed ?? ownReturnee;
  const watchOut = watch !== undefined && direction === 'out';

  // The quarantine end follows the arrival date and origin until the guard edits it.
  useEffect(() => {
    if (quarantineEdited.current) return;
    const until = suggestedUntil(rStatus, rOrigin, rArrived, rules);
    if (getValues('returnee.quarantineUntil') !== until)
      setValue('returnee.quarantineUntil', until);
  }, [rStatus, rOrigin, rArrived, rules, getValues, setValue]);

  // The decision follows the rules until the guard picks one.
  useEffect(() => {
    if (decisionEdited.current) return;
    const suggested = watchOut
      ? 'refused'
      : suggestedDecision(direction, temperature, rStatus, rUntil, today, rules);
    if (getValues('decision') !== suggested) setValue('decision', suggested);
  }, [direction, temperature, rStatus, rUntil, today, rules, watchOut, getValues, setValue]);

  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice(null), notice.tone === 'error' ? 10_000 : 3_000);
    return () => clearTimeout(timer);
  }, [notice]);

  if (!shift) return null;

  const onSave = handleSubmit(async (entry) => {
    let db: DbModule | undefined;
    try {
      db = await loadDb();
      const stored = await db.saveEntry(entry, { shift, deviceId, rules, clearDraft: true });
      markSave('committed');
      const until = entry.returnee.status === 'none' ? undefined : entry.returnee.quarantineUntil;
      savedToast.current?.show({
        id: stored.id,
        name: entry.person.name,
        at: stored.savedAt,
        // Said with the confirmation, for the guard to tell the returnee (as the form's notice).
        quarantineUntil: until && until >= localToday() ? until : undefined,
      });
      if (stored.fever) setFever({ name: entry.person.name, temp: entry.temperatureC ?? 0 });
      // The next person starts at the form's top (In/Out, pass, name), wherever this one ended.
      if (window.scrollY > 0) window.scrollTo({ top: 0, behavior: 'instant' });
      // Saved with Enter from a field: typing goes on with the next person's name, not in the
      // field the last one ended on. (A tap on Save leaves the keyboard closed.)
      const active = document.activeElement;
      if (active?.matches('input, textarea') && active.closest('form')) {
        form.setFocus('person.name');
      }
      // What Undo puts back in the form: the entry as saved, with the rule fields it followed.
      undoable.current = { id: stored.id, values: fromEntry(entry), edits: ruleEdits() };
      decisionEdited.current = false;
      quarantineEdited.current = false;
      saveTried.current = false;
      // The inputs clear at once (their refs are kept, so typing goes on working); what the
      // form derives from them re-renders after the confirmation is on the screen.
      startTransition(() => {
        reset({ ...EMPTY_ENTRY, direction: entry.direction }, { keepFieldsRef: true });
        setNotice(null);
        setScanned(null);
        setAlertRead(null);
      });
      void db.requestPersistenceOnce();
      syncSoon();
    } catch (e) {
      savedToast.current?.hide();
      if (db && e instanceof db.ShiftEndedError) {
        // Ended in another tab: the entry waits in the draft for the next shift's form, and the
        // shift start (which says so) comes on.
        const kept = { ...getValues(), ruleEdits: ruleEdits() };
        await db.saveDraft(kept, keepTabCopy(kept));
        await reload();
        return;
      }
      setNotice({
        text: db?.isQuotaError(e)
          ? t('error.quota')
          : t('error.saveFailed', { message: (e as Error).message }),
        tone: 'error',
      });
    }
  });

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    // A second tap (or Enter) while a save runs would save the same person twice.
    if (saveRunning.current) return;
    saveRunning.current = true;
    saveTried.current = true;
    markSave('tapped');
    try {
      await onSave(e);
    } finally {
      saveRunning.current = false;
    }
  };

  /** Puts `values` in the form, as a restored draft: rule fields as `edits`, no Save tried. */
  const fill = (values: EntryFormValues, edits: RuleEdits) => {
    decisionEdited.current = edits.decision;
    quarantineEdited.current = edits.quarantine;
    saveTried.current = false;
    reset(values, { keepFieldsRef: true });
  };

  // Undo means "that was wrong, let me fix it": the entry goes back into the form, not saved,
  // and into the stored draft in the undo's own transaction, so a reload or a closed app after
  // Undo finds it there. The form is filled first (its draft-keeping then holds these values,
  // not the emptied form's); if the record could not be taken back, the form is as it was.
  const onUndo = async (saved: Saved) => {
    // The Undo button goes with its toast: the guard goes on at the form's top (focus fell to
    // the page's top; the next Tab started at the header).
    form.setFocus('person.name');
    const back = undoable.current?.id === saved.id ? undoable.current : null;
    undoable.current = null;
    // A copy: getValues() shares its nested objects with the form's state, which fill changes.
    const before = { values: structuredClone(getValues()), edits: ruleEdits() };
    let draft: { values: Record<string, unknown>; stamp: DraftStamp | undefined } | undefined;
    if (back) {
      fill(back.values, back.edits);
      const values = { ...back.values, ruleEdits: back.edits };
      draft = { values, stamp: keepTabCopy(values) };
    }
    let done = false;
    try {
      done = await (await loadDb()).undoEntry(saved.id, rules, Date.now(), draft);
      setNotice({ text: done ? t('undone') : t('undoTooLate'), tone: done ? 'ok' : 'error' });
    } catch (e) {
      setNotice({ text: t('undoFailed', { message: (e as Error).message }), tone: 'error' });
    } finally {
      if (back && !done) fill(before.values, before.edits);
    }
  };

  // The guard may have begun the next person before tapping Undo: that would be replaced, so
  // they are asked first, and 'Keep typing' leaves the saved entry and what they typed alone.
  // Reading the question takes longer than the undo window leaves: the record is held back
  // (still undoable) until answered, or for UNDO_QUESTION_MS at most; the question closes itself
  // when that runs out or the record is sent meanwhile (WhileUndoHeld).
  const askUndo = async (saved: Saved) => {
    if (undoable.current?.id !== saved.id || isBlank(getValues())) return onUndo(saved);
    // Where typing goes on, whatever the answer (the Undo button went with its toast).
    form.setFocus('person.name');
    try {
      const db = await loadDb();
      const now = Date.now();
      askedUntil.current = now + UNDO_QUESTION_MS;
      if (await db.holdForUndo(saved.id, now + UNDO_HOLD_LEASE_MS)) {
        setUndoAsked(saved);
        return;
      }
      undoable.current = null;
      setNotice({ text: t('undoTooLate'), tone: 'error' });
    } catch (e) {
      setNotice({ text: t('undoFailed', { message: (e as Error).message }), tone: 'error' });
    }
  };

  /** The question's entry can no longer be undone: it closes, saying so; the typing stays. */
  const undoGone = () => {
    setUndoAsked(null);
    undoable.current = null;
    setNotice({ text: t('undoTooLate'), tone: 'error' });
  };

  /** 'Keep typing': the entry stays saved, and goes to the server as if never held. */
  const keepTyping = (saved: Saved) => {
    setUndoAsked(null);
    undoable.current = null;
    loadDb()
      .then((db) => db.holdForUndo(saved.id, Date.now()))
      .then(
        () => syncSoon(),
        // Not let go now: it goes once the hold is over.
        () => {},
      );
  };

  const fillPerson = (p: Person) => {
    setValue(
      'person',
      {
        category: p.category,
        name: p.name,
        idType: p.idType ?? 'cn_resident_id',
        idNumber: p.idNumber ?? '',
        phone: p.phone ?? '',
        address: p.address ?? '',
        passId: p.passId ?? '',
      },
      { shouldValidate: submitted.current },
    );
    // The result tapped goes with the list: on to what the lookup cannot fill in.
    form.setFocus('temperatureC');
  };

  const fillFromPass = (p: VerifiedPass) => {
    setValue(
      'person',
      {
        ...EMPTY_ENTRY.person,
        category: 'resident',
        name: p.name,
        address: p.address,
        passId: p.id,
      },
      { shouldValidate: submitted.current },
    );
    setScanned(p);
  };

  const clearPass = () => {
    setValue('person.passId', '');
    setScanned(null);
  };

  return (
    <form onSubmit={onSubmit} noValidate aria-label={t('title')} aria-busy={!restored}>
      <h1 className="sr-only">{t('title')}</h1>
      {Date.now() - Date.parse(shift.startedAt) > LONG_SHIFT_MS && (
        // A shift left open: entries would go on under the guard who began it, and its
        // records would wait for a receipt that never comes.
        <p className="notice warn">
          {t('longShift', {
            guard: shift.guard,
            since: formatDateTime(shift.startedAt, locale),
          })}{' '}
          <a href={hrefOf('shift-end')}>{t('nav.endShift')}</a>
        </p>
      )}
      <ChoiceGroup
        big
        hideLegend
        legend={t('direction')}
        name="direction"
        options={[
          { value: 'in', label: t('direction.in') },
          { value: 'out', label: t('direction.out') },
        ]}
        inputProps={() => register('direction')}
      />

      <ScanBar Scanner={Scanner} onPass={fillFromPass} today={today} />

      <PersonLookup onPick={fillPerson} />

      <FormField form={form} names={['person.name']} label={t('name')}>
        <input type="text" autoComplete="off" {...register('person.name')} />
      </FormField>

      <FormField form={form} names={['temperatureC']} label={t('temperature')}>
        <input
          type="text"
          inputMode="decimal"
          autoComplete="off"
          placeholder="36.5"
          {...register('temperatureC')}
        />
      </FormField>
      {feverNow && (
        <p className="notice danger" role="alert">
          {t('feverInline', { threshold: rules.feverThresholdC.toFixed(1) })}
        </p>
      )}
      <div
        className="chips temps"
        role="group"
        aria-label={t('commonTemps')}
        style={{ marginTop: -4, marginBottom: 12 }}
      >
        {COMMON_TEMPERATURES_C.map((v) => (
          <button
            key={v}
            type="button"
            className="chip"
            aria-label={t('degrees', { t: v })}
            onClick={() =>
              setValue('temperatureC', v, {
                shouldValidate: submitted.current,
                shouldTouch: true,
              })
            }
          >
            {v}
          </button>
        ))}
      </div>
      {watch && (direction === 'in' || alertRead === watch.id) && (
        <QuarantineNotice watch={watch} name={nameValue} />
      )}
      {scanned && passIdValue === scanned.id && (
        <WhileSaving control={control}>
          {(saving) => <PassCard pass={scanned} saving={saving} onClear={clearPass} />}
        </WhileSaving>
      )}

      {below ? (
        <>
          <ChoiceGroup
            legend={t('category')}
            name="person.category"
            options={CATEGORIES.map((c) => ({ value: c, label: t(`category.${c}`) }))}
            inputProps={() => register('person.category')}
          />

          <div className="row">
            <Field label={t('idType')}>
              <select {...register('person.idType')}>
                {ID_TYPES.map((v) => (
                  <option key={v} value={v}>
                    {t(`idType.${v}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <FormField form={form} names={['person.idNumber', 'person.idType']} label={t('idNumber')}>
            <input
              type="text"
              autoComplete="off"
              autoCapitalize="characters"
              {...register('person.idNumber')}
            />
          </FormField>
          <FormField form={form} names={['person.phone']} label={t('phone')}>
            <input type="tel" inputMode="tel" autoComplete="off" {...register('person.phone')} />
          </FormField>
          <FormField form={form} names={['person.address']} label={t('address')}>
            <input type="text" autoComplete="off" {...register('person.address')} />
          </FormField>

          <section aria-label={t('returneeSection')} className="card">
            <ChoiceGroup
              legend={t('returnee')}
              name="returnee.status"
              options={RETURNEE_STATUSES.map((s) => ({ value: s, label: t(`returnee.${s}`) }))}
              inputProps={() => register('returnee.status')}
            />
            {rStatus !== 'none' && (
              <>
                <FormField form={form} names={['returnee.origin']} label={t('origin')}>
                  <input type="text" autoComplete="off" {...register('returnee.origin')} />
                </FormField>
                <FormField form={form} names={['returnee.arrivedOn']} label={t('arrivedOn')}>
                  <input type="date" max={today} {...register('returnee.arrivedOn')} />
                </FormField>
                <FormField
                  form={form}
                  names={['returnee.quarantineUntil']}
                  label={t('quarantineUntil')}
                  hint={t('quarantineHint')}
                >
                  <input
                    type="date"
                    {...register('returnee.quarantineUntil', {
                      onChange: () => (quarantineEdited.current = true),
                    })}
                  />
                </FormField>
                {/* A live region from the moment the returnee's fields show, so a screen reader
                    hears the notice when the arrival date brings it. */}
                <div role="status">
                  {rUntil && rUntil >= today && (
                    <p className="notice warn">
                      {t('underQuarantine', { date: formatDate(rUntil, locale) })}
                    </p>
                  )}
                </div>
                <ChoiceCheck label={t('registered')} inputProps={register('returnee.registered')} />
              </>
            )}
          </section>

          <WithError form={form} names={['decision']}>
            {(error) => (
              <ChoiceGroup
                legend={t('decision')}
                name="decision"
                options={DECISIONS.map((d) => ({ value: d, label: t(`decision.${d}`) }))}
                inputProps={() =>
                  register('decision', { onChange: () => (decisionEdited.current = true) })
                }
                error={error}
              />
            )}
          </WithError>

          <FormField form={form} names={['note']} label={t('note')}>
            <textarea rows={2} {...register('note')} />
          </FormField>
        </>
      ) : (
        // Holds the place of what follows, so the Save button does not move when it comes.
        <div className="form-below-placeholder" />
      )}

      <ErrorSummary form={form} />
      {/* Kept above the tab bar, so the thumb finds Save after the name and temperature. */}
      <div ref={saveBar} className="save-bar">
        {/* What went wrong with a Save or an Undo, right above Save and whole whatever its
            length (over the tab bar, 'storage full' grew over Save); a live region from the
            start, so it is heard when it comes. An alert (assertive), as WAI-ARIA has it for
            important, time-sensitive words: the person just entered is not in the logbook, or
            the entry undone is not (polite, a status waits its turn behind what is being
            read, the next person's typing echoed). 'Saved' and 'Undone' stay polite
            (role=status). */}
        <div role="alert" className="save-bar-notice">
          {notice?.tone === 'error' && <p className="notice danger">{notice.text}</p>}
        </div>
        <WhileSaving control={control}>
          {(saving) => (
            <button type="submit" className="btn primary block big" disabled={saving}>
              {saving ? t('saving') : t('save')}
            </button>
          )}
        </WhileSaving>
      </div>

      <SavedToast
        ref={savedToast}
        text={({ name, quarantineUntil }) =>
          quarantineUntil
            ? {
                who: t('savedReturnee', { name }),
                until: t('savedUntil', { date: formatDate(quarantineUntil, locale) }),
              }
            : { who: t('saved', { name }) }
        }
        undoLabel={t('undo')}
        onUndo={(saved) => void askUndo(saved)}
        onShown={markShown}
      />
      {undoAsked && (
        <ConfirmDialog
          title={t('undoAskTitle', { name: undoAsked.name })}
          confirmLabel={t('undoReplace')}
          cancelLabel={t('undoKeepTyping')}
          onConfirm={() => {
            setUndoAsked(null);
            void onUndo(undoAsked);
          }}
          onCancel={() => keepTyping(undoAsked)}
          returnFocus={() => form.setFocus('person.name')}
        >
          <p>{t('undoAskBody', { name: undoAsked.name })}</p>
          <p>{t('undoAskKeep', { name: undoAsked.name })}</p>
          <WhileUndoHeld id={undoAsked.id} onGone={undoGone} />
        </ConfirmDialog>
      )}
      {notice?.tone === 'ok' && <Toast>{notice.text}</Toast>}
      {watch && watchOut && alertRead !== watch.id && (
        <QuarantineAlert
          watch={watch}
          name={nameValue}
          dutyPhone={rules.dutyPhone}
          onDismiss={() => setAlertRead(watch.id)}
        />
      )}
      {fever && (
        <AlertScreen
          title={t('feverTitle')}
          dismissLabel={t('feverDismiss')}
          onDismiss={() => setFever(null)}
          // The next person: the form has been emptied for them.
          returnFocus={() => form.setFocus('person.name')}
        >
          <div className="big-number">{t('degrees', { t: fever.temp.toFixed(1) })}</div>
          <p>{t('feverBody', { name: fever.name, temp: fever.temp.toFixed(1) })}</p>
          {rules.dutyPhone ? (
            <a href={`tel:${rules.dutyPhone}`}>{t('dutyPhone', { phone: rules.dutyPhone })}</a>
          ) : (
            <p>{t('noDutyPhone')}</p>
          )}
        </AlertScreen>
      )}
    </form>
  );
}

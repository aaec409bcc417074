/**
 * Correcting an entry: the entry's fields prefilled, checked with the same schema as the gate
 * form, saved as a NEW record whose `amends` names the original. The original is never edited.
 */
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { get, useWatch, type FieldErrors } from 'react-hook-form';
import {
  CATEGORIES,
  DECISIONS,
  DIRECTIONS,
  ID_TYPES,
  RETURNEE_STATUSES,
  type Entry,
} from '../../../shared';
import {
  ShiftEndedError,
  isQuotaError,
  localToday,
  saveEntry,
  type Shift,
  type StoredRecord,
} from '../../db';
import { correctionCopy, keepCorrectionCopy, type CorrectionBegun } from '../../db/draft-copy';
import type { Translate } from '../../i18n/i18n';
import { useSession } from '../../session/session';
import { ChoiceCheck, ChoiceGroup } from '../../ui/choice-group';
import { Field } from '../../ui/field';
import { fromEntry, restoreDraft, suggestedDecision, suggestedUntil } from '../../forms/entry-form';
import { useEntryForm } from '../../forms/entry-validation';

interface CorrectionFormProps {
  original: StoredRecord;
  t: Translate;
  onSaved: (id: string) => void;
  onCancel: () => void;
}

const begunIn = (shift: Shift | undefined): CorrectionBegun | undefined =>
  shift && { shiftId: shift.id, guard: shift.guard };

export function CorrectionForm({ original, t, onSaved, onCancel }: CorrectionFormProps) {
  const { session } = useSession();
  const { rules, shift, deviceId } = session;
  // What was typed for this record before its sheet closed (a Back gesture), else the record.
  const [kept] = useState(() => {
    const copy = correctionCopy(original.id);
    const values = restoreDraft(copy?.values);
    return values && { values, begun: copy?.begun };
  });
  const { form, saveTried } = useEntryForm(
    kept?.values ?? fromEntry(original.record),
    rules,
    localToday,
  );
  const { register, handleSubmit, control, setValue, getValues, formState } = form;
  // The shift this correction was begun in: the kept one's, else the first shift it is open in.
  const [begun, setBegun] = useState(() => (kept ? kept.begun : begunIn(shift)));
  if (!kept && begun === undefined && shift) setBegun(begunIn(shift));
  const begunRef = useRef(begun);
  useEffect(() => {
    begunRef.current = begun;
  }, [begun]);
  useEffect(
    () =>
      form.subscribe({
        formState: { values: true },
        callback: ({ values }) => keepCorrectionCopy(original.id, { ...values }, begunRef.current),
      }),
    [form, original.id],
  );
  const discard = () => {
    keepCorrectionCopy(original.id, null);
    onCancel();
  };
  const [failure, setFailure] = useState<string | null>(null);
  const [status, origin, arrivedOn, direction, temperature, until] = useWatch({
    control,
    name: [
      'returnee.status',
      'returnee.origin',
      'returnee.arrivedOn',
      'direction',
      'temperatureC',
      'returnee.quarantineUntil',
    ],
  });
  const { dirtyFields } = formState;
  const returneeTouched = Boolean(
    dirtyFields.returnee?.status || dirtyFields.returnee?.origin || dirtyFields.returnee?.arrivedOn,
  );
  const decidingTouched = Boolean(
    returneeTouched ||
    dirtyFields.direction ||
    dirtyFields.temperatureC ||
    dirtyFields.returnee?.quarantineUntil,
  );

  // The quarantine date follows the gate's rules when the arrival changes; it stays editable.
  useEffect(() => {
    if (!returneeTouched) return;
    setValue('returnee.quarantineUntil', suggestedUntil(status, origin, arrivedOn, rules));
  }, [returneeTouched, status, origin, arrivedOn, rules, setValue]);

  // So does the decision, as on the entry form, once what decides it changed (a temperature
  // corrected to a fever refers the person), until the guard picks one here: the original's
  // stays as it was while nothing that decides it changed.
  const decisionPicked = Boolean(dirtyFields.decision);
  useEffect(() => {
    if (!decidingTouched || decisionPicked) return;
    // Judged on the day of the passage it corrects (kept as its time), not the day of the fix:
    // a returnee refused at 23:50 stays refused when the spelling is fixed at 00:10.
    const suggested = suggestedDecision(direction, temperature, status, until, original.day, rules);
    if (getValues('decision') !== suggested) setValue('decision', suggested);
  }, [
    decidingTouched,
    decisionPicked,
    direction,
    temperature,
    status,
    until,
    original.day,
    rules,
    getValues,
    setValue,
  ]);

  const err = (path: string): string | undefined => {
    const message = (get(formState.errors as FieldErrors, path) as { message?: string } | undefined)
      ?.message;
    return message ? t(`error.${message}`) : undefined;
  };

  const save = async (entry: Entry) => {
    setFailure(null);
    if (!shift) return;
    try {
      const saved = await saveEntry(
        { ...entry, amends: original.id },
        { shift, deviceId, rules, occurredAt: original.record.occurredAt },
      );
      keepCorrectionCopy(original.id, null);
      onSaved(saved.id);
    } catch (e) {
      // A shift ended in another tab of the app is said in the guard's words, not the error's.
      setFailure(
        e instanceof ShiftEndedError
          ? t('correctShiftEnded')
          : isQuotaError(e)
            ? t('error.quota')
            : t('error.saveFailed', { message: (e as Error).message }),
      );
    }
  };

  const onSubmit = (e: FormEvent) => {
    saveTried.current = true;
    return handleSubmit(save)(e);
  };

  return (
    <form noValidate onSubmit={(e) => void onSubmit(e)} aria-label={t('correctTitle')}>
      <p className="muted">{t('correctHint')}</p>
      {!shift ? (
        // The shift ended (in another tab) while this was typed: nothing to save it with until
        // the next shift, so no Save; what was typed stays in the form and the tab's copy.
        <p className="notice warn" role="alert">
          {t('correctShiftGone')}
        </p>
      ) : (
        begun &&
        begun.shiftId !== shift.id && (
          // Typed by the guard of an earlier shift and never saved: saved now, it is this
          // shift's correction, so the guard checks it first (or discards it with Cancel).
          <p className="notice warn" role="status">
            {t('correctFromEarlierShift', { guard: begun.guard })}
          </p>
        )
      )}
      <ChoiceGroup
        legend={t('direction')}
        name="direction"
        options={DIRECTIONS.map((v) => ({ value: v, label: t(`direction.${v}`) }))}
        inputProps={() => register('direction')}
      />
      <Field label={t('name')} error={err('person.name')}>
        <input autoComplete="off" {...register('person.name')} />
      </Field>
      <Field label={t('temperature')} error={err('temperatureC')}>
        <input inputMode="decimal" autoComplete="off" {...register('temperatureC')} />
      </Field>
      <ChoiceGroup
        legend={t('category')}
        name="person.category"
        options={CATEGORIES.map((v) => ({ value: v, label: t(`category.${v}`) }))}
        inputProps={() => register('person.category')}
        error={err('person.category')}
      />
      <Field label={t('idType')} error={err('person.idType')}>
        <select {...register('person.idType')}>
          <option value="">{t('none')}</option>
          {ID_TYPES.map((v) => (
            <option key={v} value={v}>
              {t(`idType.${v}`)}
            </option>
          ))}
        </select>
      </Field>
      <Field label={t('idNumber')} error={err('person.idNumber')}>
        <input autoComplete="off" autoCapitalize="characters" {...register('person.idNumber')} />
      </Field>
      <Field label={t('phone')} error={err('person.phone')}>
        <input type="tel" inputMode="tel" autoComplete="off" {...register('person.phone')} />
      </Field>
      <Field label={t('address')} error={err('person.address')}>
        <input autoComplete="off" {...register('person.address')} />
      </Field>
      <section aria-label={t('returneeSection')} className="card">
        <ChoiceGroup
          legend={t('returnee')}
          name="returnee.status"
          options={RETURNEE_STATUSES.map((v) => ({ value: v, label: t(`returnee.${v}`) }))}
          inputProps={() => register('returnee.status')}
        />
        {status !== 'none' && (
          <>
            <Field label={t('origin')} error={err('returnee.origin')}>
              <input autoComplete="off" {...register('returnee.origin')} />
            </Field>
            {/* One under the other, as on the entry form the guard knows. */}
            <Field label={t('arrivedOn')} error={err('returnee.arrivedOn')}>
              <input type="date" max={localToday()} {...register('returnee.arrivedOn')} />
            </Field>
            <Field
              label={t('quarantineUntil')}
              hint={t('quarantineHint')}
              error={err('returnee.quarantineUntil')}
            >
              <input type="date" {...register('returnee.quarantineUntil')} />
            </Field>
            <ChoiceCheck label={t('registered')} inputProps={register('returnee.registered')} />
          </>
        )}
      </section>
      <ChoiceGroup
        legend={t('decision')}
        name="decision"
        options={DECISIONS.map((v) => ({ value: v, label: t(`decision.${v}`) }))}
        inputProps={() => register('decision')}
        error={err('decision')}
      />
      <Field label={t('note')} error={err('note')}>
        <textarea rows={2} {...register('note')} />
      </Field>
      {failure && (
        <p className="notice danger" role="alert">
          {failure}
        </p>
      )}
      <div className="log-actions">
        <button type="button" className="btn" onClick={discard}>
          {t('cancel')}
        </button>
        {shift && (
          <button type="submit" className="btn primary" disabled={formState.isSubmitting}>
            {t('saveCorrection')}
          </button>
        )}
      </div>
    </form>
  );
}

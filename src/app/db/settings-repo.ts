/**
 * Device settings: who this phone is, which gate and server it belongs to, the guards who
 * use it, the language, the half-filled form. Everything read back is parsed; bad stored data
 * falls back to a safe default instead of breaking the app. Storing an enrollment is in
 * enrollment-repo.ts.
 */
import { DEFAULT_GATE_RULES, type GateRules } from '../../shared';
import { db } from './db';
import { endStamp, type DraftStamp } from './draft-copy';
import { parseSetting, type SettingKey, type SettingValue } from './settings-schema';
import { uuidv7 } from './uuid';

export * from './settings-schema';

/** A setting, or undefined when absent or unreadable. */
export async function getSetting<K extends SettingKey>(
  key: K,
): Promise<SettingValue<K> | undefined> {
  return parseSetting(key, await db.settings.get(key));
}

/** Several settings in one request (in the caller's transaction, if any); absent ones left out. */
export async function getSettings<K extends SettingKey>(
  keys: readonly K[],
): Promise<{ [P in K]?: SettingValue<P> }> {
  const rows = await db.settings.bulkGet([...keys]);
  const out: { [P in K]?: SettingValue<P> } = {};
  keys.forEach((key, i) => {
    const value = parseSetting(key, rows[i]);
    if (value !== undefined) out[key] = value;
  });
  return out;
}

export async function setSetting<K extends SettingKey>(
  key: K,
  value: SettingValue<K>,
): Promise<void> {
  await db.settings.put({ key, value });
}

export async function deleteSetting(key: SettingKey): Promise<void> {
  await db.settings.delete(key);
}

/** This phone's id: made once, kept for ever (enrollment replaces it with the server's). */
export async function getDeviceId(): Promise<string> {
  return db.transaction('rw', db.settings, async () => {
    const enrolled = await getSetting('enrollment');
    if (enrolled) return enrolled.deviceId;
    const known = await getSetting('deviceId');
    if (known) return known;
    const id = `local-${uuidv7()}`;
    await setSetting('deviceId', id);
    return id;
  });
}

/** The gate's rules, or the built-in defaults until a gate is set or enrolled. */
export async function getGateRules(): Promise<GateRules> {
  return (await getSetting('gate'))?.rules ?? DEFAULT_GATE_RULES;
}

/** Remembers a guard's name, most recent first, for the pick list at shift start. */
export async function rememberGuard(name: string): Promise<void> {
  const trimmed = name.trim();
  if (!trimmed) return;
  await db.transaction('rw', db.settings, async () => {
    const guards = (await getSetting('guards')) ?? [];
    await setSetting('guards', [trimmed, ...guards.filter((g) => g !== trimmed)].slice(0, 20));
  });
}

/**
 * Keeps the half-filled entry form, so a reload or an update never loses it; `stamp` says which
 * tab wrote it, and when (db/draft-copy.ts). A blank form removes the stored draft unless another
 * tab's is there.
 */
export async function saveDraft(
  values: Record<string, unknown> | undefined,
  stamp?: DraftStamp,
): Promise<void> {
  if (values) return setSetting('draft', stamp ? { ...values, stamp } : values);
  await db.settings
    .where(':id')
    .equals('draft')
    .filter(({ value }) => {
      const tab = (value as { stamp?: Partial<DraftStamp> } | undefined)?.stamp?.tab;
      return !stamp || !tab || tab === stamp.tab;
    })
    .delete();
}

/** What ends this tab's draft in the store (a Save, a shift's end): a marker, or nothing. */
export function draftEnd(): { key: 'draft'; value: { stamp: DraftStamp } } | undefined {
  const stamp = endStamp();
  return stamp && { key: 'draft', value: { stamp } };
}

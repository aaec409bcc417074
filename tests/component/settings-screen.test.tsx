import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import SettingsScreen from '../../src/app/features/settings/settings-screen';
import { GateLogDb, getSetting, setDb, setSetting } from '../../src/app/db';
import { LocaleContext, type Locale } from '../../src/app/i18n/i18n';
import { SessionProvider } from '../../src/app/session/session';
import { DEFAULT_GATE_RULES } from '../../src/shared';

let dbNo = 0;

function Harness({ initial }: { initial: Locale }) {
  const [locale, setLocale] = useState<Locale>(initial);
  return (
    <LocaleContext.Provider value={{ locale, setLocale }}>
      <SessionProvider fallback={<p>starting</p>}>
        <SettingsScreen />
      </SessionProvider>
    </LocaleContext.Provider>
  );
}

async function renderSettings(locale: Locale = 'en') {
  const user = userEvent.setup();
  render(<Harness initial={locale} />);
  await screen.findByRole('heading', { level: 1 });
  return user;
}

/** A `<dl>`'s terms and their values. */
function facts(within: HTMLElement): Record<string, string> {
  return Object.fromEntries(
    [...within.querySelectorAll('dl > div')].map((row) => [
      row.querySelector('dt')!.textContent,
      row.querySelector('dd')!.textContent,
    ]),
  );
}

const ENROLLMENT = {
  serverUrl: 'https://gatelog.example.org',
  deviceId: 'dev-42',
  token: 'secret-token',
  enrolledAt: '2020-02-03T08:00:00.000+08:00',
};

beforeEach(() => {
  setDb(new GateLogDb(`settings-${Date.now()}-${dbNo++}`));
});

afterEach(() => {
  // Tests that give jsdom a StorageManager take it away again.
  delete (navigator as { storage?: unknown }).storage;
});

describe('settings', () => {
  it('switches the language and remembers it', async () => {
    const user = await renderSettings('en');
    expect(screen.getByRole('heading', { name: 'Settings', level: 1 })).toBeInTheDocument();
    const chinese = screen.getByRole('radio', { name: '中文' });
    expect(screen.getByRole('radio', { name: 'English' })).toBeChecked();
    await user.click(chinese);
    expect(await screen.findByRole('heading', { name: '设置', level: 1 })).toBeInTheDocument();
    expect(chinese).toBeChecked();
    expect(screen.getByRole('button', { name: '保存门岗设置' })).toBeInTheDocument();
    await waitFor(async () => expect(await getSetting('locale')).toBe('zh-CN'));
    await user.click(screen.getByRole('radio', { name: 'English' }));
    expect(await screen.findByRole('heading', { name: 'Settings', level: 1 })).toBeInTheDocument();
  });

  it('checks the gate rules, saves nothing while they are wrong, then saves a local gate', async () => {
    const user = await renderSettings();
    const fever = screen.getByRole('textbox', { name: 'Fever at or above (°C)' });
    const days = screen.getByRole('textbox', { name: 'Home quarantine days' });
    const regions = screen.getByRole('textbox', { name: 'Key regions' });
    expect(fever).toHaveValue('37.3');
    expect(days).toHaveValue('14');
    await user.clear(fever);
    await user.type(fever, '41');
    await user.clear(days);
    await user.type(days, '7.5');
    await user.click(screen.getByRole('button', { name: 'Save gate settings' }));
    expect(
      await screen.findByText('Enter a temperature from 35.0 to 40.0 with one decimal'),
    ).toBeInTheDocument();
    expect(screen.getByText('Enter whole days from 0 to 60')).toBeInTheDocument();
    expect(screen.getByText('Required')).toBeInTheDocument(); // the gate name
    expect(fever).toHaveAttribute('aria-invalid', 'true');
    expect(await getSetting('gate')).toBeUndefined();

    await user.type(screen.getByRole('textbox', { name: 'Gate name' }), 'South gate');
    await user.clear(fever);
    await user.type(fever, '37.25');
    await user.click(screen.getByRole('button', { name: 'Save gate settings' }));
    expect(
      await screen.findByText('Enter a temperature from 35.0 to 40.0 with one decimal'),
    ).toBeInTheDocument();

    await user.clear(fever);
    await user.type(fever, '37.5');
    await user.clear(days);
    await user.type(days, '7');
    await user.clear(regions);
    await user.type(regions, '湖北，温州{Enter}浙江, 湖北');
    await user.type(screen.getByRole('textbox', { name: 'Committee duty phone' }), '021-55551234');
    await user.click(screen.getByRole('button', { name: 'Save gate settings' }));
    expect(await screen.findByText('Saved')).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(await getSetting('gate')).toEqual({
      id: 'local',
      name: 'South gate',
      rules: {
        feverThresholdC: 37.5,
        quarantineDays: 7,
        keyRegions: ['湖北', '温州', '浙江'],
        dutyPhone: '021-55551234',
      },
    });
    expect(regions).toHaveValue('湖北\n温州\n浙江');
  });

  it('asks before saving a fever threshold that flags nearly everyone, or hardly anyone', async () => {
    const user = await renderSettings('zh-CN');
    await user.type(screen.getByRole('textbox', { name: '门岗名称' }), '南门');
    const fever = screen.getByRole('textbox', { name: '发热标准（℃ 及以上）' });
    const save = screen.getByRole('button', { name: '保存门岗设置' });
    await user.clear(fever);
    await user.type(fever, '35');
    await user.click(save);
    const question = await screen.findByRole('alertdialog', { name: '发热标准不同寻常' });
    expect(question).toHaveTextContent(
      '把发热标准设为 35.0 ℃？通常在 37.0–38.5 ℃ 之间（默认 37.3 ℃）。这么低，几乎每个人都会被判为发热、不予放行。确定保存吗？',
    );
    // "Do not save" is the first focus: nothing saved, the typing kept.
    expect(within(question).getByRole('button', { name: '不保存' })).toHaveFocus();
    await user.keyboard('{Enter}');
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
    expect(fever).toHaveValue('35');
    expect(await getSetting('gate')).toBeUndefined();

    await user.click(save);
    await user.click(
      within(await screen.findByRole('alertdialog')).getByRole('button', { name: '仍然保存' }),
    );
    expect(await screen.findByText('已保存', {}, { timeout: 5_000 })).toBeInTheDocument();
    expect((await getSetting('gate'))?.rules.feverThresholdC).toBe(35);
    // The gate's other rules saved later are not asked about again; a usual threshold never is.
    const days = screen.getByRole('textbox', { name: '居家隔离天数' });
    await user.clear(days);
    await user.type(days, '21');
    await user.click(save);
    expect(await screen.findByText('已保存', {}, { timeout: 5_000 })).toBeInTheDocument();
    expect((await getSetting('gate'))?.rules.quarantineDays).toBe(21);
    await user.clear(fever);
    await user.type(fever, '38.5');
    await user.click(save);
    expect(await screen.findByText('已保存', {}, { timeout: 5_000 })).toBeInTheDocument();
    expect((await getSetting('gate'))?.rules.feverThresholdC).toBe(38.5);
    expect(screen.queryByRole('alertdialog')).not.toBeInTheDocument();
  });

  it('shows the enrollment, and the gate as the committee set it, with nothing to edit', async () => {
    await setSetting('enrollment', ENROLLMENT);
    await setSetting('gate', {
      id: 'gate-7',
      name: 'East gate',
      rules: { ...DEFAULT_GATE_RULES, keyRegions: ['湖北', '温州'], dutyPhone: '' },
    });
    await renderSettings();
    const enrollment = screen.getByRole('region', { name: 'Enrollment' });
    expect(within(enrollment).getByText('This phone is enrolled')).toBeInTheDocument();
    expect(within(enrollment).getByText('https://gatelog.example.org')).toBeInTheDocument();
    expect(within(enrollment).getByText('East gate')).toBeInTheDocument();
    expect(within(enrollment).getByText('gate-7')).toBeInTheDocument();
    expect(within(enrollment).getByText('dev-42')).toBeInTheDocument();
    expect(within(enrollment).queryByText('secret-token')).not.toBeInTheDocument();
    expect(within(enrollment).getByRole('link', { name: 'Enroll again' })).toHaveAttribute(
      'href',
      '#/enroll',
    );

    // The server judges this phone's records by the committee's rules: the phone shows them.
    const gate = screen.getByRole('region', { name: 'Gate' });
    expect(facts(gate)).toEqual({
      'Gate name': 'East gate',
      'Fever at or above (°C)': '37.3',
      'Home quarantine days': '14',
      'Key regions': '湖北, 温州',
      'Committee duty phone': '—',
    });
    expect(within(gate).getByText(/Ask the committee to change them/)).toBeInTheDocument();
    expect(within(gate).queryByRole('textbox')).not.toBeInTheDocument();
    expect(within(gate).queryByRole('button')).not.toBeInTheDocument();

    // A change the pull brings shows at once.
    await setSetting('gate', {
      id: 'gate-7',
      name: 'East gate (north)',
      rules: { ...DEFAULT_GATE_RULES, feverThresholdC: 37.5, dutyPhone: '021-55551234' },
    });
    await waitFor(() =>
      expect(facts(screen.getByRole('region', { name: 'Gate' }))).toMatchObject({
        'Gate name': 'East gate (north)',
        'Fever at or above (°C)': '37.5',
        'Committee duty phone': '021-55551234',
      }),
    );
  });

  it('offers to enroll a phone that is not enrolled', async () => {
    await renderSettings();
    const enrollment = screen.getByRole('region', { name: 'Enrollment' });
    expect(within(enrollment).getByText(/not enrolled/)).toBeInTheDocument();
    expect(within(enrollment).getByText(/^local-/)).toBeInTheDocument();
    expect(within(enrollment).getByRole('link', { name: 'Enroll this phone' })).toHaveAttribute(
      'href',
      '#/enroll',
    );
  });

  it('renders the storage section without navigator.storage, and the version', async () => {
    expect(navigator.storage).toBeUndefined();
    await renderSettings();
    const storage = screen.getByRole('region', { name: 'Storage' });
    expect(
      await within(storage).findByText('This browser does not report its storage.'),
    ).toBeInTheDocument();
    expect(within(storage).getByText('Not asked yet')).toBeInTheDocument();
    expect(within(storage).queryByRole('button')).not.toBeInTheDocument();
    expect(screen.getByText(__APP_VERSION__)).toBeInTheDocument();
  });

  it('shows persistence, usage and quota, and asks for persistence again', async () => {
    let granted = false;
    const persist = vi.fn(async () => (granted = true));
    Object.defineProperty(navigator, 'storage', {
      configurable: true,
      value: {
        persisted: async () => granted,
        persist,
        estimate: async () => ({ usage: 1.5 * 1024 * 1024, quota: 2 * 1024 ** 3 }),
      },
    });
    await setSetting('persistence', { asked: true, granted: false });
    const user = await renderSettings();
    const storage = screen.getByRole('region', { name: 'Storage' });
    expect(await within(storage).findByText('No')).toBeInTheDocument();
    expect(within(storage).getByText(/may clear this app’s data/)).toBeInTheDocument();
    expect(within(storage).getByText('Asked, not granted')).toBeInTheDocument();
    expect(within(storage).getByText('1.5 MB of 2 GB')).toBeInTheDocument();
    await user.click(within(storage).getByRole('button', { name: 'Ask to protect data' }));
    expect(await within(storage).findByText('Yes')).toBeInTheDocument();
    expect(within(storage).getByText('Asked, granted')).toBeInTheDocument();
    expect(within(storage).queryByText(/may clear this app’s data/)).not.toBeInTheDocument();
    expect(
      within(storage).queryByRole('button', { name: 'Ask to protect data' }),
    ).not.toBeInTheDocument();
    expect(persist).toHaveBeenCalledOnce();
    expect(await getSetting('persistence')).toEqual({ asked: true, granted: true });
  });
});

/** What `npm start` prints under the enrollment link for the operator (src/server/terminal.ts). */
import { describe, expect, it, vi } from 'vitest';
import {
  enrollmentHeading,
  localDateTime,
  phoneBaseUrl,
  phoneLinkNote,
} from '../../src/server/terminal';

describe('the note under the enrollment link npm start prints', () => {
  it('says nothing of an https:// link', () => {
    expect(phoneLinkNote('https://gatelog.example.org')).toBeNull();
  });

  it('says a LAN link over plain HTTP works without offline', () => {
    expect(phoneLinkNote('http://192.168.1.20:8080')).toBe(
      'Note: phones work offline only over HTTPS. Put the server behind HTTPS (a reverse proxy) ' +
        'and set GATELOG_PUBLIC_URL to that address.',
    );
  });

  it('says a link to this computer itself opens on no phone (HOST=127.0.0.1, no public URL)', () => {
    // README's start behind a proxy, GATELOG_PUBLIC_URL left out: the only address is loopback.
    const base = phoneBaseUrl({ host: '127.0.0.1', port: 8080, publicUrl: undefined });
    expect(base).toBe('http://127.0.0.1:8080');
    expect(phoneLinkNote(base)).toBe(
      'Note: 127.0.0.1:8080 is this computer itself, which phones cannot open: the link above ' +
        'is for a browser on this computer only. For phones, put the server behind HTTPS (a ' +
        'reverse proxy) and set GATELOG_PUBLIC_URL to that address.',
    );
    expect(phoneLinkNote('http://localhost:8080')).toMatch(
      /^Note: localhost:8080 is this computer/,
    );
    expect(phoneLinkNote('http://[::1]:8080')).toMatch(/^Note: \[::1\]:8080 is this computer/);
  });

  it('says so of this computer’s own address over https too, as the committee’s page does', () => {
    // GATELOG_PUBLIC_URL=https://localhost: the page warned, npm start said nothing.
    expect(phoneLinkNote('https://localhost')).toMatch(/^Note: localhost is this computer/);
  });
});

describe('a moment npm start and the CLI print', () => {
  it("is this computer's date and time with its offset, not UTC's", () => {
    const at = Date.parse('2026-12-14T08:56:03.832Z');
    vi.stubEnv('TZ', 'Asia/Shanghai');
    try {
      expect(localDateTime(at)).toBe('2026-12-14 16:56 (UTC+08:00)');
      vi.stubEnv('TZ', 'America/St_Johns');
      expect(localDateTime(at)).toBe('2026-12-14 05:26 (UTC-03:30)');
      vi.stubEnv('TZ', 'UTC');
      expect(localDateTime(at)).toBe('2026-12-14 08:56 (UTC+00:00)');
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('the line above an enrollment link', () => {
  it("names the gate and says the code's end without brackets in brackets", () => {
    vi.stubEnv('TZ', 'Asia/Shanghai');
    try {
      // It read 'Enroll a phone at gate "正门" (single use, until 2026-12-14 16:56 (UTC+08:00)):'.
      expect(enrollmentHeading('正门', Date.parse('2026-12-14T08:56:03.832Z'))).toBe(
        'Enroll a phone at gate "正门": single use, valid until 2026-12-14 16:56 (UTC+08:00).',
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

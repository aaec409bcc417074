/**
 * A phone's browser with a profile on disk (`launchPersistentContext`), which a test can kill
 * the hard way — SIGKILL to every process of it at once, as a phone's OS kills an app or the
 * battery dies — and launch again on the same profile: same origin, same IndexedDB, same service
 * worker. Same Chromium and flags as playwright.config.ts.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { chromium, type BrowserContext } from '@playwright/test';
import e2e from '../../../../playwright.config';

/** Launches Chromium on the profile in `userDataDir` (made on first use). */
export function launchOnProfile(userDataDir: string): Promise<BrowserContext> {
  const use = e2e.use ?? {};
  return chromium.launchPersistentContext(userDataDir, {
    ...use.launchOptions,
    headless: true,
    viewport: use.viewport ?? null,
    locale: use.locale,
    serviceWorkers: 'allow',
  });
}

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
}

function processes(): Proc[] {
  const out: Proc[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8').split('\0').join(' ');
      // The parent pid is the 4th field of stat, after the "(comm)" that may hold spaces.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      out.push({ pid: Number(name), ppid, cmdline });
    } catch {
      // Gone meanwhile.
    }
  }
  return out;
}

/**
 * SIGKILLs the browser running on `userDataDir` and every process under it, all at once; no
 * chance to flush or say goodbye. Returns how many processes it killed (0: none was running).
 */
export function killBrowser(userDataDir: string): number {
  const all = processes();
  const roots = all.filter(
    (p) => p.cmdline.includes(`--user-data-dir=${userDataDir}`) && !p.cmdline.includes('--type='),
  );
  const doomed = new Set(roots.map((p) => p.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const p of all) {
      if (!doomed.has(p.pid) && doomed.has(p.ppid)) {
        doomed.add(p.pid);
        grew = true;
      }
    }
  }
  for (const pid of doomed) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  return doomed.size;
}

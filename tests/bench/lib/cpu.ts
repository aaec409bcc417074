/**
 * CPU time by process, from Linux's /proc: what the server, the database and the bench's own
 * client each spent on a run, so a figure over HTTP can say where its time went. All threads
 * of a process are counted; /proc counts in clock ticks (100 a second), so a reading is good
 * to ±10 ms: read it over runs of several hundred ms.
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_MS = 10;

/** utime + stime of a process (fields 14 and 15 of /proc/<pid>/stat), in ms; NaN if gone. */
export function cpuMsOf(pid: number | string): number {
  return cpuMsIn(`/proc/${pid}/stat`);
}

/**
 * The same for one thread of a process; its main thread's id is the process's (for Node, the
 * event loop: the request loop of a server).
 */
export function cpuMsOfThread(pid: number | string, tid: number | string): number {
  return cpuMsIn(`/proc/${pid}/task/${tid}/stat`);
}

function cpuMsIn(file: string): number {
  try {
    const stat = readFileSync(file, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count after it.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return NaN;
  }
}

/** The CPU time of every process whose command is `comm` (e.g. `postgres`), in ms. */
export function cpuMsOfCommand(comm: string): number {
  let sum = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      if (readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== comm) continue;
    } catch {
      continue; // gone meanwhile
    }
    const ms = cpuMsOf(pid);
    if (!Number.isNaN(ms)) sum += ms;
  }
  return sum;
}

/** This process's own CPU time (all its threads), in ms. */
export function ownCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

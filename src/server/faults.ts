/**
 * Crash points for the reliability tests (tests/reliability/server), armed only by the
 * GATELOG_FAULTS environment variable and off when it is unset. Each one SIGKILLs the server at
 * one exact moment of a sync batch, so a test can show that a crash there loses no record and
 * stores none twice:
 *
 *   kill-before-commit  the batch's INSERT ran inside its transaction; COMMIT was not sent
 *   kill-after-commit   the batch is committed; the answer to the phone was not sent
 *
 * `name@n` fires at the n-th batch that has records to store (default: the first), e.g.
 * `GATELOG_FAULTS=kill-after-commit@2`. Never set GATELOG_FAULTS on a real server.
 */
import { writeSync } from 'node:fs';
import type pg from 'pg';
import { PostgresStore } from './store/postgres';
import { SqliteStore } from './store/sqlite';
import type { Store } from './store/types';

export const FAULT_NAMES = ['kill-before-commit', 'kill-after-commit'] as const;
export type FaultName = (typeof FAULT_NAMES)[number];

/** One armed crash point and the batch it fires at (1 = the first). */
export interface FaultPlan {
  name: FaultName;
  atBatch: number;
}

/** Parses GATELOG_FAULTS (comma-separated `name` or `name@n`); throws naming a bad entry. */
export function parseFaults(value: string): FaultPlan[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const m = /^([a-z-]+)(?:@(\d+))?$/.exec(entry);
      const name = m?.[1] as FaultName | undefined;
      const atBatch = m?.[2] === undefined ? 1 : Number(m[2]);
      if (!name || !FAULT_NAMES.includes(name) || atBatch < 1) {
        throw new Error(`unknown fault "${entry}"; known: ${FAULT_NAMES.join(', ')} (name@n)`);
      }
      return { name, atBatch };
    });
}

/** The armed crash points of one server process. */
export class Faults {
  private readonly passes = new Map<FaultName, number>();

  constructor(readonly plans: readonly FaultPlan[]) {}

  /** Counts one pass through a crash point; SIGKILLs this process on the planned pass. */
  reach(name: FaultName): void {
    const plan = this.plans.find((p) => p.name === name);
    if (!plan) return;
    const n = (this.passes.get(name) ?? 0) + 1;
    this.passes.set(name, n);
    if (n !== plan.atBatch) return;
    // Synchronous write: the test reads this line to know the crash was the planned one.
    writeSync(2, `gatelog: fault ${name}@${n}: SIGKILL\n`);
    process.kill(process.pid, 'SIGKILL');
  }

  /** Puts kill-before-commit inside the store's batch transaction, when it is armed. */
  arm(store: Store): void {
    if (!this.plans.some((p) => p.name === 'kill-before-commit')) return;
    const fire = () => this.reach('kill-before-commit');
    if (store instanceof SqliteStore) store.armKillBeforeCommit(fire);
    else if (store instanceof PostgresStore) armPostgres(store.pool, fire);
    else throw new Error('kill-before-commit: unsupported store');
  }
}

/**
 * The PostgreSQL store has no hook of its own: watch each pooled connection and fire when a
 * transaction that inserted records is about to send COMMIT.
 */
function armPostgres(pool: pg.Pool, fire: () => void): void {
  // 'acquire', not 'connect': connections opened before arming (by migrate) are watched too.
  const watched = new WeakSet<pg.PoolClient>();
  pool.on('acquire', (client) => {
    if (watched.has(client)) return;
    watched.add(client);
    const query = client.query.bind(client) as (...args: unknown[]) => unknown;
    let insertedRecords = false;
    (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args) => {
      // A query is its text, or an object with one (a query config, COPY's stream).
      const first = args[0] as string | { text?: unknown } | undefined;
      const text = typeof first === 'string' ? first : String(first?.text ?? '');
      if (text === 'BEGIN') insertedRecords = false;
      else if (/^(INSERT INTO|COPY) records\b/.test(text)) insertedRecords = true;
      else if (text === 'COMMIT' && insertedRecords) {
        insertedRecords = false;
        fire();
      }
      return query(...args);
    };
  });
}

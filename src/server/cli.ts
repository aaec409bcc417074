/**
 * `npm run gatelog -- <command>`: the committee's chores from a terminal, talking to the store
 * directly (the server may be running: SQLite in WAL mode takes both).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from './config';
import { enrollmentUrl, issueEnrollmentCode } from './enrollment';
import { createGate } from './gates';
import { openStore } from './store';
import type { Store } from './store/types';
import { phoneBaseUrl, terminalQr } from './terminal';

const USAGE = `Usage: npm run gatelog -- <command>

  gates:create <name>      create a gate
  gates:list               list gates
  codes:create <gateId>    make a single-use enrollment code (link and QR code)
  devices:list             list enrolled phones
  devices:revoke <id>      revoke a phone`;

const iso = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

type Command = (store: Store, args: string[], out: (line: string) => void) => Promise<void>;

function need(arg: string | undefined, what: string): string {
  if (!arg) throw new ConfigError(`Missing ${what}.\n\n${USAGE}`);
  return arg;
}

const COMMANDS: Record<string, Command> = {
  'gates:create': async (store, args, out) => {
    const gate = await createGate(store, need(args.join(' ').trim(), '<name>'));
    out(`${gate.id}\t${gate.name}`);
  },
  'gates:list': async (store, _args, out) => {
    for (const g of await store.listGates()) {
      out(
        `${g.id}\t${g.name}\tfever ≥ ${g.rules.feverThresholdC} °C\tquarantine ${g.rules.quarantineDays} d`,
      );
    }
  },
  'codes:create': async (store, args, out) => {
    const gateId = need(args[0], '<gateId>');
    const gate = await store.getGate(gateId);
    if (!gate) throw new ConfigError(`No gate ${gateId}; see gates:list`);
    const { code, expiresAt } = await issueEnrollmentCode(store, gate.id);
    const link = enrollmentUrl(phoneBaseUrl(loadConfig()), code);
    out(
      `Enroll a phone at "${gate.name}" (single use, until ${new Date(expiresAt).toISOString()}):`,
    );
    out(`  ${link}`);
    out(await terminalQr(link));
  },
  'devices:list': async (store, _args, out) => {
    const gates = new Map((await store.listGates()).map((g) => [g.id, g.name]));
    for (const d of await store.listDevices()) {
      const state = d.revokedAt === null ? 'active' : `revoked ${iso(d.revokedAt)}`;
      const backlog = d.status ? `pending ${d.status.pending}` : 'never synced';
      out(
        `${d.id}\t${d.name}\t${gates.get(d.gateId) ?? d.gateId}\t${state}\tlast seen ${iso(d.lastSeenAt)}\t${backlog}`,
      );
    }
  },
  'devices:revoke': async (store, args, out) => {
    const id = need(args[0], '<id>');
    if (!(await store.revokeDevice(id, Date.now())))
      throw new ConfigError(`No device ${id}; see devices:list`);
    out(`Revoked ${id}`);
  },
};

/** Runs one command; returns the exit code. */
export async function runCli(
  argv: string[],
  out: (line: string) => void = console.log,
): Promise<number> {
  const [name, ...args] = argv;
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    out(USAGE);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  const store = openStore(loadConfig());
  try {
    await store.migrate();
    await command(store, args, out);
    return 0;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : err);
      process.exit(1);
    },
  );
}

/**
 * `npm run gatelog -- <command>`: the committee's chores from a terminal, talking to the store
 * directly (the server may be running: SQLite in WAL mode takes both).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig, type Config } from './config';
import { enrollmentUrl, issueEnrollmentCode, replacements } from './enrollment';
import type * as z from 'zod/mini';
import {
  createPassRequestSchema,
  createWatchRequestSchema,
  gatesByName,
  updateGateRequestSchema,
  type GateRulesPatch,
} from '../shared';
import { formatPassId, isPassExpired, isWatchEnded } from '../shared/passes';
import { HttpError } from './errors';
import { createGate, updateGate } from './gates';
import { rotateSigningKey } from './passes/keys';
import { addWatch, issuePass, removeWatch, revokePass } from './passes/service';
import { renderPassSheet } from './passes/sheet';
import { openStore } from './store';
import { RefusedDatabaseError } from './store/schema-version';
import { rewriteSqliteFile, type Rewritten } from './store/sqlite';
import type { GateRow, Store } from './store/types';
import { enrollmentHeading, localDateTime, phoneBaseUrl, terminalQr } from './terminal';
import { issueParts } from './validate';

const USAGE = `Usage: npm run gatelog -- <command>

  gates:create <name>      create a gate
  gates:list               list gates
  gates:update <gateId> [--name <name>] [--fever <°C>] [--quarantine-days <days>]
               [--key-regions <湖北,温州>] [--duty-phone <phone>]
                           rename a gate or change its rules (phones get them on their next sync)
  codes:create <gateId>    make a single-use enrollment code (link and QR code)
  devices:list             list enrolled phones
  devices:revoke <id>      revoke a phone
  passes:create <name> <address> <validUntil YYYY-MM-DD> [gateId]
                           issue a resident pass (no gate: valid at every gate)
  passes:list [gateId]     list passes not revoked (one past its last day: "Expired")
  passes:revoke <pass number>
                           revoke a pass (phones learn it on their next sync)
  passes:sheet <file.html> [gateId]
                           write a printable A4 sheet of the cards of passes in force today
  passes:rotate-key        sign new passes with a new key (old passes stay valid)
  watchlist:add <name> <until YYYY-MM-DD> [--pass <pass number>] [--id <idNumber>]
                [--phone <phone>] [--address <building / room>] [--note <note>]
                           put someone under home quarantine on the watchlist
  watchlist:list           list the watchlist (one past its until: "Ended")
  watchlist:remove <id>    take someone off the watchlist
  db:rewrite               SQLite only, with the server stopped: rewrite the database file
                           whole, with the page size new ones get (faster commits for a
                           database made before it) and the space of deleted rows given back`;

/**
 * Said under a link made with no GATELOG_PUBLIC_URL in this command's environment: the server's
 * own (given to `npm start`, behind a proxy) is not seen here, and the link then named this
 * computer's LAN address over plain HTTP, or 127.0.0.1 when HOST says so, which no phone opens.
 */
const NO_PUBLIC_URL_NOTE =
  "Note: GATELOG_PUBLIC_URL is not set for this command, so the link names this computer's own " +
  'address, over plain HTTP. Phones work offline only over HTTPS: when the server is behind an ' +
  'HTTPS proxy, run this command with the same GATELOG_PUBLIC_URL as the server.';

/** A moment in a listing, as the clerk at this terminal reads a clock (not UTC's ISO). */
const when = (ms: number | null) => (ms === null ? '-' : localDateTime(ms));

/** The operator's calendar day (YYYY-MM-DD) in this terminal's time zone, as the page's clerk's. */
function localDay(ms: number = Date.now()): string {
  return new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 10);
}

const gateLine = ({ id, name, rules: r }: GateRow) =>
  [
    id,
    name,
    `fever ≥ ${r.feverThresholdC} °C`,
    `quarantine ${r.quarantineDays} d`,
    `key regions ${r.keyRegions.join(', ') || '-'}`,
    `duty phone ${r.dutyPhone || '-'}`,
  ].join('\t');

/** `gates:update` options and the rule each one sets, from its text. */
const GATE_RULE_OPTIONS: Record<string, (v: string) => GateRulesPatch> = {
  fever: (v) => ({ feverThresholdC: Number(v) }),
  'quarantine-days': (v) => ({ quarantineDays: Number(v) }),
  'key-regions': (v) => ({ keyRegions: v.split(/[,，、]/).filter((r) => r.trim() !== '') }),
  'duty-phone': (v) => ({ dutyPhone: v }),
};

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
    // By name, as the committee's page lists them (the store's order is the order they were made).
    for (const g of gatesByName(await store.listGates())) out(gateLine(g));
  },
  'gates:update': async (store, args, out) => {
    const { positional, opts } = options(args);
    const gateId = need(positional[0], '<gateId>');
    let rules: GateRulesPatch | undefined;
    for (const [name, value] of Object.entries(opts)) {
      if (name === 'name') continue;
      const rule = GATE_RULE_OPTIONS[name];
      if (!rule) throw new ConfigError(`Unknown option --${name}.\n\n${USAGE}`);
      rules = { ...rules, ...rule(value) };
    }
    const change = parsed(updateGateRequestSchema, {
      ...(opts.name !== undefined && { name: opts.name }),
      ...(rules && { rules }),
    });
    const gate = await updateGate(store, gateId, change);
    if (!gate) throw new ConfigError(`No gate ${gateId}; see gates:list`);
    out(gateLine(gate));
  },
  'codes:create': async (store, args, out) => {
    const gateId = need(args[0], '<gateId>');
    const gate = await store.getGate(gateId);
    if (!gate) throw new ConfigError(`No gate ${gateId}; see gates:list`);
    const { code, expiresAt } = await issueEnrollmentCode(store, gate.id);
    const config = loadConfig();
    const link = enrollmentUrl(phoneBaseUrl(config), code);
    out(enrollmentHeading(gate.name, expiresAt));
    out(`  ${link}`);
    out(await terminalQr(link));
    if (config.publicUrl === undefined) out(NO_PUBLIC_URL_NOTE);
  },
  'devices:list': async (store, _args, out) => {
    const gates = new Map((await store.listGates()).map((g) => [g.id, g.name]));
    const devices = await store.listDevices();
    const replacedBy = replacements(devices);
    for (const d of devices) {
      const by = replacedBy.get(d.id);
      const state = by
        ? `enrolled again as ${by.id} at ${gates.get(by.gateId) ?? by.gateId}`
        : d.revokedAt === null
          ? 'active'
          : `revoked ${when(d.revokedAt)}`;
      // Enrolled again, the phone sends what it held under its new enrollment.
      const backlog = by ? 'pending -' : d.status ? `pending ${d.status.pending}` : 'never synced';
      out(
        `${d.id}\t${d.name}\t${gates.get(d.gateId) ?? d.gateId}\t${state}\tlast seen ${when(d.lastSeenAt)}\t${backlog}`,
      );
    }
  },
  'devices:revoke': async (store, args, out) => {
    const id = need(args[0], '<id>');
    if (!(await store.revokeDevice(id, Date.now())))
      throw new ConfigError(`No device ${id}; see devices:list`);
    out(`Revoked ${id}`);
  },
  'passes:create': async (store, args, out) => {
    const [name, address, validUntil, gateId] = args;
    const pass = await operator(
      issuePass(
        store,
        parsed(createPassRequestSchema, {
          name: need(name, '<name>'),
          address: need(address, '<address>'),
          validUntil: need(validUntil, '<validUntil>'),
          ...(gateId !== undefined && { gateId }),
        }),
        Date.now(),
      ),
    );
    out(`${formatPassId(pass.id)}\t${pass.name}\t${pass.address}\tvalid until ${pass.validUntil}`);
  },
  'passes:list': async (store, args, out) => {
    const gateId = args[0];
    const today = localDay();
    for (const p of await store.listPasses(gateId === undefined ? {} : { gateId })) {
      const expired = isPassExpired(p.validUntil, today) ? '\tExpired: the gates refuse it' : '';
      out(
        `${formatPassId(p.id)}\t${p.name}\t${p.address}\tvalid until ${p.validUntil}\t${p.gateId ?? 'all gates'}${expired}`,
      );
    }
  },
  'passes:revoke': async (store, args, out) => {
    const id = need(args[0], '<pass number>');
    const pass = await revokePass(store, id, Date.now());
    if (!pass) throw new ConfigError(`No pass ${id}; see passes:list`);
    out(`Revoked ${formatPassId(pass.id)} (${pass.name})`);
  },
  'passes:sheet': async (store, args, out) => {
    const file = need(args[0], '<file.html>');
    const gateId = args[1];
    const gate = gateId === undefined ? null : await store.getGate(gateId);
    if (gateId !== undefined && !gate) throw new ConfigError(`No gate ${gateId}; see gates:list`);
    const passes = await store.listPasses(gateId === undefined ? {} : { gateId });
    const now = Date.now();
    const today = localDay(now);
    const sheet = await renderPassSheet(passes, { gateName: gate?.name, now, today });
    writeFileSync(file, sheet.html);
    const cards = sheet.cards === 1 ? '1 pass card' : `${sheet.cards} pass cards`;
    const left = passes.length - sheet.cards;
    const expired = left ? ` (${left} expired before ${today} left out)` : '';
    out(`Wrote ${cards} to ${file}${expired}; open it in a browser and print on A4.`);
  },
  'passes:rotate-key': async (store, _args, out) => {
    const key = await rotateSigningKey(store, Date.now());
    out(`New passes are signed with key ${key.kid}; passes signed before stay valid.`);
  },
  'watchlist:add': async (store, args, out) => {
    const { positional, opts } = options(args);
    const unknown = Object.keys(opts).find((o) => !WATCH_OPTIONS.has(o));
    if (unknown !== undefined) throw new ConfigError(`Unknown option --${unknown}.\n\n${USAGE}`);
    const [name, until] = positional;
    const watch = await operator(
      addWatch(
        store,
        parsed(createWatchRequestSchema, {
          name: need(name, '<name>'),
          until: need(until, '<until>'),
          ...(opts.pass !== undefined && { passId: opts.pass }),
          ...(opts.id !== undefined && { idNumber: opts.id }),
          ...(opts.phone !== undefined && { phone: opts.phone }),
          ...(opts.address !== undefined && { address: opts.address }),
          ...(opts.note !== undefined && { note: opts.note }),
        }),
        Date.now(),
      ),
    );
    out(`${watch.id}\t${watch.name}\thome quarantine until ${watch.until}`);
  },
  'watchlist:list': async (store, _args, out) => {
    const today = localDay();
    for (const w of await store.listWatch()) {
      const by = [
        w.passId && `pass number ${formatPassId(w.passId)}`,
        w.idNumber && 'ID number',
        w.phone && 'phone',
      ];
      const more = [
        `by ${by.filter(Boolean).join(', ')}`,
        ...(w.address ? [`address ${w.address}`] : []),
        ...(w.note ? [`note ${w.note}`] : []),
        ...(isWatchEnded(w.until, today) ? ['Ended: the gates no longer alert'] : []),
      ];
      out([w.id, w.name, `until ${w.until}`, ...more].join('\t'));
    }
  },
  'watchlist:remove': async (store, args, out) => {
    const id = need(args[0], '<id>');
    if (!(await removeWatch(store, id, Date.now())))
      throw new ConfigError(`No watchlist entry ${id}; see watchlist:list`);
    out(`Removed ${id}`);
  },
};

/** `db:rewrite`: on the file itself, with no store open (the rewrite needs the only connection). */
function rewriteDatabase(config: Config, out: (line: string) => void): void {
  if (config.databaseUrl) {
    throw new ConfigError('db:rewrite is for the SQLite file; PostgreSQL has VACUUM of its own.');
  }
  if (!existsSync(config.sqliteFile)) throw new ConfigError(`No database at ${config.sqliteFile}`);
  let r: Rewritten;
  try {
    r = rewriteSqliteFile(config.sqliteFile);
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
  out(rewriteReport(config.sqliteFile, r));
}

/** A file's size as a volunteer reads it: 96 KB, 12.3 MB, 1.52 GB (not 0.0 MB). */
function fileSize(bytes: number): string {
  // The unit chosen after rounding: 999,999,488 bytes is 1.00 GB, not 1000.0 MB.
  const kb = Math.round(bytes / 1e3);
  if (kb < 1000) return `${kb} KB`;
  const mb = (bytes / 1e6).toFixed(1);
  if (Number(mb) < 1000) return `${mb} MB`;
  return `${(bytes / 1e9).toFixed(2)} GB`;
}

/**
 * What `db:rewrite` did, named: it said `pages 16 → 16 KiB, 0.1 MB → 0.1 MB`, which left the
 * volunteer to guess what the numbers were and whether anything changed.
 */
export function rewriteReport(file: string, r: Rewritten): string {
  const kib = (bytes: number) => `${bytes / 1024} KiB`;
  const pages =
    r.pageSizeBefore === r.pageSizeAfter
      ? `page size ${kib(r.pageSizeAfter)} (unchanged)`
      : `page size ${kib(r.pageSizeBefore)} → ${kib(r.pageSizeAfter)}`;
  return `Rewrote ${file}: ${pages}, file size ${fileSize(r.bytesBefore)} → ${fileSize(r.bytesAfter)}`;
}

/** Service errors (bad dates, unknown gate) are the operator's to fix: a message, no trace. */
async function operator<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof HttpError) throw new ConfigError(err.message);
    throw err;
  }
}

/** The command line's names of the API's fields. */
const FLAG_OF: Record<string, string> = {
  'rules.feverThresholdC': '--fever',
  'rules.quarantineDays': '--quarantine-days',
  'rules.keyRegions': '--key-regions',
  'rules.dutyPhone': '--duty-phone',
  validUntil: '<validUntil>',
  until: '<until>',
  passId: '--pass',
  idNumber: '--id',
  phone: '--phone',
  address: '--address',
  note: '--note',
};

/** `watchlist:add`'s options (the page's form has the same fields). */
const WATCH_OPTIONS = new Set(['pass', 'id', 'phone', 'address', 'note']);

/** The schemas' message keys and zod's codes, in words. */
const WORDS_OF: Record<string, string> = {
  required: 'required',
  tooLong: 'too long',
  idInvalid: 'not an ID number a gate could match (a resident ID needs its right check digit)',
  idChecksum: 'the ID number’s check digit is wrong',
  phoneInvalid: 'not a phone number (11-digit mobile or +international)',
  passInvalid: 'not a pass number (8 letters and digits, as on the card: 7K3M-9QX2)',
  dateInvalid: 'not a date (YYYY-MM-DD)',
  unrecognized: 'not known',
  'passId, idNumber or phone is required': 'one of --pass, --id or --phone is needed',
};

/** A failed check as the operator typed it: `--fever: not a number`. */
function cliIssues(issues: Parameters<typeof issueParts>[0]): string {
  return issueParts(issues)
    .map(({ path, key, expected }) => {
      const where = FLAG_OF[path] ?? path;
      if (key === 'invalid_type') {
        return `${where}: ${expected === 'int' ? 'not a whole number' : `not a ${expected ?? 'value'}`}`;
      }
      // A zod code may come with its bound: `too_big (at most 40)` → `too big (at most 40)`.
      const [code = '', ...bound] = key.split(' ');
      const said = WORDS_OF[key] ?? [WORDS_OF[code] ?? code.replace(/_/g, ' '), ...bound].join(' ');
      return `${where}: ${said}`;
    })
    .join('; ');
}

/** Input checked with the same schema as the API's. */
function parsed<S extends z.ZodMiniType>(schema: S, value: unknown): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ConfigError(`Bad input: ${cliIssues(r.error.issues)}`);
  return r.data;
}

/** `--name value` options after the positional arguments. */
function options(args: string[]): { positional: string[]; opts: Record<string, string> } {
  const positional: string[] = [];
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) positional.push(a);
    else if (args[i + 1] === undefined)
      throw new ConfigError(`Missing a value for ${a}.\n\n${USAGE}`);
    // An empty value is a value: `--duty-phone ""` clears the duty phone.
    else opts[a.slice(2)] = args[++i]!;
  }
  return { positional, opts };
}

/** Runs one command; returns the exit code. */
export async function runCli(
  argv: string[],
  out: (line: string) => void = console.log,
): Promise<number> {
  const [name, ...args] = argv;
  if (name === 'db:rewrite') {
    rewriteDatabase(loadConfig(), out);
    return 0;
  }
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    if (name && name !== 'help' && name !== '--help') out(`Unknown command: ${name}`);
    out(USAGE);
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  const config = loadConfig();
  if (config.databaseUrl === undefined && !existsSync(config.sqliteFile)) {
    // A command run with another data folder than the server's, or without the DATABASE_URL of
    // a server on PostgreSQL, would work on a database of its own (a watchlist entry no gate
    // hears of): say so where the operator looks, with what to give it.
    console.warn(
      `No database at ${config.sqliteFile} yet: making a new one, which the server does not ` +
        "read. Run this command with the server's environment: its GATELOG_DATA_DIR, or its " +
        'DATABASE_URL when it runs on PostgreSQL.',
    );
  }
  const store = openStore(config);
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
      console.error(
        err instanceof ConfigError || err instanceof RefusedDatabaseError ? err.message : err,
      );
      process.exit(1);
    },
  );
}

/**
 * `npm run gatelog -- <command>`: the committee's chores from a terminal, talking to the store
 * directly (the server may be running: SQLite in WAL mode takes both). Its help and messages are
 * in the terminal's language (cli-messages.ts); its tab-separated listings, which scripts read,
 * are the same in every language.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  SaidError,
  sayIn,
  sayIssues,
  terminalLocale,
  type CliMessage,
  type Say,
} from './cli-messages';
import { ConfigError, loadConfig, type Config } from './config';
import { databaseFailure } from './database-failure';
import { enrollmentUrl, issueEnrollmentCode, replacements } from './enrollment';
import type * as z from 'zod/mini';
import {
  DEFAULT_GATE_RULES,
  FEVER_THRESHOLD_USUAL_C,
  createGateRequestSchema,
  createPassRequestSchema,
  createWatchRequestSchema,
  gateNameIn,
  gatesByName,
  unusualFeverThreshold,
  updateGateRequestSchema,
  type GateRulesPatch,
  type Locale,
} from '../shared';
import { formatPassId, isPassExpired, isWatchEnded } from '../shared/passes';
import { HttpError } from './errors';
import { createGate, updateGate } from './gates';
import { rotateSigningKey } from './passes/keys';
import { addWatch, issuePass, removeWatch, revokePass } from './passes/service';
import { renderPassSheet } from './passes/sheet';
import { openStore } from './store';
import { rewriteSqliteFile, type Rewritten } from './store/sqlite';
import type { GateRow, Store } from './store/types';
import { enrollmentHeading, localDateTime, phoneBaseUrl, terminalQr } from './terminal';

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

/** What a command prints with: `out` for its lines, `say` for its words in the terminal's language. */
interface Io {
  out: (line: string) => void;
  say: Say;
  locale: Locale;
}

type Command = (store: Store, args: string[], io: Io) => Promise<void>;

/** A mistake in how the command was typed: said, then the usage. */
const typed = (say: Say, message: string) => new ConfigError(`${message}\n\n${say('usage')}`);

function need(arg: string | undefined, what: CliMessage, say: Say): string {
  if (!arg) throw typed(say, say('missing', { what: say(what) }));
  return arg;
}

const COMMANDS: Record<string, Command> = {
  'gates:create': async (store, args, { out, say }) => {
    // Checked as the API checks a new gate's name: one of 81 characters was stored as typed.
    const { name } = parsed(
      say,
      createGateRequestSchema,
      { name: need(args.join(' ').trim(), 'arg.name', say) },
      { name: 'arg.name' },
    );
    const gate = await createGate(store, name);
    out(`${gate.id}\t${gate.name}`);
  },
  'gates:list': async (store, _args, { out }) => {
    // By name, as the committee's page lists them (the store's order is the order they were made).
    for (const g of gatesByName(await store.listGates())) out(gateLine(g));
  },
  'gates:update': async (store, args, { out, say }) => {
    const { positional, opts } = options(args, say);
    const gateId = need(positional[0], 'arg.gateId', say);
    let rules: GateRulesPatch | undefined;
    for (const [name, value] of Object.entries(opts)) {
      if (name === 'name') continue;
      const rule = GATE_RULE_OPTIONS[name];
      if (!rule) throw typed(say, say('unknownOption', { name }));
      rules = { ...rules, ...rule(value) };
    }
    const change = parsed(
      say,
      updateGateRequestSchema,
      {
        ...(opts.name !== undefined && { name: opts.name }),
        ...(rules && { rules }),
      },
      { name: '--name' },
    );
    const gate = await updateGate(store, gateId, change);
    if (!gate) throw new ConfigError(say('noGate', { id: gateId }));
    out(gateLine(gate));
    // Saved, as the API saves it; said, as the committee's page asks, when it flags nearly
    // everyone or hardly anyone (on stderr: the line above is for scripts).
    const fever = change.rules?.feverThresholdC;
    const unusual = fever === undefined ? null : unusualFeverThreshold(fever);
    if (fever !== undefined && unusual !== null) {
      console.warn(
        say(`feverUnusual.${unusual}`, {
          t: fever.toFixed(1),
          low: FEVER_THRESHOLD_USUAL_C.low.toFixed(1),
          high: FEVER_THRESHOLD_USUAL_C.high.toFixed(1),
          usual: DEFAULT_GATE_RULES.feverThresholdC.toFixed(1),
        }),
      );
    }
  },
  'codes:create': async (store, args, { out, say, locale }) => {
    const gateId = need(args[0], 'arg.gateId', say);
    const gate = await store.getGate(gateId);
    if (!gate) throw new ConfigError(say('noGate', { id: gateId }));
    const { code, expiresAt } = await issueEnrollmentCode(store, gate.id);
    const config = loadConfig();
    const link = enrollmentUrl(phoneBaseUrl(config), code);
    out(enrollmentHeading(gateNameIn(gate.name, locale), expiresAt, say));
    out(`  ${link}`);
    out(await terminalQr(link));
    if (config.publicUrl === undefined) out(say('noPublicUrl'));
  },
  'devices:list': async (store, _args, { out }) => {
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
  'devices:revoke': async (store, args, { out, say }) => {
    const id = need(args[0], 'arg.id', say);
    if (!(await store.revokeDevice(id, Date.now()))) throw new ConfigError(say('noDevice', { id }));
    out(say('deviceRevoked', { id }));
  },
  'passes:create': async (store, args, { out, say }) => {
    const [name, address, validUntil, gateId] = args;
    const pass = await operator(
      say,
      issuePass(
        store,
        parsed(
          say,
          createPassRequestSchema,
          {
            name: need(name, 'arg.name', say),
            address: need(address, 'arg.address', say),
            validUntil: need(validUntil, 'arg.validUntil', say),
            ...(gateId !== undefined && { gateId }),
          },
          { name: 'arg.name', address: 'arg.address' },
        ),
        Date.now(),
      ),
    );
    out(`${formatPassId(pass.id)}\t${pass.name}\t${pass.address}\tvalid until ${pass.validUntil}`);
  },
  'passes:list': async (store, args, { out }) => {
    const gateId = args[0];
    const today = localDay();
    for (const p of await store.listPasses(gateId === undefined ? {} : { gateId })) {
      const expired = isPassExpired(p.validUntil, today) ? '\tExpired: the gates refuse it' : '';
      out(
        `${formatPassId(p.id)}\t${p.name}\t${p.address}\tvalid until ${p.validUntil}\t${p.gateId ?? 'all gates'}${expired}`,
      );
    }
  },
  'passes:revoke': async (store, args, { out, say }) => {
    const id = need(args[0], 'arg.passId', say);
    const pass = await revokePass(store, id, Date.now());
    if (!pass) throw new ConfigError(say('noPass', { id }));
    out(say('passRevoked', { pass: formatPassId(pass.id), name: pass.name }));
  },
  'passes:sheet': async (store, args, { out, say }) => {
    const file = need(args[0], 'arg.file', say);
    const gateId = args[1];
    const gate = gateId === undefined ? null : await store.getGate(gateId);
    if (gateId !== undefined && !gate) throw new ConfigError(say('noGate', { id: gateId }));
    const passes = await store.listPasses(gateId === undefined ? {} : { gateId });
    const now = Date.now();
    const today = localDay(now);
    const sheet = await renderPassSheet(passes, { gateName: gate?.name, now, today });
    try {
      writeFileSync(file, sheet.html);
    } catch (err) {
      // A folder that is not there, or not the clerk's to write: Node's stack said ENOENT.
      const { code = 'EIO', message } = err as NodeJS.ErrnoException;
      const error = message.replace(/^\w+: /, '').replace(/, open '.*'$/, '');
      throw new ConfigError(say('sheetNotWritten', { file, code, error }), { cause: err });
    }
    const cards = say('sheetWritten.cards', { n: sheet.cards });
    const expired = passes.length - sheet.cards;
    const left = expired ? say('sheetWritten.left', { n: expired, today }) : '';
    out(say('sheetWritten', { cards, file, left }));
  },
  'passes:rotate-key': async (store, _args, { out, say }) => {
    const key = await rotateSigningKey(store, Date.now());
    out(say('keyRotated', { kid: key.kid }));
  },
  'watchlist:add': async (store, args, { out, say }) => {
    const { positional, opts } = options(args, say);
    const unknown = Object.keys(opts).find((o) => !WATCH_OPTIONS.has(o));
    if (unknown !== undefined) throw typed(say, say('unknownOption', { name: unknown }));
    const [name, until] = positional;
    const watch = await operator(
      say,
      addWatch(
        store,
        parsed(
          say,
          createWatchRequestSchema,
          {
            name: need(name, 'arg.name', say),
            until: need(until, 'arg.until', say),
            ...(opts.pass !== undefined && { passId: opts.pass }),
            ...(opts.id !== undefined && { idNumber: opts.id }),
            ...(opts.phone !== undefined && { phone: opts.phone }),
            ...(opts.address !== undefined && { address: opts.address }),
            ...(opts.note !== undefined && { note: opts.note }),
          },
          { name: 'arg.name' },
        ),
        Date.now(),
      ),
    );
    out(`${watch.id}\t${watch.name}\thome quarantine until ${watch.until}`);
  },
  'watchlist:list': async (store, _args, { out }) => {
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
  'watchlist:remove': async (store, args, { out, say }) => {
    const id = need(args[0], 'arg.id', say);
    if (!(await removeWatch(store, id, Date.now()))) throw new ConfigError(say('noWatch', { id }));
    out(say('watchRemoved', { id }));
  },
};

/** `db:rewrite`: on the file itself, with no store open (the rewrite needs the only connection). */
function rewriteDatabase(config: Config, { out, say }: Io): void {
  if (config.databaseUrl) throw new ConfigError(say('rewriteNotSqlite'));
  if (!existsSync(config.sqliteFile)) {
    throw new ConfigError(say('rewriteNoDatabase', { file: config.sqliteFile }));
  }
  let r: Rewritten;
  try {
    r = rewriteSqliteFile(config.sqliteFile);
  } catch (err) {
    // A newer GateLog's database, or one in use: said in the terminal's language already.
    if (err instanceof SaidError) throw err;
    // SQLite's own (a file that is not a database, a full disk), named with the file.
    const { code = 'SQLITE_ERROR', message: error } = err as { code?: string; message: string };
    throw new ConfigError(say('rewriteFailed', { file: config.sqliteFile, code, error }), {
      cause: err,
    });
  }
  out(rewriteReport(config.sqliteFile, r, say));
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
export function rewriteReport(file: string, r: Rewritten, say: Say = sayIn('en')): string {
  const kib = (bytes: number) => `${bytes / 1024} KiB`;
  const pages =
    r.pageSizeBefore === r.pageSizeAfter
      ? say('rewritten.sameSize', { size: kib(r.pageSizeAfter) })
      : say('rewritten.newSize', { before: kib(r.pageSizeBefore), after: kib(r.pageSizeAfter) });
  const [before, after] = [fileSize(r.bytesBefore), fileSize(r.bytesAfter)];
  return say('rewritten', { file, pages, before, after });
}

/**
 * Service errors (bad dates, unknown gate) are the operator's to fix: a message, no trace, said
 * in the terminal's language (the API's `field: what` as the command line names the field).
 */
async function operator<T>(say: Say, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (!(err instanceof HttpError)) throw err;
    if (err.code === 'gate_unknown') throw new ConfigError(say('noGateGiven'));
    const m = /^(\w+): (.*)$/.exec(err.message);
    if (!m) throw new ConfigError(err.message);
    const [, field = '', what = ''] = m;
    const ahead = /^more than (\d+) days ahead$/.exec(what);
    const said =
      what === 'in the past'
        ? say('issue.inThePast')
        : ahead
          ? say('issue.tooFarAhead', { n: ahead[1]! })
          : what === 'not a pass number'
            ? say('issue.passInvalid')
            : what;
    throw new ConfigError(
      say('badInput', { issues: say('issue', { where: flagOf(field, say), what: said }) }),
    );
  }
}

/** The command line's name of an API field: an option, or an argument's words. */
type FlagName = string | CliMessage;

/** The command line's names of the API's fields: its options, or its arguments' words. */
const FLAG_OF: Record<string, FlagName> = {
  'rules.feverThresholdC': '--fever',
  'rules.quarantineDays': '--quarantine-days',
  'rules.keyRegions': '--key-regions',
  'rules.dutyPhone': '--duty-phone',
  validUntil: 'arg.validUntil',
  until: 'arg.until',
  passId: '--pass',
  idNumber: '--id',
  phone: '--phone',
  address: '--address',
  note: '--note',
};

/**
 * `path`'s name on the command line: the command's `own` names first (gates:update's `name` is
 * --name, passes:create's is its <name> argument), else FLAG_OF's; an item of a list is named
 * by the list's option (`rules.keyRegions.1` is --key-regions).
 */
function flagOf(path: string, say: Say, own: Record<string, FlagName> = {}): string {
  const field = path.replace(/\.\d+$/, '');
  const flag = own[field] ?? FLAG_OF[field] ?? path;
  return flag.startsWith('arg.') ? say(flag as CliMessage) : flag;
}

/** `watchlist:add`'s options (the page's form has the same fields). */
const WATCH_OPTIONS = new Set(['pass', 'id', 'phone', 'address', 'note']);

/** Input checked with the same schema as the API's, its fields named as the command names them. */
function parsed<S extends z.ZodMiniType>(
  say: Say,
  schema: S,
  value: unknown,
  names: Record<string, FlagName> = {},
): z.output<S> {
  const r = schema.safeParse(value);
  if (!r.success) {
    const where = (path: string) => flagOf(path, say, names);
    throw new ConfigError(say('badInput', { issues: sayIssues(say, r.error.issues, where) }));
  }
  return r.data;
}

/** `--name value` options after the positional arguments. */
function options(args: string[], say: Say): { positional: string[]; opts: Record<string, string> } {
  const positional: string[] = [];
  const opts: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith('--')) positional.push(a);
    else if (args[i + 1] === undefined) throw typed(say, say('missingValue', { option: a }));
    // An empty value is a value: `--duty-phone ""` clears the duty phone.
    else opts[a.slice(2)] = args[++i]!;
  }
  return { positional, opts };
}

/**
 * Runs one command; returns the exit code. Its help and messages are in `locale`, the terminal's
 * by default (LC_ALL, LC_MESSAGES, LANG), and so is every error it throws that the operator is
 * to read (a SaidError: the environment's mistakes, a database it cannot open or reach or
 * refuses, a bad argument), with what caused it as its `cause`. Any other error is a fault of
 * GateLog's, thrown as it came.
 */
export async function runCli(
  argv: string[],
  out: (line: string) => void = console.log,
  locale: Locale = terminalLocale(),
): Promise<number> {
  const say = sayIn(locale);
  let config: Config | undefined;
  try {
    // Read by the commands that need it: help needs no environment.
    return await run(argv, () => (config = loadConfig()), { out, say, locale });
  } catch (err) {
    if (err instanceof SaidError) throw err.speak(locale);
    // A database it cannot open, reach or sign in to: in npm start's words (database-failure.ts).
    const c = config;
    if (!c || databaseFailure(err, c, say) === null) throw err;
    throw new SaidError((s) => databaseFailure(err, c, s)!, { cause: err }).speak(locale);
  }
}

async function run(argv: string[], loadedConfig: () => Config, io: Io): Promise<number> {
  const { out, say } = io;
  const [name, ...args] = argv;
  if (name === 'db:rewrite') {
    rewriteDatabase(loadedConfig(), io);
    return 0;
  }
  const command = name ? COMMANDS[name] : undefined;
  if (!command) {
    if (name && name !== 'help' && name !== '--help') out(say('unknownCommand', { name }));
    out(say('usage'));
    return name && name !== 'help' && name !== '--help' ? 2 : 0;
  }
  const config = loadedConfig();
  if (config.databaseUrl === undefined && !existsSync(config.sqliteFile)) {
    // A command run with another data folder than the server's, or without the DATABASE_URL of
    // a server on PostgreSQL, would work on a database of its own (a watchlist entry no gate
    // hears of): say so where the operator looks, with what to give it.
    console.warn(say('newDatabase', { file: config.sqliteFile }));
  }
  const store = openStore(config);
  try {
    await store.migrate();
    await command(store, args, io);
    return 0;
  } finally {
    await store.close();
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  runCli(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      // Said in the terminal's language by runCli; anything else is a fault, with its stack.
      console.error(err instanceof SaidError ? err.message : err);
      process.exit(1);
    },
  );
}

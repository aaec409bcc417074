/**
 * The only file that listens: reads the environment, migrates the store, makes sure there is
 * a gate and an admin token, starts the server and prints how to reach it and how to enroll a
 * phone (link and QR code), in the terminal's language as the command line speaks it
 * (cli-messages.ts). Stops cleanly on SIGINT/SIGTERM, within STOP_GRACE_MS.
 */
import { gateNameIn } from '../shared';
import { buildApp } from './app';
import { SaidError, sayIn, terminalLocale } from './cli-messages';
import {
  adminTokenShown,
  loadConfig,
  newAdminToken,
  storedAdminToken,
  type AdminTokenSource,
} from './config';
import { databaseFailure } from './database-failure';
import { enrollmentUrl, issueEnrollmentCode } from './enrollment';
import { Faults } from './faults';
import { ensureDefaultGate } from './gates';
import { openStore } from './store';
import { enrollmentHeading, phoneBaseUrl, phoneLinkNote, serverUrls, terminalQr } from './terminal';

const PURGE_EVERY_MS = 60 * 60 * 1000;
/** How long a stop waits for the requests in flight. */
const STOP_GRACE_MS = 10_000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The terminal's language (LC_ALL, LC_MESSAGES, LANG, else the system's), as the CLI's. */
const locale = terminalLocale();
const say = sayIn(locale);

async function main(): Promise<void> {
  const config = loadConfig();
  // A token file it refuses stops the server before a database is opened, made or migrated.
  const stored = storedAdminToken(config);
  const store = openStore(config);
  await store.migrate();
  const gate = await ensureDefaultGate(store);
  // Made only once the database is there, as a start that fails before would never print it.
  const admin = stored ?? newAdminToken(config);
  // One that fails from here on says it before it exits (`startFailure`); one stopped before it
  // says it leaves its mark, and the next start says it (`unshown`).
  if (admin.created || admin.unshown) unprinted = admin;
  let faults: Faults | undefined;
  if (config.faults.length > 0) {
    faults = new Faults(config.faults);
    faults.arm(store);
    console.warn('GATELOG_FAULTS is set: this server will SIGKILL itself on purpose (tests only).');
  }

  const app = await buildApp({
    store,
    adminToken: admin.token,
    adminTokenFile: admin.file,
    publicUrl: config.publicUrl,
    serverUrls: serverUrls(config),
    logger: { level: config.logLevel },
    trustProxy: config.trustProxy,
    syncMaxInFlight: config.syncMaxInFlight,
    faults,
  });

  const purge = async () => {
    const n = await store.purgeRecords(Date.now() - config.retentionDays * DAY_MS);
    if (n > 0) app.log.info({ purged: n }, 'purged records past retention');
  };
  await purge();
  const purgeTimer = setInterval(
    () => void purge().catch((err: Error) => app.log.error({ err }, 'purge failed')),
    PURGE_EVERY_MS,
  );
  purgeTimer.unref();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      // Asked again (a second Ctrl-C): the operator wants it gone now.
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'stopping');
    clearInterval(purgeTimer);
    // Requests in flight get STOP_GRACE_MS to finish, then their connections are cut: a slow
    // CSV download or a body that stops arriving kept the server up for minutes, answering
    // nobody else. What was cut is asked again (a phone resends its batch; nothing half-stored).
    setTimeout(() => {
      app.log.warn('requests still in flight: closing their connections');
      app.server.closeAllConnections();
    }, STOP_GRACE_MS).unref();
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });

  const base = phoneBaseUrl(config);
  const { code, expiresAt } = await issueEnrollmentCode(store, gate.id);
  const link = enrollmentUrl(base, code);
  const lines = [
    '',
    say('start.running'),
    ...serverUrls(config).map((u) => `  ${u}`),
    '',
    admin.created || admin.unshown
      ? newTokenLines(admin)
      : admin.file
        ? say('start.token.inFile', { file: admin.file })
        : say('start.token.fromEnv'),
    say('start.committee', { url: `${base.replace(/\/$/, '')}/committee/` }),
    '',
    enrollmentHeading(gateNameIn(gate.name, locale), expiresAt, say),
    `  ${link}`,
    '',
    await terminalQr(link),
  ];
  const hint = phoneLinkNote(base, say);
  if (hint) lines.push(hint, '');
  console.log(lines.join('\n'));
  adminTokenShown(admin);
  unprinted = undefined;
}

/** The admin token this start made, until it has been printed. */
let unprinted: AdminTokenSource | undefined;

/** What a start that made the admin token (or found it never shown) says of it, once. */
const newTokenLines = (admin: AdminTokenSource) =>
  `${say(admin.unshown ? 'start.token.unshown' : 'start.token.new', { file: admin.file ?? '' })}\n  ${admin.token}`;

/** What an operator reads when the server cannot start: the cause in words where it is known. */
function startFailure(err: unknown): unknown {
  if (err instanceof SaidError) return err.in(locale);
  return databaseFailure(err, loadConfig(), say) ?? listenFailure(err) ?? err;
}

/**
 * `listen` refused (`err.syscall`): the port taken (a GateLog already running, the quick start
 * on a machine whose 8080 serves something else), a port below 1024 for a user who may not
 * bind it, or a HOST that is none of this computer's addresses. Node's stack said only
 * EADDRINUSE to an operator who had typed `npm start`.
 */
function listenFailure(err: unknown): string | null {
  const e = err as { syscall?: unknown; code?: unknown } | null;
  if (e?.syscall !== 'listen') return null;
  const { host, port } = loadConfig();
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  const code = String(e.code);
  if (code !== 'EADDRINUSE' && code !== 'EACCES' && code !== 'EADDRNOTAVAIL') return null;
  const reason = say(`start.cannotListen.${code}`, {
    port: port === 65535 ? 8081 : port + 1,
    host,
  });
  return say('start.cannotListen', { where, code, reason });
}

main().catch((err: unknown) => {
  console.error(startFailure(err));
  // Made before the failure (a port taken at the first start): said now, or never.
  if (unprinted) {
    console.error(`\n${newTokenLines(unprinted)}`);
    adminTokenShown(unprinted);
  }
  process.exit(1);
});

/**
 * A stop (SIGTERM, as a process manager sends it) with a request that does not end: its body
 * stops arriving. The server answers it no more than STOP_GRACE_MS (10 s), then cuts it and
 * exits 0; before, it stayed up until the body's own time limit (2 min), answering nobody.
 */
import { connect } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { enrollPhone, type NodePhone } from '../support/phone';
import {
  PROCESS_ADMIN_TOKEN,
  exitWithin,
  startServerProcess,
  type ServerProcess,
} from '../support/server-process';
import {
  createScratchDb,
  describeEachStore,
  storeTargets,
  type ScratchDb,
} from '../support/stores';

const targets = await storeTargets('a stop with a request in flight');

describeEachStore('a stop with a request in flight', targets, (target) => {
  let db: ScratchDb;
  let server: ServerProcess | undefined;
  let phone: NodePhone | undefined;

  beforeAll(async () => {
    db = await createScratchDb(target, 'shutdown');
  });
  afterAll(async () => {
    phone?.stop();
    await server?.stop();
    await db?.drop();
  });

  it('cuts a request that does not end after the grace, and exits 0', async () => {
    server = await startServerProcess(db);
    phone = await enrollPhone({ serverUrl: server.base, adminToken: PROCESS_ADMIN_TOKEN });
    const body = JSON.stringify({ batchId: randomUUID(), records: [] });
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    socket.on('error', () => {});
    // The headers and the first bytes of the body, and then nothing.
    socket.write(
      `POST /api/v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${phone.token}\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((r) => setTimeout(r, 500));

    server.child.kill('SIGTERM');
    const exit = await exitWithin(server, 30_000);
    expect(exit).toEqual({ code: 0, signal: null });
    await closed;
    expect(server.output()).toContain('closing their connections');
  });
});

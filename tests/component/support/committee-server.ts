/**
 * A real GateLog server for the committee page's component tests, in a process of its own (the
 * component suite's modules are built for a browser): the Fastify app on a fresh SQLite file,
 * listening on a free port (127.0.0.1, and no public URL unless COMMITTEE_PUBLIC_URL is set), with
 * one phone enrolled. Prints one
 * JSON line (see `Started`), and stops when its stdin closes. A line on stdin is a `Command`,
 * for what the API cannot do (a gate removed behind the page's back); it answers `done`.
 */
import { createInterface } from 'node:readline';
import { ADMIN_TOKEN, startServer } from '../../server/harness';

export interface Command {
  /** A gate that has no phone and no record, removed from the database. */
  removeGate: string;
}

export interface Started {
  url: string;
  adminToken: string;
  gate: { id: string; name: string };
  phone: { deviceId: string; token: string; gateId: string };
}

// No GATELOG_PUBLIC_URL: links for phones name the address the page was opened at, as on a
// committee's computer that has none set; or COMMITTEE_PUBLIC_URL, when a test sets it, as
// GATELOG_PUBLIC_URL.
const server = await startServer({ publicUrl: process.env.COMMITTEE_PUBLIC_URL || undefined });
await server.app.listen({ port: 0, host: '127.0.0.1' });
const address = server.app.server.address();
if (address === null || typeof address === 'string') throw new Error('not listening');
const { deviceId, token, gateId } = await server.enroll(server.gate.id, '北门手机 1');
const started: Started = {
  url: `http://127.0.0.1:${address.port}`,
  adminToken: ADMIN_TOKEN,
  gate: { id: server.gate.id, name: server.gate.name },
  phone: { deviceId, token, gateId },
};
process.stdout.write(JSON.stringify(started) + '\n');
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  const { removeGate } = JSON.parse(line) as Command;
  server.store.db.prepare('DELETE FROM gates WHERE id = ?').run(removeGate);
  process.stdout.write('done\n');
});
commands.on('close', () => void server.close().then(() => process.exit(0)));

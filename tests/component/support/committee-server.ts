/**
 * A real GateLog server for the committee page's component tests, in a process of its own (the
 * component suite's modules are built for a browser): the Fastify app on a fresh SQLite file,
 * listening on a free port (127.0.0.1, and no public URL), with one phone enrolled. Prints one
 * JSON line (see `Started`), and stops when its stdin closes.
 */
import { ADMIN_TOKEN, startServer } from '../../server/harness';

export interface Started {
  url: string;
  adminToken: string;
  gate: { id: string; name: string };
  phone: { deviceId: string; token: string; gateId: string };
}

// No GATELOG_PUBLIC_URL: links for phones name the address the page was opened at, as on a
// committee's computer that has none set.
const server = await startServer({ publicUrl: undefined });
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
process.stdin.resume();
process.stdin.on('end', () => void server.close().then(() => process.exit(0)));

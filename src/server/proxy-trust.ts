/**
 * A proxy in front that GATELOG_TRUST_PROXY does not name: its X-Forwarded-For is ignored, as it
 * must be, and every client coming through it is the proxy's own address, so the per-address
 * rate limits count a compound's phones (a district's, behind one proxy) as one client, and the
 * log names nobody. Nothing said so: a start under systemd or Docker without the variable (or
 * with `true` while the proxy reaches GateLog from a container's bridge, 172.17.0.1, not from
 * this machine) looked like it worked. Said once, with the setting to give.
 */
import type { FastifyInstance } from 'fastify';
import { isLoopbackHostname } from '../shared/urls';
import type { TrustProxy } from './config';

/** Logs one warning the first time a request's X-Forwarded-For is not believed. */
export function warnOfUntrustedProxy(app: FastifyInstance, trustProxy: TrustProxy): void {
  let warned = false;
  app.addHook('onRequest', async (request) => {
    if (warned || request.headers['x-forwarded-for'] === undefined) return;
    // Believed: the peer and the address it added (proxy-addr, as Fastify's `ips`; none when
    // GATELOG_TRUST_PROXY is false); else the peer alone.
    if ((request.ips?.length ?? 1) > 1) return;
    warned = true;
    const from = (request.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const setting = isLoopbackHostname(from) ? 'true' : from;
    request.log.warn(
      `Requests from ${from} carry X-Forwarded-For, which GateLog ignores: GATELOG_TRUST_PROXY ` +
        (trustProxy === false ? 'is not set' : `(${trustProxy}) does not name ${from}`) +
        `, so every client coming through it counts as ${from} for the per-address rate ` +
        `limits and in the log. If your proxy runs there, start GateLog with ` +
        `GATELOG_TRUST_PROXY=${setting}.`,
    );
  });
}

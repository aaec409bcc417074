/**
 * A bad network of our own: a TCP proxy (Node `net`) between the browser and the server that,
 * connection by connection and at random (seeded, so a run can be replayed), refuses, stalls,
 * hangs, slows down, or resets a connection half way — before the request reached the server,
 * or after the server answered (a lost answer). It works below HTTP, so the browser sees real
 * resets and timeouts, exactly as on a phone at a gate.
 *
 * Modes: `pass` (a plain pipe), `chaos` (the faults above), `down` (every connection reset at
 * once, the open ones included: the network is gone).
 */
import { connect, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'chaos' | 'down';

/** The share of connections each fault gets in `chaos` mode; the rest pass. */
export interface ChaosRates {
  /** Reset as soon as it opens. */
  refuse: number;
  /** Swallowed for 1–8 s, then reset. */
  stall: number;
  /** Never answered and never closed: the phone's own timeout must end it. */
  hang: number;
  /** Part of the request goes to the server, then both sides are reset. */
  cutRequest: number;
  /** The whole request goes; the answer is dropped and the phone's side reset. */
  cutResponse: number;
  /** Every chunk each way delayed 0–1.5 s. */
  slow: number;
}

export const DEFAULT_CHAOS: ChaosRates = {
  refuse: 0.12,
  stall: 0.08,
  hang: 0.02,
  cutRequest: 0.1,
  cutResponse: 0.15,
  slow: 0.15,
};

type Fate = keyof ChaosRates | 'pass';

export interface ChaosProxy {
  /** `http://127.0.0.1:<port>`: the origin the browser uses. */
  url: string;
  mode: ProxyMode;
  setMode(mode: ProxyMode): void;
  /** Connections by what happened to them. */
  stats: Record<Fate | 'down', number>;
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG, [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const reset = (s: Socket) => {
  if (!s.destroyed) s.resetAndDestroy();
};

/** Starts a proxy to `target` (host:port) on a free port of 127.0.0.1, in `pass` mode. */
export async function startChaosProxy(
  target: { host: string; port: number },
  opts: { seed: number; rates?: Partial<ChaosRates> },
): Promise<ChaosProxy> {
  const rates: ChaosRates = { ...DEFAULT_CHAOS, ...opts.rates };
  const random = seededRandom(opts.seed);
  const open = new Set<Socket>();
  const stats: ChaosProxy['stats'] = {
    pass: 0,
    refuse: 0,
    stall: 0,
    hang: 0,
    cutRequest: 0,
    cutResponse: 0,
    slow: 0,
    down: 0,
  };
  let mode: ProxyMode = 'pass';

  const pickFate = (): Fate => {
    if (mode === 'pass') return 'pass';
    let r = random();
    for (const fate of Object.keys(rates) as (keyof ChaosRates)[]) {
      if (r < rates[fate]) return fate;
      r -= rates[fate];
    }
    return 'pass';
  };

  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    client.on('error', () => {});
    if (mode === 'down') {
      stats.down++;
      reset(client);
      return;
    }
    const fate = pickFate();
    stats[fate]++;
    if (fate === 'refuse') {
      reset(client);
      return;
    }
    if (fate === 'stall' || fate === 'hang') {
      client.on('data', () => {});
      if (fate === 'stall') setTimeout(() => reset(client), 1_000 + random() * 7_000);
      return;
    }

    const upstream = connect(target.port, target.host);
    open.add(upstream);
    upstream.on('close', () => open.delete(upstream));
    upstream.on('error', () => reset(client));
    client.on('close', () => upstream.destroy());
    upstream.on('end', () => client.end());
    client.on('end', () => upstream.end());

    const delay = () =>
      fate === 'slow' ? new Promise((r) => setTimeout(r, random() * 1_500)) : null;
    let toServer: Promise<unknown> = Promise.resolve();
    let toPhone: Promise<unknown> = Promise.resolve();
    let cut = false;
    client.on('data', (chunk: Buffer) => {
      if (cut) return;
      if (fate === 'cutRequest') {
        cut = true;
        upstream.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => {
          reset(client);
          upstream.destroy();
        });
        return;
      }
      toServer = toServer.then(delay).then(() => {
        if (!upstream.destroyed) upstream.write(chunk);
      });
    });
    upstream.on('data', (chunk: Buffer) => {
      if (cut) return;
      if (fate === 'cutResponse') {
        cut = true;
        reset(client);
        upstream.destroy();
        return;
      }
      toPhone = toPhone.then(delay).then(() => {
        if (!client.destroyed) client.write(chunk);
      });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as { port: number };

  return {
    url: `http://127.0.0.1:${port}`,
    get mode() {
      return mode;
    },
    setMode(next) {
      mode = next;
      if (next === 'down') for (const s of open) reset(s);
    },
    stats,
    async close() {
      for (const s of open) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

/** GET /healthz: liveness and readiness for a load balancer; 503 when the database is down. */
import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../context';

export default function healthRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/healthz', { config: { rateLimit: false } }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await ctx.store.ping();
      return { ok: true, db: true };
    } catch (err) {
      request.log.warn({ err: { message: (err as Error).message } }, 'database ping failed');
      return reply.code(503).send({ ok: false, db: false });
    }
  });
}

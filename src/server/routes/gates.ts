/** Gates, changes of their name and rules, and their enrollment codes (admin). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import * as z from 'zod/mini';
import { createGateRequestSchema, updateGateRequestSchema } from '../../shared';
import type { AppContext } from '../context';
import { enrollmentUrl, issueEnrollmentCode } from '../enrollment';
import { HttpError } from '../errors';
import { createGate, gateView, updateGate } from '../gates';
import { parseOr400 } from '../validate';

const paramsSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

/** The server's own address as the phone should see it. */
function publicUrlOf(request: FastifyRequest, configured: string | undefined): string {
  return configured ?? `${request.protocol}://${request.host}`;
}

export default function gatesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.get('/api/v1/gates', { preHandler: ctx.auth.admin }, async () => ({
    gates: (await ctx.store.listGates()).map(gateView),
  }));

  app.post('/api/v1/gates', { preHandler: ctx.auth.admin }, async (request, reply) => {
    const body = parseOr400(createGateRequestSchema, request.body);
    const gate = await createGate(ctx.store, body.name, body.rules, ctx.now());
    return reply.code(201).send(gateView(gate));
  });

  app.patch('/api/v1/gates/:id', { preHandler: ctx.auth.admin }, async (request) => {
    const { id } = parseOr400(paramsSchema, request.params);
    const body = parseOr400(updateGateRequestSchema, request.body);
    const gate = await updateGate(ctx.store, id, body);
    if (!gate) throw new HttpError(404, 'gate_unknown', 'No such gate');
    return gateView(gate);
  });

  app.post(
    '/api/v1/gates/:id/enrollment-codes',
    { preHandler: ctx.auth.admin },
    async (request, reply) => {
      const { id } = parseOr400(paramsSchema, request.params);
      const gate = await ctx.store.getGate(id);
      if (!gate) throw new HttpError(404, 'gate_unknown', 'No such gate');
      const { code, expiresAt } = await issueEnrollmentCode(
        ctx.store,
        gate.id,
        ctx.now(),
        ctx.enrollCodeTtlMs,
      );
      return reply.code(201).send({
        code,
        expiresAt: new Date(expiresAt).toISOString(),
        url: enrollmentUrl(publicUrlOf(request, ctx.publicUrl), code),
      });
    },
  );
}

/** Gates, changes of their name and rules, and their enrollment codes (admin). */
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import { createGateRequestSchema, updateGateRequestSchema } from '../../shared';
import type { AppContext } from '../context';
import { enrollmentBase, enrollmentUrl, issueEnrollmentCode } from '../enrollment';
import { HttpError } from '../errors';
import { createGate, gateView, updateGate } from '../gates';
import { parseOr400 } from '../validate';

const paramsSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

export default function gatesRoutes(app: FastifyInstance, ctx: AppContext): void {
  // Said once a run: every code made through that address would say it again.
  let warnedOfHost = false;
  // In the order they were made (then by id), as documented: clients sort by name to show them.
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
      const { base, foreign } = enrollmentBase(`${request.protocol}://${request.host}`, ctx);
      if (foreign !== undefined && !warnedOfHost) {
        warnedOfHost = true;
        request.log.warn(
          `An enrollment link was asked for at ${foreign.slice(0, 200)}, which is not an address ` +
            `of this server; the link names ${base}. Set GATELOG_PUBLIC_URL to the address ` +
            'phones open (behind a proxy: its https:// address).',
        );
      }
      return reply.code(201).send({
        code,
        expiresAt: new Date(expiresAt).toISOString(),
        url: enrollmentUrl(base, code),
      });
    },
  );
}

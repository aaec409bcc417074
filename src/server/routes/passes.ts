/**
 * Resident passes (admin): issue, list, revoke, a printable sheet of pass cards, and the
 * signing keys (list the published ones; POST one more to rotate).
 */
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import { createPassRequestSchema, passListQuerySchema, passSheetQuerySchema } from '../../shared';
import type { AppContext } from '../context';
import { HttpError } from '../errors';
import { publishedKeys, rotateSigningKey, signingKeyView } from '../passes/keys';
import { issuePass, passView, revokePass } from '../passes/service';
import { SHEET_CSP, renderPassSheet } from '../passes/sheet';
import { parseOr400 } from '../validate';

const paramsSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

const DAY_MS = 86_400_000;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The clerk's day as the page sent it, or the server's (UTC) one. Every time zone's day is
 * within one of UTC's: a day further off is a wrong clock, whose sheet would hold expired
 * passes or leave out good ones.
 */
function sheetDay(today: string | undefined, now: number): string {
  if (today === undefined) return utcDay(now);
  if (today < utcDay(now - DAY_MS) || today > utcDay(now + DAY_MS)) {
    throw new HttpError(
      400,
      'invalid_request',
      `today: ${today} is not today's date anywhere (the server's is ${utcDay(now)} UTC); check this computer's clock`,
    );
  }
  return today;
}

export default function passesRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/passes', { preHandler: ctx.auth.admin }, async (request, reply) => {
    const body = parseOr400(createPassRequestSchema, request.body);
    const pass = await issuePass(ctx.store, body, ctx.now());
    return reply.code(201).send(passView(pass));
  });

  app.get('/api/v1/passes', { preHandler: ctx.auth.admin }, async (request) => {
    const q = parseOr400(passListQuerySchema, request.query);
    const passes = await ctx.store.listPasses({
      ...(q.gateId !== undefined && { gateId: q.gateId }),
      includeRevoked: q.status !== undefined && q.status !== 'active',
    });
    return {
      passes: passes.filter((p) => q.status !== 'revoked' || p.revokedAt !== null).map(passView),
    };
  });

  app.delete('/api/v1/passes/:id', { preHandler: ctx.auth.admin }, async (request, reply) => {
    const { id } = parseOr400(paramsSchema, request.params);
    if (!(await revokePass(ctx.store, id, ctx.now()))) {
      throw new HttpError(404, 'pass_unknown', 'No such pass');
    }
    return reply.code(204).send();
  });

  app.get('/api/v1/passes/sheet.html', { preHandler: ctx.auth.admin }, async (request, reply) => {
    const q = parseOr400(passSheetQuerySchema, request.query);
    const today = sheetDay(q.today, ctx.now());
    let gateName: string | undefined;
    if (q.gateId !== undefined) {
      const gate = await ctx.store.getGate(q.gateId);
      if (!gate) throw new HttpError(404, 'gate_unknown', 'No such gate');
      gateName = gate.name;
    }
    const passes = await ctx.store.listPasses({
      ...(q.gateId !== undefined && { gateId: q.gateId }),
    });
    const { html } = await renderPassSheet(passes, {
      gateName,
      now: ctx.now(),
      today,
      utcOffsetMinutes: q.utcOffsetMinutes,
    });
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', SHEET_CSP)
      .send(html);
  });

  app.get('/api/v1/passes/keys', { preHandler: ctx.auth.admin }, async () => ({
    keys: await publishedKeys(ctx.store, ctx.now()),
  }));

  app.post('/api/v1/passes/keys', { preHandler: ctx.auth.admin }, async (_request, reply) => {
    const key = await rotateSigningKey(ctx.store, ctx.now());
    return reply.code(201).send(signingKeyView(key));
  });
}

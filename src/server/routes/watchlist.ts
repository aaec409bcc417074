/**
 * The watchlist (admin): people under home quarantine, until when, found at the gate by pass
 * number, ID number or phone. Phones get it through the pull feed (device-changes.ts).
 */
import type { FastifyInstance } from 'fastify';
import * as z from 'zod/mini';
import { createWatchRequestSchema } from '../../shared';
import type { AppContext } from '../context';
import { HttpError } from '../errors';
import { addWatch, removeWatch, watchView } from '../passes/service';
import { parseOr400 } from '../validate';

const paramsSchema = z.object({ id: z.string().check(z.minLength(1), z.maxLength(64)) });

export default function watchlistRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.post('/api/v1/watchlist', { preHandler: ctx.auth.admin }, async (request, reply) => {
    const body = parseOr400(createWatchRequestSchema, request.body);
    const watch = await addWatch(ctx.store, body, ctx.now());
    return reply.code(201).send(watchView(watch));
  });

  app.get('/api/v1/watchlist', { preHandler: ctx.auth.admin }, async () => ({
    watchlist: (await ctx.store.listWatch()).map(watchView),
  }));

  app.delete('/api/v1/watchlist/:id', { preHandler: ctx.auth.admin }, async (request, reply) => {
    const { id } = parseOr400(paramsSchema, request.params);
    if (!(await removeWatch(ctx.store, id, ctx.now()))) {
      throw new HttpError(404, 'watch_unknown', 'No such watchlist entry');
    }
    return reply.code(204).send();
  });
}

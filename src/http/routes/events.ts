/**
 * @module http/routes/events
 * The events door (PRODUCT.md §6): `POST /api/v1/workflows/events` hands a chat command or
 * platform event to the dispatcher; and the live view of a run for REST clients,
 * `GET /api/v1/workflows/executions/:execution_id/events`, Server-Sent Events carrying the same
 * node events as gRPC `WatchExecution`.
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DispatchEventSchema } from '../../services/dispatch-event.ts';
import type { EventDispatcher } from '../../services/events.ts';
import type { ExecutionEvent, ExecutionWatcher } from '../../services/execution-types.ts';
import { principalOf } from '../access.ts';
import { ok, Uuid } from '../envelope.ts';

export interface EventRoutesOptions {
  readonly dispatcher: EventDispatcher;
  readonly watcher: ExecutionWatcher;
  /** How often an idle stream sends a comment so proxies keep it open. */
  readonly keepAliveMs?: number;
}

const ExecutionParams = Type.Object({ execution_id: Uuid }, { additionalProperties: false });

/** One SSE frame: `event: node` for node events, `event: end` for the final one. */
export function sseFrame(event: ExecutionEvent): string {
  const { final, ...payload } = event;
  return `event: ${final ? 'end' : 'node'}\ndata: ${JSON.stringify(payload)}\n\n`;
}

export const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesOptions> = async (app, options) => {
  const { dispatcher, watcher } = options;
  const keepAliveMs = options.keepAliveMs ?? 15_000;

  app.post(
    '/api/v1/workflows/events',
    { config: { access: { kind: 'dispatch' } }, schema: { tags: ['events'], body: DispatchEventSchema } },
    async (request, reply) => {
      const result = await dispatcher.dispatch(request.body, principalOf(request).userId);
      reply.status(202);
      return ok(result, `${result.matched.length} workflow(s) triggered`);
    },
  );

  app.get(
    '/api/v1/workflows/executions/:execution_id/events',
    {
      config: { access: { kind: 'execution', permission: 'can_view' } },
      schema: { tags: ['executions'], params: ExecutionParams },
    },
    async (request, reply) => {
      const stream = new PassThrough();
      let unsubscribe: (() => void) | null = null;
      let timer: NodeJS.Timeout | null = null;
      const finish = () => {
        if (timer) clearInterval(timer);
        timer = null;
        unsubscribe?.();
        unsubscribe = null;
        if (!stream.writableEnded) stream.end();
      };
      let ended = false;
      unsubscribe = await watcher.watch(request.params.execution_id, (event) => {
        if (ended) return;
        stream.write(sseFrame(event));
        if (event.final) {
          ended = true;
          // The listener may run inside watch(); let it return before tearing down.
          queueMicrotask(finish);
        }
      });
      if (ended) queueMicrotask(finish);
      else {
        timer = setInterval(() => stream.write(': keep-alive\n\n'), keepAliveMs);
        timer.unref();
      }
      reply.raw.once('close', finish);
      reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        .header('x-accel-buffering', 'no');
      return reply.send(stream);
    },
  );
};

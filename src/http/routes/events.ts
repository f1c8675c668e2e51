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
import type { EventDispatcher } from '../../services/event-dispatcher.ts';
import type { ExecutionEvent, ExecutionWatcher } from '../../services/execution-types.ts';
import { createWatchSink, LAGGED_STATUS } from '../../services/watch-sink.ts';
import { principalOf } from '../access.ts';
import { Envelope, errors, ok, Uuid } from '../envelope.ts';

export interface EventRoutesOptions {
  readonly dispatcher: EventDispatcher;
  readonly watcher: ExecutionWatcher;
  /** How often an idle stream sends a comment so proxies keep it open. */
  readonly keepAliveMs?: number;
  /** Unsent bytes a watcher may fall behind before it gets `lagged` and is closed (STREAM_LAG_LIMIT_BYTES). */
  readonly lagLimitBytes?: number;
}

const ExecutionParams = Type.Object({ execution_id: Uuid }, { additionalProperties: false });

const DispatchAnswer = Envelope(
  Type.Object(
    {
      matched: Type.Array(
        Type.Object({ workflow_id: Uuid, node_id: Type.String(), execution_id: Uuid }, { additionalProperties: false }),
        { description: 'triggers that matched, each with the execution it started' },
      ),
      skipped: Type.Array(
        Type.Object(
          { workflow_id: Uuid, node_id: Type.String(), reason: Type.String() },
          { additionalProperties: false },
        ),
        { description: 'triggers that matched but did not run, with the reason (require_mod, cooldown, …)' },
      ),
    },
    { additionalProperties: false },
  ),
  'Dispatched',
);

const EventStream = {
  description:
    'Server-Sent Events: `event: node` per node event (`data` is JSON with execution_id, node_id, status, at, output), then one `event: end` when the execution is finished; a comment line every 15 s keeps idle streams open. A finished execution answers its recorded events at once.',
  content: { 'text/event-stream': { schema: Type.Unsafe<unknown>({ type: 'string' }) } },
};

/** One SSE frame: `event: node` for node events, `event: end` for the final one, `event: lagged` for a cut-off. */
export function sseFrame(event: ExecutionEvent): string {
  const { final, ...payload } = event;
  const name = event.status === LAGGED_STATUS ? LAGGED_STATUS : final ? 'end' : 'node';
  return `event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`;
}

/** How long a lagged watcher's connection may take to read its notice before it is cut. */
const LAGGED_GRACE_MS = 5000;

export const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesOptions> = async (app, options) => {
  const { dispatcher, watcher } = options;
  const keepAliveMs = options.keepAliveMs ?? 15_000;
  const lagLimitBytes = options.lagLimitBytes ?? 1024 * 1024;

  app.post(
    '/api/v1/workflows/events',
    {
      config: { access: { kind: 'dispatch' } },
      schema: {
        tags: ['events'],
        summary: 'Dispatch a chat command or platform event',
        description:
          'For the chat router: a token with the workflows:dispatch scope hands over a `command` or `event`; every active workflow of the entity whose trigger matches starts an execution (cooldowns and require_mod apply).',
        body: DispatchEventSchema,
        response: { 202: DispatchAnswer },
      },
    },
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
      schema: {
        tags: ['executions'],
        summary: 'Watch an execution live (SSE)',
        description:
          'The same node events as gRPC WatchExecution, as a `text/event-stream`. Send the token in the Authorization header (EventSource cannot: use fetch with a stream reader).',
        params: ExecutionParams,
        response: { 200: EventStream, ...errors(429) },
      },
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
      const sink = createWatchSink<string>(
        {
          write: (frame) => stream.write(frame),
          onDrain: (listener) => stream.on('drain', listener),
          // The listener may run inside watch(); let it return before tearing down.
          end: (last) => {
            stream.write(last);
            queueMicrotask(finish);
          },
        },
        {
          frame: sseFrame,
          sizeOf: (frame) => frame.length,
          lagLimitBytes,
          // A reader that never reads would keep its socket buffers: cut it once the notice had its chance.
          onLagged: () => setTimeout(() => reply.raw.destroy(), LAGGED_GRACE_MS).unref(),
        },
      );
      unsubscribe = await watcher.watch(
        request.params.execution_id,
        (event) => sink.push(event),
        principalOf(request).userId,
      );
      if (sink.closed) queueMicrotask(finish);
      else {
        timer = setInterval(() => {
          if (stream.writableNeedDrain) return;
          stream.write(': keep-alive\n\n');
        }, keepAliveMs);
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

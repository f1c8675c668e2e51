/**
 * @module http/routes/events
 * The events door (PRODUCT.md §6): `POST /api/v1/workflows/events` hands a chat command or
 * platform event to the dispatcher. (The live view of a run, `GET …/executions/:id/events`, is an
 * execution route: http/routes/executions.ts.)
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { DispatchEventSchema } from '../../services/dispatch-event.ts';
import type { EventDispatcher } from '../../services/event-dispatcher.ts';
import { principalOf } from '../access.ts';
import { Envelope, ok, Uuid } from '../envelope.ts';

export interface EventRoutesOptions {
  readonly dispatcher: EventDispatcher;
}

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

export const eventRoutes: FastifyPluginAsyncTypebox<EventRoutesOptions> = async (app, options) => {
  const { dispatcher } = options;

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
};

/**
 * @module nodes/action-browser-source
 * Updates a stream overlay (ticker, media, general) through the router (`/api/v1/browser-source`).
 */
import { type Static, Type } from '@sinclair/typebox';
import { type Defaulted, literalUnion } from './common-schemas.ts';
import { deliver, deliveryOutput } from './deliver.ts';
import { defineNode } from './node-type.ts';
import { deliveryOutputSchema } from './output-schemas.ts';
import { createRenderer } from './render-in-context.ts';

export const BROWSER_SOURCE_TYPES = ['ticker', 'media', 'general'] as const;
export const BROWSER_SOURCE_ACTIONS = ['display', 'update', 'clear'] as const;
const DELIVERY_TIMEOUT_MS = 10_000;

export const ActionBrowserSourceConfigSchema = Type.Object(
  {
    source_type: Type.Optional(literalUnion(BROWSER_SOURCE_TYPES, { default: 'ticker' })),
    action: Type.Optional(literalUnion(BROWSER_SOURCE_ACTIONS, { default: 'display' })),
    content: Type.Optional(
      Type.Union([Type.String({ maxLength: 10_000 }), Type.Record(Type.String(), Type.Unknown())], {
        description: 'template (text, or an object whose strings are templates); needed unless action is clear',
      }),
    ),
    duration: Type.Optional(Type.Number({ minimum: 0, maximum: 3600, default: 10, description: 'seconds' })),
    priority: Type.Optional(Type.Integer({ minimum: -100, maximum: 100, default: 0 })),
  },
  { additionalProperties: false },
);
export type ActionBrowserSourceConfig = Defaulted<
  Static<typeof ActionBrowserSourceConfigSchema>,
  'source_type' | 'action' | 'duration' | 'priority'
>;

export const actionBrowserSource = defineNode<ActionBrowserSourceConfig>({
  type: 'action_browser_source',
  category: 'action',
  description: 'Displays, updates or clears a stream overlay (ticker, media, general).',
  configSchema: ActionBrowserSourceConfigSchema,
  outputSchema: deliveryOutputSchema({
    payload: Type.Record(Type.String(), Type.Unknown(), { description: 'the update as sent' }),
  }),
  examples: [{ source_type: 'ticker', action: 'display', content: 'New follower: {{ username }}', duration: 10 }],
  outputPorts: ['output', 'error'],
  hasInput: true,
  effect: 'outbox',
  validateConfig: (config) =>
    config.action !== 'clear' && (config.content === undefined || config.content === '')
      ? [`config field 'content' is required when action is '${config.action}'`]
      : [],
  async execute(config, _input, ctx) {
    const render = createRenderer(ctx);
    const payload = {
      source_type: config.source_type,
      action: config.action,
      content: config.content === undefined ? null : render.value(config.content),
      duration: config.duration,
      priority: config.priority,
      entity_id: ctx.entityId,
      community_id: ctx.communityId,
      execution_id: ctx.executionId,
    };
    return deliveryOutput(await deliver(ctx, 'browser_source', payload, DELIVERY_TIMEOUT_MS), { payload });
  },
});

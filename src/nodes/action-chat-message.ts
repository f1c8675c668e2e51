/**
 * @module nodes/action-chat-message
 * Sends a chat message through the router (`/api/v1/send-message`), or records it in the outbox.
 * Platform, channel and user default to the ones the trigger came from.
 */
import { type Static, Type } from '@sinclair/typebox';
import { type Defaulted, literalUnion } from './common-schemas.ts';
import { deliver, deliveryOutput } from './deliver.ts';
import { defineNode, type NodeContext, NodeError } from './node-type.ts';
import { deliveryOutputSchema } from './output-schemas.ts';
import { createRenderer } from './render-in-context.ts';

export const CHAT_DESTINATIONS = ['current_channel', 'user_pm', 'specified_channel'] as const;
const DELIVERY_TIMEOUT_MS = 10_000;
const MAX_MESSAGE_LENGTH = 4000;

export const ActionChatMessageConfigSchema = Type.Object(
  {
    message: Type.String({ minLength: 1, maxLength: MAX_MESSAGE_LENGTH, description: 'template' }),
    destination: Type.Optional(literalUnion(CHAT_DESTINATIONS, { default: 'current_channel' })),
    channel_id: Type.Optional(Type.String({ maxLength: 256, description: 'template; required for specified_channel' })),
    user_id: Type.Optional(
      Type.String({ maxLength: 256, description: 'template; user_pm defaults to the trigger user' }),
    ),
    platform: Type.Optional(Type.String({ maxLength: 256, description: 'template; defaults to the trigger platform' })),
    reply_to_message: Type.Optional(Type.Boolean({ default: false })),
  },
  { additionalProperties: false },
);
export type ActionChatMessageConfig = Defaulted<
  Static<typeof ActionChatMessageConfigSchema>,
  'destination' | 'reply_to_message'
>;

function truncate(message: string, ctx: NodeContext): string {
  if (message.length <= MAX_MESSAGE_LENGTH) return message;
  ctx.log(`message cut to ${MAX_MESSAGE_LENGTH} characters (rendered ${message.length})`);
  return message.slice(0, MAX_MESSAGE_LENGTH);
}

export const actionChatMessage = defineNode<ActionChatMessageConfig>({
  type: 'action_chat_message',
  category: 'action',
  description: 'Sends a chat message to the current channel, a user (PM) or a given channel.',
  configSchema: ActionChatMessageConfigSchema,
  outputSchema: deliveryOutputSchema({
    payload: Type.Record(Type.String(), Type.Unknown(), { description: 'the message as sent' }),
  }),
  examples: [
    { message: 'Go follow {{ args[0] }}!' },
    { message: 'Thanks for the raid, {{ username }}!', destination: 'user_pm' },
  ],
  outputPorts: ['output', 'error'],
  hasInput: true,
  effect: 'outbox',
  validateConfig: (config) =>
    config.destination === 'specified_channel' && !config.channel_id
      ? ["config field 'channel_id' is required when destination is 'specified_channel'"]
      : [],
  async execute(config, _input, ctx) {
    const render = createRenderer(ctx);
    const message = render.text(config.message);
    if (message.trim() === '') throw new NodeError('message is empty after rendering its template', 'EMPTY_MESSAGE');
    const fromTrigger = (field: string, configured: string | undefined): string | null => {
      const value = configured === undefined ? ctx.scope.get(field) : render.value(configured);
      return value === undefined || value === null || value === '' ? null : String(value);
    };
    const payload = {
      message: truncate(message, ctx),
      destination: config.destination,
      entity_id: ctx.entityId,
      community_id: ctx.communityId,
      platform: fromTrigger('platform', config.platform),
      channel_id: fromTrigger('channel_id', config.channel_id),
      user_id: fromTrigger('user_id', config.user_id),
      reply_to_message: config.reply_to_message,
      // The message being replied to: the trigger's, unless the run has none.
      ...(config.reply_to_message ? { message_id: fromTrigger('message_id', undefined) } : {}),
      execution_id: ctx.executionId,
    };
    if (config.destination === 'specified_channel' && payload.channel_id === null) {
      throw new NodeError('channel_id rendered empty for destination specified_channel', 'MISSING_CHANNEL');
    }
    return deliveryOutput(await deliver(ctx, 'chat_message', payload, DELIVERY_TIMEOUT_MS), { payload });
  },
});

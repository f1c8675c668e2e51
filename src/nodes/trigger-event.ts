/**
 * @module nodes/trigger-event
 * Entry point for platform events (follow, sub, raid…). `event_filters` maps paths into the
 * trigger data to the values they must equal; dispatch applies them (section 6).
 */
import { type Static, Type } from '@sinclair/typebox';
import { type Defaulted, pathProblems } from './common-schemas.ts';
import { defineNode } from './node-type.ts';
import { EventTriggerOutputSchema } from './output-schemas.ts';
import { emitTriggerData } from './trigger-data.ts';

export const TriggerEventConfigSchema = Type.Object(
  {
    event_type: Type.String({ minLength: 1, maxLength: 100, description: 'e.g. follow, subscription, raid' }),
    platforms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { default: [], maxItems: 20 })),
    event_filters: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.Unknown(), {
        default: {},
        description: 'path into the trigger data (e.g. data.tier) → value it must equal; all must hold',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TriggerEventConfig = Defaulted<Static<typeof TriggerEventConfigSchema>, 'platforms' | 'event_filters'>;

export const triggerEvent = defineNode<TriggerEventConfig>({
  type: 'trigger_event',
  category: 'trigger',
  description: 'Starts the workflow on a platform event (follow, sub, raid…) whose filters all match.',
  configSchema: TriggerEventConfigSchema,
  outputSchema: EventTriggerOutputSchema,
  examples: [
    { event_type: 'follow' },
    { event_type: 'subscription', platforms: ['twitch'], event_filters: { 'data.tier': '3000' } },
  ],
  outputPorts: ['output'],
  hasInput: false,
  effect: 'none',
  validateConfig: (config) =>
    Object.keys(config.event_filters).flatMap((path) => pathProblems(`event_filters.${path}`, path)),
  execute: emitTriggerData,
});

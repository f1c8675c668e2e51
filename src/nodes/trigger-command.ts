/**
 * @module nodes/trigger-command
 * Entry point for chat commands (`!so`). Matching, `require_mod` and cooldowns happen at dispatch
 * (section 6); when the run starts the node hands the trigger data on.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Defaulted } from './common-schemas.ts';
import { defineNode } from './node-type.ts';
import { CommandTriggerOutputSchema } from './output-schemas.ts';
import { emitTriggerData } from './trigger-data.ts';

export const TriggerCommandConfigSchema = Type.Object(
  {
    command_name: Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S+$', description: 'e.g. !so' }),
    platforms: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { default: [], maxItems: 20 })),
    case_sensitive: Type.Optional(Type.Boolean({ default: false })),
    require_mod: Type.Optional(Type.Boolean({ default: false })),
    cooldown_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, default: 0 })),
    user_cooldown_seconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400, default: 0 })),
  },
  { additionalProperties: false },
);
export type TriggerCommandConfig = Defaulted<
  Static<typeof TriggerCommandConfigSchema>,
  'platforms' | 'case_sensitive' | 'require_mod' | 'cooldown_seconds' | 'user_cooldown_seconds'
>;

export const triggerCommand = defineNode<TriggerCommandConfig>({
  type: 'trigger_command',
  category: 'trigger',
  description: 'Starts the workflow when a chat command (e.g. !so) is typed on a matching platform.',
  configSchema: TriggerCommandConfigSchema,
  outputSchema: CommandTriggerOutputSchema,
  examples: [{ command_name: '!so' }, { command_name: '!hug', platforms: ['twitch'], user_cooldown_seconds: 30 }],
  outputPorts: ['output'],
  hasInput: false,
  effect: 'none',
  execute: emitTriggerData,
});

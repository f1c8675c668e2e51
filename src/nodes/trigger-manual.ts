/**
 * @module nodes/trigger-manual
 * Entry point for runs started through the API or gRPC execute.
 */
import { Type } from '@sinclair/typebox';
import { defineNode } from './node-type.ts';
import { emitTriggerData } from './trigger-data.ts';

export const TriggerManualConfigSchema = Type.Object({}, { additionalProperties: false });

export const triggerManual = defineNode<Record<string, never>>({
  type: 'trigger_manual',
  category: 'trigger',
  description: 'Starts the workflow when it is executed through the REST or gRPC API.',
  configSchema: TriggerManualConfigSchema,
  outputSchema: Type.Record(Type.String(), Type.Unknown(), {
    description: 'the trigger data of the run (empty for execute; trigger_data for /test)',
  }),
  examples: [{}],
  outputPorts: ['output'],
  hasInput: false,
  effect: 'none',
  execute: emitTriggerData,
});

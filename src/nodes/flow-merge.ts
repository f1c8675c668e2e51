/**
 * @module nodes/flow-merge
 * Joins branches: the engine waits for every live incoming branch (-1) or the first N, then runs
 * the node once.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Defaulted } from './common-schemas.ts';
import { defineNode } from './node-type.ts';

export const FlowMergeConfigSchema = Type.Object(
  {
    input_ports_required: Type.Optional(
      Type.Integer({
        minimum: -1,
        maximum: 1000,
        default: -1,
        description: '-1: every live incoming branch; N: the first N',
      }),
    ),
  },
  { additionalProperties: false },
);
export type FlowMergeConfig = Defaulted<Static<typeof FlowMergeConfigSchema>, 'input_ports_required'>;

export const flowMerge = defineNode<FlowMergeConfig>({
  type: 'flow_merge',
  category: 'flow',
  description: 'Waits for every live incoming branch (or the first N) and continues once.',
  configSchema: FlowMergeConfigSchema,
  outputSchema: Type.Unknown({ description: 'the input of the branch that completed the merge' }),
  examples: [{}, { input_ports_required: 2 }],
  outputPorts: ['output'],
  hasInput: true,
  effect: 'none',
  structure: 'join',
  // Read defensively: any value but an integer N > 0, even one validation refuses, waits for all.
  joinInputs: (config) => {
    const value: unknown = config.input_ports_required;
    return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : -1;
  },
  validateConfig: (config) =>
    config.input_ports_required === 0 ? ["config field 'input_ports_required' must be -1 or at least 1"] : [],
  execute(_config, input) {
    return { output: input ?? null, ports: ['output'] };
  },
});

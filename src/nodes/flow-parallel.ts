/**
 * @module nodes/flow-parallel
 * Marks the branches hanging off `output` as concurrent; the engine runs them (at most
 * MAX_PARALLEL_NODES at once) within `timeout_seconds`.
 */
import { type Static, Type } from '@sinclair/typebox';
import type { Defaulted } from './common-schemas.ts';
import { defineNode } from './node-type.ts';

export const FlowParallelConfigSchema = Type.Object(
  { timeout_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, default: 300 })) },
  { additionalProperties: false },
);
export type FlowParallelConfig = Defaulted<Static<typeof FlowParallelConfigSchema>, 'timeout_seconds'>;

export const flowParallel = defineNode<FlowParallelConfig>({
  type: 'flow_parallel',
  category: 'flow',
  description: "Runs the branches connected to 'output' concurrently.",
  configSchema: FlowParallelConfigSchema,
  outputSchema: Type.Unknown({ description: 'its input, passed on' }),
  examples: [{ timeout_seconds: 60 }],
  outputPorts: ['output'],
  hasInput: true,
  effect: 'none',
  execute(config, input) {
    return {
      output: input ?? null,
      ports: ['output'],
      control: { kind: 'parallel', timeoutMs: config.timeout_seconds * 1000 },
    };
  },
});

/**
 * @module nodes/flow-end
 * Ends the branch and sets the execution's final output (rendered templates) and status.
 */
import { type Static, Type } from '@sinclair/typebox';
import { type Defaulted, literalUnion } from './common-schemas.ts';
import { defineNode } from './node-type.ts';
import { createRenderer } from './render-in-context.ts';

export const END_STATUSES = ['completed', 'failed'] as const;

export const FlowEndConfigSchema = Type.Object(
  {
    final_output: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.Unknown(), {
        default: {},
        description: 'name → template or value',
      }),
    ),
    status: Type.Optional(literalUnion(END_STATUSES, { default: 'completed' })),
    error_message: Type.Optional(
      Type.String({ maxLength: 2000, description: "template; used when status is 'failed'" }),
    ),
  },
  { additionalProperties: false },
);
export type FlowEndConfig = Defaulted<Static<typeof FlowEndConfigSchema>, 'final_output' | 'status'>;

export const flowEnd = defineNode<FlowEndConfig>({
  type: 'flow_end',
  category: 'flow',
  description: 'Ends the branch; sets the final output and whether the execution completed or failed.',
  configSchema: FlowEndConfigSchema,
  outputSchema: Type.Record(Type.String(), Type.Unknown(), { description: 'the final output (templates rendered)' }),
  examples: [
    { final_output: { shouted: '{{ shout }}' } },
    { status: 'failed', error_message: 'No such user: {{ args[0] }}' },
  ],
  outputPorts: [],
  hasInput: true,
  effect: 'none',
  structure: 'end',
  execute(config, _input, ctx) {
    const render = createRenderer(ctx);
    const finalOutput = render.value(config.final_output) as Record<string, unknown>;
    const errorMessage =
      config.status === 'failed'
        ? render.text(config.error_message ?? '') || 'workflow ended with status failed'
        : undefined;
    return {
      output: finalOutput,
      ports: [],
      control: {
        kind: 'end',
        status: config.status,
        finalOutput,
        ...(errorMessage === undefined ? {} : { errorMessage }),
      },
    };
  },
});

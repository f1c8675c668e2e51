/**
 * @module nodes/action-module
 * Calls a bot module through the router (`/api/v1/execute-module`). `input_mapping` builds the
 * module's input from templates; `output_mapping` copies paths of its response into variables.
 */
import { type Static, Type } from '@sinclair/typebox';
import { getPath } from '../core/paths.ts';
import { type Defaulted, pathProblems } from './common-schemas.ts';
import { deliver, deliveryOutput } from './deliver.ts';
import { defineNode } from './node-type.ts';
import { deliveryOutputSchema } from './output-schemas.ts';
import { createRenderer } from './render-in-context.ts';

export const ActionModuleConfigSchema = Type.Object(
  {
    module_name: Type.String({ minLength: 1, maxLength: 128 }),
    module_version: Type.Optional(Type.String({ minLength: 1, maxLength: 64, default: 'latest' })),
    input_mapping: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.Unknown(), {
        default: {},
        description: 'module input field → template or value',
      }),
    ),
    output_mapping: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.String({ minLength: 1, maxLength: 256 }), {
        default: {},
        description: 'variable → path in the module response',
      }),
    ),
    timeout_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 300, default: 30 })),
  },
  { additionalProperties: false },
);
export type ActionModuleConfig = Defaulted<
  Static<typeof ActionModuleConfigSchema>,
  'module_version' | 'input_mapping' | 'output_mapping' | 'timeout_seconds'
>;

export const actionModule = defineNode<ActionModuleConfig>({
  type: 'action_module',
  category: 'action',
  description: 'Calls a bot module through the router and maps its response into variables.',
  configSchema: ActionModuleConfigSchema,
  outputSchema: deliveryOutputSchema({
    mapped: Type.Record(Type.String(), Type.Unknown(), {
      description: 'variables set from the response by output_mapping',
    }),
  }),
  examples: [
    { module_name: 'quotes', input_mapping: { user: '{{ username }}' }, output_mapping: { quote: 'data.text' } },
  ],
  outputPorts: ['output', 'error'],
  hasInput: true,
  effect: 'outbox',
  validateConfig: (config) =>
    Object.entries(config.output_mapping).flatMap(([variable, path]) => [
      ...pathProblems(`output_mapping.${variable}`, variable),
      ...pathProblems(`output_mapping.${variable}`, path),
    ]),
  async execute(config, _input, ctx) {
    const render = createRenderer(ctx);
    const payload = {
      module_name: config.module_name,
      module_version: config.module_version,
      input: render.value(config.input_mapping),
      entity_id: ctx.entityId,
      community_id: ctx.communityId,
      execution_id: ctx.executionId,
      workflow_id: ctx.workflowId,
    };
    const result = await deliver(ctx, 'module', payload, config.timeout_seconds * 1000);
    const mapped: Record<string, unknown> = {};
    if (result.delivered) {
      for (const [variable, path] of Object.entries(config.output_mapping)) {
        const value = getPath(result.response, path);
        if (value === undefined) {
          ctx.log(`warning: module response has nothing at '${path}'; '${variable}' not set`);
          continue;
        }
        ctx.scope.set(variable, value);
        mapped[variable] = value;
      }
    }
    return deliveryOutput(result, { mapped });
  },
});

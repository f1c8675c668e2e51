/**
 * @module nodes/action-workflow
 * Calls another workflow of the same entity (its latest published version) with `input` as the
 * child's variables. With `wait`, the child's final_output is this node's output and a child
 * that does not complete takes the error port; without, the node answers the child's id at once.
 * Starting, waiting, depth and cancellation belong to the services behind `ctx.workflows`.
 */
import { type Static, Type } from '@sinclair/typebox';
import { UUID_PATTERN } from '../core/workflow.ts';
import type { Defaulted } from './common-schemas.ts';
import { defineNode, NodeError } from './node-type.ts';
import { createRenderer } from './render-in-context.ts';

export const ActionWorkflowConfigSchema = Type.Object(
  {
    workflow_id: Type.String({ pattern: UUID_PATTERN, description: 'a workflow of the same entity' }),
    input: Type.Optional(
      Type.Record(Type.String({ minLength: 1, maxLength: 128 }), Type.Unknown(), {
        default: {},
        description: "name -> template; becomes the child's variables",
      }),
    ),
    wait: Type.Optional(Type.Boolean({ default: true })),
    timeout_seconds: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 3600, default: 300 })),
  },
  { additionalProperties: false },
);
export type ActionWorkflowConfig = Defaulted<
  Static<typeof ActionWorkflowConfigSchema>,
  'input' | 'wait' | 'timeout_seconds'
>;

export const actionWorkflow = defineNode<ActionWorkflowConfig>({
  type: 'action_workflow',
  category: 'action',
  description: "Runs another workflow of the entity; with wait, its final_output becomes this node's output.",
  configSchema: ActionWorkflowConfigSchema,
  outputSchema: Type.Record(Type.String(), Type.Unknown(), {
    description: "with wait: the child's final_output; without: {execution_id, status} of the child",
  }),
  examples: [{ workflow_id: '5b0e4c0e-8a57-4c4e-9d1b-6f4f2a7c9e01', input: { user: '{{ username }}' } }],
  outputPorts: ['output', 'error'],
  hasInput: true,
  effect: 'none',
  calledWorkflows: (config) => (typeof config.workflow_id === 'string' ? [config.workflow_id] : []),
  async execute(config, _input, ctx) {
    if (!ctx.workflows) throw new NodeError('sub-workflows cannot run here', 'NOT_AVAILABLE');
    const variables = createRenderer(ctx).value(config.input) as Record<string, unknown>;
    const outcome = await ctx.workflows.run({
      workflowId: config.workflow_id,
      nodeId: ctx.nodeId,
      callKey: ctx.runKey,
      variables,
      wait: config.wait,
      timeoutMs: config.timeout_seconds * 1000,
      signal: ctx.signal,
    });
    ctx.log(`sub-workflow execution ${outcome.execution_id}: ${outcome.status}`);
    if (!config.wait)
      return { output: { execution_id: outcome.execution_id, status: outcome.status }, ports: ['output'] };
    if (outcome.status !== 'completed') {
      throw new NodeError(
        `sub-workflow ${config.workflow_id} ended ${outcome.status}${outcome.error_message ? `: ${outcome.error_message}` : ''}`,
        'SUBWORKFLOW_FAILED',
      );
    }
    return { output: outcome.final_output ?? {}, ports: ['output'] };
  },
});

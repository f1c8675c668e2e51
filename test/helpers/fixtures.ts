/**
 * @module test/helpers/fixtures
 * Small workflows the integration tests share.
 */

import { ENTITY_ID } from '../../src/http/example-workflow.ts';

// The greeting workflow is also the OpenAPI document's example: one source for both.
export { COMMUNITY_ID, ENTITY_ID, greetingWorkflow } from '../../src/http/example-workflow.ts';

/** A webhook trigger that announces `release` in chat. */
export function webhookWorkflow() {
  return {
    name: 'Release announcer',
    entity_id: ENTITY_ID,
    nodes: {
      hook: { node_type: 'trigger_webhook', config: {} },
      say: { node_type: 'action_chat_message', config: { message: 'Released {{ release }}' } },
    },
    connections: [
      { connection_id: 'c1', from_node_id: 'hook', from_port_name: 'output', to_node_id: 'say', to_port_name: 'input' },
    ],
  };
}

/** "Slow": manual trigger → action_delay of `delayMs` → set `done`. */
export function slowWorkflow(delayMs: number, entityId = ENTITY_ID) {
  return {
    name: 'Slow',
    entity_id: entityId,
    nodes: {
      start: { node_type: 'trigger_manual' },
      wait: { node_type: 'action_delay', config: { delay_ms: delayMs } },
      after: { node_type: 'data_variable_set', config: { variables: { done: true } } },
    },
    connections: [
      { from_node_id: 'start', from_port_name: 'output', to_node_id: 'wait', to_port_name: 'input' },
      { from_node_id: 'wait', from_port_name: 'output', to_node_id: 'after', to_port_name: 'input' },
    ],
  };
}

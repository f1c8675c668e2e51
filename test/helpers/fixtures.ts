/**
 * @module test/helpers/fixtures
 * Small workflows the integration tests share.
 */

export const ENTITY_ID = 123;
export const COMMUNITY_ID = 456;

/** The reference's example: a `!test` command that answers in chat. */
export function greetingWorkflow(overrides: Record<string, unknown> = {}) {
  return {
    name: 'My Workflow',
    description: 'Workflow description',
    entity_id: ENTITY_ID,
    community_id: COMMUNITY_ID,
    nodes: {
      node1: {
        node_type: 'trigger_command',
        label: 'Command Trigger',
        position: { x: 100, y: 100 },
        config: { command_name: '!test' },
      },
      node2: {
        node_type: 'action_chat_message',
        label: 'Send Message',
        position: { x: 300, y: 100 },
        config: { message: 'Hello, {{username}}!' },
      },
    },
    connections: [
      {
        connection_id: 'conn1',
        from_node_id: 'node1',
        from_port_name: 'output',
        to_node_id: 'node2',
        to_port_name: 'input',
      },
    ],
    global_variables: { greeting: 'Hello' },
    ...overrides,
  };
}

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

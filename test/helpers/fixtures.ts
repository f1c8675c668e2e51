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

/**
 * @module http/example-workflow
 * The reference's greeting workflow and the entity and community it belongs to. It is both the
 * integration tests' fixture (test/helpers/fixtures.ts re-exports it) and the source of the
 * OpenAPI examples, so it lives apart from the examples that only the document shows.
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

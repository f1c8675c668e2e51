/**
 * @module http/api-examples
 * Request and answer examples of the OpenAPI document. The requests are the integration tests'
 * fixtures (test/helpers/fixtures.ts re-exports them), and a test holds every example to its
 * operation's schema, so the document shows what the service really takes and answers.
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

const WORKFLOW_ID = '5b0e4c0e-8a57-4c4e-9d1b-6f4f2a7c9e01';
const EXECUTION_ID = '0f8d3a52-2c4b-4f7e-a1d6-93b5e8c7d402';
const WEBHOOK_ID = '9a6c1e3b-7d2f-4b8a-b5e4-2c1d0f9e8a03';
const TOKEN = 'wh_4kT9xQ2mZp7LrV1sN8bC3yHd';
const AT = '2026-12-01T12:00:00.000Z';
const LATER = '2026-12-01T12:00:00.042Z';
const greeting = greetingWorkflow();
const OUTBOX_LOG = 'chat_message recorded in the outbox, not delivered (no router configured, or test mode)';

const workflowView = {
  workflow_id: WORKFLOW_ID,
  name: greeting.name,
  description: greeting.description,
  entity_id: ENTITY_ID,
  community_id: COMMUNITY_ID,
  created_by: '42',
  status: 'active',
  nodes: greeting.nodes,
  connections: greeting.connections,
  global_variables: greeting.global_variables,
  settings: {},
  version: 1,
  published_version: 1,
  has_unpublished_changes: false,
  created_at: AT,
  updated_at: AT,
  published_at: AT,
  archived_at: null,
};

const nodeStates = {
  node1: {
    node_id: 'node1',
    node_type: 'trigger_command',
    status: 'completed',
    started_at: AT,
    completed_at: AT,
    input_data: {},
    output_data: { command: '!test', username: 'alice' },
    logs: [],
    error: null,
    attempts: 1,
  },
  node2: {
    node_id: 'node2',
    node_type: 'action_chat_message',
    status: 'completed',
    started_at: AT,
    completed_at: LATER,
    input_data: { command: '!test', username: 'alice' },
    output_data: { delivered: false, status: null, response: null, payload: { message: 'Hello, alice!' } },
    logs: [OUTBOX_LOG],
    error: null,
    attempts: 1,
  },
};

const outbox = [
  {
    node_id: 'node2',
    kind: 'chat_message',
    payload: { message: 'Hello, alice!', destination: 'current_channel', entity_id: ENTITY_ID },
    delivered: false,
    simulated: false,
    at: LATER,
  },
];

const webhook = {
  webhook_id: WEBHOOK_ID,
  workflow_id: WORKFLOW_ID,
  token: TOKEN,
  name: 'GitHub',
  description: 'Release announcements',
  enabled: true,
  require_signature: true,
  ip_allowlist: [],
  rate_limit_max: 60,
  rate_limit_window: 60,
  created_at: AT,
  updated_at: AT,
  last_triggered_at: null,
  trigger_count: 0,
  url: `http://localhost:8070/api/v1/workflows/webhooks/${TOKEN}`,
};

const pagination = (total: number) => ({
  pagination: { page: 1, per_page: 20, total, total_pages: total === 0 ? 0 : 1, has_next: false, has_prev: false },
});

export interface OperationExample {
  readonly request?: unknown;
  /** By status. */
  readonly responses: Readonly<Record<number, unknown>>;
}

/** Keyed by "METHOD /path/{param}" as the document names operations. */
export const OPERATION_EXAMPLES: Readonly<Record<string, OperationExample>> = {
  'POST /api/v1/workflows': {
    request: greeting,
    responses: {
      201: {
        success: true,
        message: 'Workflow created successfully',
        data: {
          workflow_id: WORKFLOW_ID,
          name: greeting.name,
          status: 'draft',
          entity_id: ENTITY_ID,
          community_id: COMMUNITY_ID,
          created_at: AT,
        },
      },
      400: {
        success: false,
        error: {
          code: 'BAD_REQUEST',
          message: 'missing required field body.entity_id',
          details: { errors: ['missing required field body.entity_id'] },
        },
      },
    },
  },
  'GET /api/v1/workflows': {
    responses: {
      200: {
        success: true,
        data: [
          {
            workflow_id: WORKFLOW_ID,
            name: greeting.name,
            description: greeting.description,
            entity_id: ENTITY_ID,
            community_id: COMMUNITY_ID,
            status: 'active',
            version: 1,
            published_version: 1,
            created_at: AT,
            updated_at: AT,
          },
        ],
        meta: pagination(1),
      },
    },
  },
  'GET /api/v1/workflows/{workflow_id}': {
    responses: {
      200: { success: true, data: workflowView },
      404: { success: false, error: { code: 'WORKFLOW_NOT_FOUND', message: 'Workflow not found', details: {} } },
    },
  },
  'PUT /api/v1/workflows/{workflow_id}': {
    request: { description: 'Says hello to whoever types !test' },
    responses: {
      200: {
        success: true,
        message: 'Workflow updated successfully',
        data: { workflow_id: WORKFLOW_ID, version: 2, has_unpublished_changes: true, updated_at: LATER },
      },
    },
  },
  'POST /api/v1/workflows/{workflow_id}/validate': {
    request: {},
    responses: {
      200: {
        success: true,
        message: 'Validation completed',
        data: {
          is_valid: true,
          errors: [],
          warnings: [],
          node_validation_errors: {},
          error_count: 0,
          warning_count: 0,
        },
      },
    },
  },
  'POST /api/v1/workflows/{workflow_id}/publish': {
    request: { community_id: COMMUNITY_ID },
    responses: {
      200: {
        success: true,
        message: 'Workflow published successfully',
        data: { workflow_id: WORKFLOW_ID, status: 'active', version: 1, published_at: AT },
      },
    },
  },
  'POST /api/v1/workflows/{workflow_id}/execute': {
    request: { community_id: COMMUNITY_ID, variables: { username: 'alice' }, trigger_node_id: 'node1' },
    responses: {
      202: {
        success: true,
        message: 'Workflow execution started',
        data: {
          execution_id: EXECUTION_ID,
          workflow_id: WORKFLOW_ID,
          status: 'queued',
          start_time: null,
          execution_path: [],
        },
      },
      409: {
        success: false,
        error: {
          code: 'WORKFLOW_NOT_ACTIVE',
          message: 'Workflow has never been published; use /test to run a draft',
          details: { status: 'draft' },
        },
      },
    },
  },
  'GET /api/v1/workflows/executions/{execution_id}': {
    responses: {
      200: {
        success: true,
        data: {
          execution_id: EXECUTION_ID,
          workflow_id: WORKFLOW_ID,
          workflow_version: 1,
          status: 'completed',
          trigger_source: 'api',
          test_mode: false,
          queued_at: AT,
          start_time: AT,
          end_time: LATER,
          cancelled_at: null,
          execution_time_seconds: 0.042,
          execution_path: ['node1', 'node2'],
          node_states: nodeStates,
          final_variables: { username: 'alice', greeting: 'Hello' },
          final_output: {},
          outbox,
          error_message: null,
          error_node_id: null,
        },
      },
    },
  },
  'POST /api/v1/workflows/executions/{execution_id}/cancel': {
    responses: {
      200: {
        success: true,
        message: 'Execution cancelled successfully',
        data: { execution_id: EXECUTION_ID, status: 'cancelled', cancelled_at: LATER },
      },
    },
  },
  'POST /api/v1/workflows/{workflow_id}/test': {
    request: {
      trigger_node_id: 'node1',
      trigger_data: { message: '!test', username: 'tester' },
      mock_outputs: {},
    },
    responses: {
      200: {
        success: true,
        message: 'Workflow test completed',
        data: {
          execution_id: EXECUTION_ID,
          workflow_id: WORKFLOW_ID,
          test_mode: true,
          status: 'completed',
          execution_time_seconds: 0.004,
          trace: [
            {
              node_id: 'node1',
              status: 'completed',
              duration_seconds: 0,
              input: {},
              output: {},
              logs: [],
              error: null,
            },
            {
              node_id: 'node2',
              status: 'completed',
              duration_seconds: 0.001,
              input: {},
              output: { delivered: false, status: null, response: null },
              logs: [OUTBOX_LOG],
              error: null,
            },
          ],
          final_variables: { username: 'tester' },
          final_output: {},
          outbox: [{ ...outbox[0], simulated: true, payload: { message: 'Hello, tester!' } }],
          error_message: null,
          error_node_id: null,
          summary: { nodes_executed: 2, nodes_failed: 0, nodes_skipped: 0, total_duration: 0.004, passed: true },
        },
      },
    },
  },
  'POST /api/v1/workflows/{workflow_id}/webhooks': {
    request: { name: 'GitHub', description: 'Release announcements', require_signature: true },
    responses: {
      201: {
        success: true,
        message: 'Webhook created successfully',
        data: { ...webhook, secret: 'whsec_3f9a0c7e5b1d4a2f8e6c0b9d7a5f3e1c' },
      },
    },
  },
  'PATCH /api/v1/workflows/{workflow_id}/webhooks/{webhook_id}': {
    request: { enabled: false },
    responses: {
      200: { success: true, message: 'Webhook updated successfully', data: { ...webhook, enabled: false } },
    },
  },
  'POST /api/v1/workflows/webhooks/{token}': {
    request: { event: 'release', release: 'v1.2.0' },
    responses: {
      200: {
        success: true,
        message: 'Workflow execution triggered',
        data: {
          execution_id: EXECUTION_ID,
          webhook_id: WEBHOOK_ID,
          workflow_id: WORKFLOW_ID,
          status: 'queued',
          timestamp: AT,
        },
      },
      403: {
        success: false,
        error: { code: 'SIGNATURE_INVALID', message: 'Webhook signature verification failed', details: {} },
      },
    },
  },
  'POST /api/v1/workflows/events': {
    request: {
      type: 'command',
      entity_id: ENTITY_ID,
      platform: 'twitch',
      user_id: '1001',
      username: 'alice',
      message: '!test hello',
    },
    responses: {
      202: {
        success: true,
        message: '1 workflow(s) triggered',
        data: { matched: [{ workflow_id: WORKFLOW_ID, node_id: 'node1', execution_id: EXECUTION_ID }], skipped: [] },
      },
    },
  },
  'PUT /api/v1/workflows/{workflow_id}/permissions': {
    request: { permission_type: 'role', target_id: 'moderator', can_view: true, can_execute: true },
    responses: {
      200: {
        success: true,
        message: 'Permission saved',
        data: {
          workflow_id: WORKFLOW_ID,
          permission_type: 'role',
          target_id: 'moderator',
          can_view: true,
          can_edit: false,
          can_delete: false,
          can_execute: true,
          can_manage_permissions: false,
          granted_by: '42',
          created_at: AT,
          updated_at: AT,
        },
      },
    },
  },
};

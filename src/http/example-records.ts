/**
 * @module http/example-records
 * The ids, timestamps and records (a workflow view, node states, an outbox, a webhook) that the
 * examples of several operations show, and the shape of one operation's example. Shared by the
 * workflow and the execution examples so one run reads the same in every answer.
 */
import { COMMUNITY_ID, ENTITY_ID, greetingWorkflow } from './example-workflow.ts';

export interface OperationExample {
  readonly request?: unknown;
  /** By status. */
  readonly responses: Readonly<Record<number, unknown>>;
}

export const WORKFLOW_ID = '5b0e4c0e-8a57-4c4e-9d1b-6f4f2a7c9e01';
export const EXECUTION_ID = '0f8d3a52-2c4b-4f7e-a1d6-93b5e8c7d402';
export const WEBHOOK_ID = '9a6c1e3b-7d2f-4b8a-b5e4-2c1d0f9e8a03';
const TOKEN = 'wh_4kT9xQ2mZp7LrV1sN8bC3yHd';
export const AT = '2026-12-01T12:00:00.000Z';
export const LATER = '2026-12-01T12:00:00.042Z';
export const greeting = greetingWorkflow();
export const OUTBOX_LOG = 'chat_message recorded in the outbox, not delivered (no router configured, or test mode)';

export const workflowView = {
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

export const nodeStates = {
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

export const outbox = [
  {
    node_id: 'node2',
    kind: 'chat_message',
    payload: { message: 'Hello, alice!', destination: 'current_channel', entity_id: ENTITY_ID },
    delivered: false,
    simulated: false,
    at: LATER,
  },
];

export const webhook = {
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

export const pagination = (total: number) => ({
  pagination: { page: 1, per_page: 20, total, total_pages: total === 0 ? 0 : 1, has_next: false, has_prev: false },
});

/**
 * @module http/execution-examples
 * OpenAPI examples of the operations that start, show or cancel a run: execute, test, the
 * execution view and cancel, a webhook call and a platform event. Apart from the workflow
 * management examples (api-examples.ts) because they share the example run's records.
 */

import {
  AT,
  EXECUTION_ID,
  LATER,
  nodeStates,
  type OperationExample,
  OUTBOX_LOG,
  outbox,
  WEBHOOK_ID,
  WORKFLOW_ID,
} from './example-records.ts';
import { COMMUNITY_ID, ENTITY_ID } from './example-workflow.ts';

/** Keyed by "METHOD /path/{param}" as the document names operations. */
export const EXECUTION_EXAMPLES: Readonly<Record<string, OperationExample>> = {
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
          parent_execution_id: null,
          parent_node_id: null,
          rerun_of: null,
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
};

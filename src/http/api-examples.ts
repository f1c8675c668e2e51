/**
 * @module http/api-examples
 * Request and answer examples of the OpenAPI document: the workflow management operations here,
 * the runs' in execution-examples.ts. The requests are the integration tests'
 * fixtures (the greeting workflow of example-workflow.ts), and a test holds every example to its
 * operation's schema, so the document shows what the service really takes and answers.
 */

import {
  AT,
  greeting,
  LATER,
  type OperationExample,
  pagination,
  WORKFLOW_ID,
  webhook,
  workflowView,
} from './example-records.ts';
import { COMMUNITY_ID, ENTITY_ID } from './example-workflow.ts';
import { EXECUTION_EXAMPLES } from './execution-examples.ts';

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
  ...EXECUTION_EXAMPLES,
};

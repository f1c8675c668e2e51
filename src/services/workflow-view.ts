/**
 * @module services/workflow-view
 * Stored workflow records → the answers of the reference (get workflow, list item), beside the
 * execution, credential, schedule and webhook views.
 */
import type { WorkflowRecord } from '../store/workflows-repository.ts';

/** The full workflow as GET answers it. */
export function workflowView(workflow: WorkflowRecord) {
  return {
    workflow_id: workflow.workflow_id,
    name: workflow.name,
    description: workflow.description,
    entity_id: workflow.entity_id,
    community_id: workflow.community_id,
    created_by: workflow.created_by,
    status: workflow.status,
    nodes: workflow.nodes,
    connections: workflow.connections,
    global_variables: workflow.global_variables,
    settings: workflow.settings,
    version: workflow.version,
    published_version: workflow.published_version,
    has_unpublished_changes: workflow.has_unpublished_changes,
    created_at: workflow.created_at,
    updated_at: workflow.updated_at,
    published_at: workflow.published_at,
    archived_at: workflow.archived_at,
  };
}

/** A row of the list answer. */
export function workflowSummary(workflow: WorkflowRecord) {
  return {
    workflow_id: workflow.workflow_id,
    name: workflow.name,
    description: workflow.description,
    entity_id: workflow.entity_id,
    community_id: workflow.community_id,
    status: workflow.status,
    version: workflow.version,
    published_version: workflow.published_version,
    created_at: workflow.created_at,
    updated_at: workflow.updated_at,
  };
}

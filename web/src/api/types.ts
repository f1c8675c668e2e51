/**
 * @module api/types
 * Wire shapes the app reads and sends. The workflow definition types come from the server's own
 * TypeBox schemas (src/core/workflow.ts), so the editor and the API cannot drift apart.
 */
import type { ValidationResult } from '../../../src/core/validate.ts';
import type { Connection, RetryPolicy, WorkflowNode } from '../../../src/core/workflow.ts';

export type { Connection, RetryPolicy, WorkflowNode };

export type WorkflowStatus = 'draft' | 'active' | 'archived';

export interface WorkflowSettings {
  readonly timeout_seconds?: number;
  readonly max_parallel_executions?: number;
  readonly retry?: RetryPolicy;
  readonly [key: string]: unknown;
}

/** What the editor owns and autosaves: the working definition. */
export interface WorkflowDefinition {
  readonly nodes: Readonly<Record<string, WorkflowNode>>;
  readonly connections: readonly Connection[];
}

export interface WorkflowSummary {
  readonly workflow_id: string;
  readonly name: string;
  readonly description: string | null;
  readonly status: WorkflowStatus;
  readonly entity_id: number | string;
  readonly version?: number;
  readonly published_version?: number | null;
  readonly created_at: string;
  readonly updated_at: string;
}

export interface WorkflowView extends WorkflowSummary, WorkflowDefinition {
  readonly community_id: number | null;
  readonly global_variables: Readonly<Record<string, unknown>>;
  readonly settings: WorkflowSettings;
  readonly version: number;
  readonly published_version: number | null;
  readonly has_unpublished_changes: boolean;
}

export interface UpdateAnswer {
  readonly workflow_id: string;
  readonly version: number;
  readonly has_unpublished_changes: boolean;
  readonly updated_at: string;
}

export interface NodeTypeInfo {
  readonly node_type: string;
  readonly category: string;
  readonly description: string;
  readonly config_schema: Record<string, unknown>;
  readonly input_ports: readonly string[];
  readonly output_ports: readonly string[];
  readonly dynamic_output_ports: boolean;
}

/** `/validate` and a refused publish: messages, and per node the messages about it. */
export type { ValidationResult };

export interface TraceEntry {
  readonly node_id: string;
  readonly status: 'completed' | 'failed' | 'skipped' | 'cancelled' | 'running' | 'pending' | string;
  readonly duration_seconds: number;
  readonly input: unknown;
  readonly output: unknown;
  readonly logs: readonly string[];
  readonly error: string | null;
  readonly runs?: number;
}

export interface TestAnswer {
  readonly execution_id: string;
  readonly status: string;
  readonly execution_time_seconds: number;
  readonly trace: readonly TraceEntry[];
  readonly final_variables: Record<string, unknown>;
  readonly error_message: string | null;
  readonly error_node_id: string | null;
  readonly summary: {
    readonly nodes_executed: number;
    readonly nodes_failed: number;
    readonly nodes_skipped: number;
    readonly total_duration: number;
    readonly passed: boolean;
  };
}

export interface TestRequest {
  readonly trigger_node_id?: string;
  readonly trigger_data?: Record<string, unknown>;
  readonly variables?: Record<string, unknown>;
  readonly mock_outputs?: Record<string, unknown>;
}

export interface VersionSummary {
  readonly version: number;
  readonly published_by?: string | null;
  readonly published_at: string;
  readonly [key: string]: unknown;
}

export interface VersionSnapshot extends WorkflowDefinition {
  readonly version: number;
  readonly published_at: string;
  readonly global_variables?: Record<string, unknown>;
  readonly settings?: WorkflowSettings;
}

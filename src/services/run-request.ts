/**
 * @module services/run-request
 * What one run hands the engine: its request, read from the stored row, and its deps, whose
 * recorder stores each node's checkpoint and publishes its events (without the credential values
 * it used), and whose effects that leave the process each hold only under the run's lease.
 */
import type { Redactor } from '../core/redact.ts';
import type { WorkflowDefinition } from '../core/workflow.ts';
import type { EngineDeps, ExecutionRequest } from '../engine/index.ts';
import type { Metrics } from '../metrics.ts';
import type { SubWorkflowPort } from '../nodes/node-type.ts';
import type { ExecutionRow } from '../store/database.ts';
import type { Checkpointer } from './checkpointer.ts';
import type { EventRelay } from './event-relay.ts';
import { fenced } from './run-lease.ts';
import type { RunCredentials, StoredRequest } from './runner-types.ts';

export interface RunPorts {
  readonly signal: AbortSignal;
  /** Only when the run's definition uses credentials. */
  readonly credentials: RunCredentials | undefined;
  readonly workflows: SubWorkflowPort | undefined;
}

export function engineRequestOf(
  row: ExecutionRow,
  stored: StoredRequest,
  definition: WorkflowDefinition,
  ports: RunPorts,
): ExecutionRequest {
  const { credentials, workflows } = ports;
  return {
    executionId: row.execution_id,
    workflowId: row.workflow_id,
    entityId: row.entity_id,
    communityId: row.community_id,
    definition,
    triggerNodeIds: row.trigger_node_ids ? JSON.parse(row.trigger_node_ids) : undefined,
    triggerData: stored.trigger_data,
    ...(stored.trigger_variable !== undefined ? { triggerVariable: stored.trigger_variable } : {}),
    variables: stored.variables,
    testMode: row.test_mode === 1,
    mockOutputs: stored.mock_outputs,
    mockErrors: stored.mock_errors,
    signal: ports.signal,
    ...(credentials ? { credentials } : {}),
    ...(workflows ? { workflows } : {}),
  };
}

export interface RunDepsOptions {
  readonly engineDeps: Omit<EngineDeps, 'recorder'>;
  readonly routerUrl: string | undefined;
  readonly testMode: boolean;
  /** The process is shutting down: no more checkpoints. */
  stopping(): boolean;
  readonly metrics: Metrics;
  readonly events: EventRelay;
  readonly executionId: string;
  readonly redact: Redactor;
  readonly checkpoints: Checkpointer;
  /** Writes under the lease, or throws when it is lost. */
  checkLease(): Promise<void>;
}

export function runDepsOf(options: RunDepsOptions): EngineDeps {
  const { engineDeps, routerUrl, testMode, metrics, events, executionId, redact, checkpoints, checkLease } = options;
  const recorder: EngineDeps['recorder'] = {
    onNodeFinished: (state, _checkpoint, checkpointJson) => {
      metrics.nodeRuns.inc({ node_type: state.node_type, status: state.status });
      // Test runs are never resumed, so they need no checkpoints.
      if (options.stopping() || testMode) return undefined;
      if (redact.active) return checkpoints.nodeFinished(state, () => redact.json(checkpointJson()));
      return checkpoints.nodeFinished(state, checkpointJson);
    },
    onNodeEvent: (event) => {
      events.publish({ execution_id: executionId, ...(redact.active ? redact.value(event) : event), final: false });
    },
  };
  // Effects that leave the process (test runs make none): each one only under the lease.
  return testMode
    ? { ...engineDeps, recorder }
    : {
        ...engineDeps,
        recorder,
        http: fenced(engineDeps.http, 'request', checkLease),
        delivery: routerUrl ? fenced(engineDeps.delivery, 'send', checkLease) : engineDeps.delivery,
      };
}

/**
 * @module engine/limits
 * The engine limits of PRODUCT.md section 5. Each one ends the execution `failed` with a message
 * that names the limit, so a user reading error_message knows which knob to turn.
 */
import type { WorkflowSettings } from '../core/workflow.ts';
import type { EngineLimits } from './types.ts';

export const LIMITS = {
  workflowTimeout: 'workflow_timeout',
  nodeTimeout: 'node_timeout',
  totalOperations: 'max_total_operations',
  loopIterations: 'max_loop_iterations',
  loopDepth: 'max_loop_depth',
  parallelTimeout: 'parallel_timeout',
} as const;
export type LimitName = (typeof LIMITS)[keyof typeof LIMITS];

export class LimitError extends Error {
  constructor(
    readonly limit: LimitName,
    message: string,
    readonly nodeId: string | null,
  ) {
    super(message);
    this.name = 'LimitError';
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms) / 1000} s`;
}

/** settings.timeout_seconds wins over WORKFLOW_TIMEOUT. */
export function workflowTimeoutMs(settings: WorkflowSettings, limits: EngineLimits): number {
  return settings.timeout_seconds !== undefined ? settings.timeout_seconds * 1000 : limits.workflowTimeoutMs;
}

export function workflowTimeoutError(timeoutMs: number): LimitError {
  return new LimitError(
    LIMITS.workflowTimeout,
    `Workflow timeout exceeded: the execution ran longer than ${seconds(timeoutMs)} (settings.timeout_seconds, else WORKFLOW_TIMEOUT)`,
    null,
  );
}

export function nodeTimeoutError(nodeId: string, timeoutMs: number): LimitError {
  return new LimitError(
    LIMITS.nodeTimeout,
    `Node timeout exceeded: node "${nodeId}" ran longer than its timeout_seconds (${seconds(timeoutMs)})`,
    nodeId,
  );
}

export function operationsError(limits: EngineLimits, nodeId: string): LimitError {
  return new LimitError(
    LIMITS.totalOperations,
    `MAX_TOTAL_OPERATIONS exceeded: the execution needs more than ${limits.maxTotalOperations} node runs`,
    nodeId,
  );
}

/** A loop's own max_iterations, never above MAX_LOOP_ITERATIONS. */
export function loopIterationCap(requested: number, limits: EngineLimits): number {
  const own = Number.isFinite(requested) && requested > 0 ? Math.floor(requested) : limits.maxLoopIterations;
  return Math.min(own, limits.maxLoopIterations);
}

export function loopIterationsError(nodeId: string, cap: number, limits: EngineLimits): LimitError {
  return new LimitError(
    LIMITS.loopIterations,
    `Loop max_iterations exceeded: loop "${nodeId}" needs more than ${cap} iterations (max_iterations capped by MAX_LOOP_ITERATIONS = ${limits.maxLoopIterations})`,
    nodeId,
  );
}

export function loopDepthError(nodeId: string, depth: number, limits: EngineLimits): LimitError {
  return new LimitError(
    LIMITS.loopDepth,
    `MAX_LOOP_DEPTH exceeded: loop "${nodeId}" would nest ${depth} loops deep (limit ${limits.maxLoopDepth})`,
    nodeId,
  );
}

export function parallelTimeoutError(nodeId: string, timeoutMs: number): LimitError {
  return new LimitError(
    LIMITS.parallelTimeout,
    `flow_parallel timeout exceeded: the branches of "${nodeId}" ran longer than ${seconds(timeoutMs)} (timeout_seconds)`,
    nodeId,
  );
}

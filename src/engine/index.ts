/**
 * @module engine
 * The execution engine's public surface: run or resume an execution, pick the triggers of an API
 * execute, and shape a test run's trace. Everything else in src/engine is internal.
 */
export type { ExecutionCheckpoint } from './checkpoint-types.ts';
export { LIMITS, type LimitName } from './limits.ts';
export { resumeExecution, runExecution, selectTriggerNodes } from './run.ts';
export type { RunSpan } from './spans.ts';
export { type TestSummary, type TraceEntry, testSummary, testTrace } from './trace.ts';
export {
  DEFAULT_ENGINE_LIMITS,
  type EngineClock,
  type EngineDeps,
  type EngineLimits,
  type ExecutionCounters,
  type ExecutionEndStatus,
  type ExecutionRecorder,
  type ExecutionRequest,
  type ExecutionResult,
  type NodeEvent,
  type NodeState,
  type NodeStatus,
  type OutboxEntry,
} from './types.ts';

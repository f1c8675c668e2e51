/**
 * @module engine/run
 * The engine's entry points: `runExecution` walks a workflow from the trigger node(s) that fired,
 * `resumeExecution` continues one from a checkpoint after a crash. Both run in process with no
 * I/O of their own (side effects go through deps) and resolve with the execution record; they do
 * not throw for anything a workflow does.
 */
import { setMaxListeners } from 'node:events';
import type { WorkflowDefinition } from '../core/workflow.ts';
import type { NodeTypeLookup } from '../nodes/node-type.ts';
import { capValue } from './cap-value.ts';
import { restoreFrame } from './checkpoint.ts';
import { CHECKPOINT_VERSION, type ExecutionCheckpoint } from './checkpoint-types.ts';
import { createFrame, type IdSource, pushInOrder } from './frontier.ts';
import { workflowTimeoutError, workflowTimeoutMs } from './limits.ts';
import { buildPlan, reachableFrom } from './plan.ts';
import { createRecording, finalizeStates, type Recording, runCount } from './record.ts';
import { errorMessageOf } from './retry.ts';
import { failExecution, failWithLimit, newSlots, type Runtime, stopExecution } from './runtime.ts';
import { createScope, type EngineScope } from './scope.ts';
import { closeOpenSpans } from './spans.ts';
import type { Frame } from './state.ts';
import type { EngineDeps, ExecutionRequest, ExecutionResult } from './types.ts';
import { driveFrame } from './walk.ts';

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const TRIGGER_MANUAL = 'trigger_manual';

/** API/gRPC execute: the given trigger node, else every trigger_manual node, else every trigger node. */
export function selectTriggerNodes(
  definition: WorkflowDefinition,
  nodeTypes: NodeTypeLookup,
  triggerNodeId?: string,
): string[] {
  const ids = Object.keys(definition.nodes);
  if (triggerNodeId !== undefined) return ids.includes(triggerNodeId) ? [triggerNodeId] : [];
  const manual = ids.filter((id) => definition.nodes[id].node_type === TRIGGER_MANUAL);
  if (manual.length > 0) return manual;
  return ids.filter((id) => nodeTypes(definition.nodes[id].node_type)?.category === 'trigger');
}

function assignAll(target: Record<string, unknown>, source: Readonly<Record<string, unknown>> | undefined): void {
  if (!source) return;
  for (const key of Object.keys(source)) if (!FORBIDDEN_KEYS.has(key)) target[key] = source[key];
}

/** global_variables, then trigger data (also whole under `trigger`), then request variables; copies, never aliases. */
function initialScope(request: ExecutionRequest): EngineScope {
  const data: Record<string, unknown> = {};
  assignAll(data, structuredClone(request.definition.global_variables));
  const triggerData = structuredClone(request.triggerData ?? {});
  assignAll(data, triggerData);
  data.trigger = request.triggerVariable === undefined ? triggerData : structuredClone(request.triggerVariable);
  assignAll(data, structuredClone(request.variables ?? {}));
  data.nodes = {};
  return createScope(data);
}

interface RuntimeSeed {
  readonly triggerNodeIds: readonly string[];
  readonly scope: EngineScope;
  readonly rec: Recording;
  readonly startedAt: string;
  readonly elapsedBeforeMs: number;
  readonly nextId: number;
  /** Builds the root frame, taking its ids from those the run hands out. */
  root(ids: IdSource): Frame;
}

function createRuntime(request: ExecutionRequest, deps: EngineDeps, seed: RuntimeSeed): Runtime {
  const plan = buildPlan(request.definition, deps.nodeTypes);
  let nodeOutputs = seed.scope.data.nodes as Record<string, unknown> | undefined;
  if (nodeOutputs === null || typeof nodeOutputs !== 'object') {
    nodeOutputs = {};
    seed.scope.data.nodes = nodeOutputs;
  }
  const controller = new AbortController();
  // Parallel branches, sleeps and HTTP calls all listen on this one signal; each removes its listener.
  setMaxListeners(0, controller.signal);
  const ids = { nextId: seed.nextId };
  const root = seed.root(ids);
  return {
    request,
    deps,
    limits: deps.limits,
    plan,
    scope: seed.scope,
    nodeOutputs,
    rec: seed.rec,
    controller,
    slots: newSlots(deps.limits),
    triggerNodeIds: seed.triggerNodeIds,
    live: reachableFrom(plan, seed.triggerNodeIds),
    random: deps.random ?? Math.random,
    testMode: request.testMode === true,
    startedAt: seed.startedAt,
    originMs: performance.now() - seed.elapsedBeforeMs,
    timeoutMs: workflowTimeoutMs(request.definition.settings, deps.limits),
    types: new Map(),
    ports: new Map(),
    nextId: ids.nextId,
    stop: null,
    root,
  };
}

function finalVariables(rt: Runtime): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(rt.scope.data)) {
    if (key !== 'nodes') out[key] = capValue(rt.scope.data[key], rt.limits.maxStoredBytes);
  }
  return out;
}

/** Durations to the microsecond: performance.now() sums carry float noise (5.364714000003005). */
function roundedDurations(durations: Readonly<Record<string, number>>): Record<string, number> {
  const rounded: Record<string, number> = {};
  for (const id in durations) rounded[id] = Math.round(durations[id] * 1000) / 1000;
  return rounded;
}

function buildResult(rt: Runtime): ExecutionResult {
  const stop = rt.stop;
  const status = stop ? stop.kind : 'completed';
  const completedAt = rt.deps.clock.now().toISOString();
  finalizeStates(rt.rec, status, stop?.message ?? null, completedAt);
  const durationMs = performance.now() - rt.originMs;
  if (stop) closeOpenSpans(rt.rec, stop.kind, durationMs);
  return {
    execution_id: rt.request.executionId,
    status,
    started_at: rt.startedAt,
    completed_at: completedAt,
    duration_ms: Math.round(durationMs),
    execution_path: rt.rec.path,
    node_states: rt.rec.states,
    final_variables: finalVariables(rt),
    final_output: rt.rec.finalOutput,
    outbox: rt.rec.outbox,
    error_message: stop?.message ?? null,
    error_node_id: stop?.nodeId ?? null,
    limit: stop?.limit ?? null,
    counters: rt.rec.counters,
    node_durations_ms: roundedDurations(rt.rec.durations),
    timeline: rt.rec.spans,
    timeline_dropped: rt.rec.spansDropped,
  };
}

async function execute(rt: Runtime): Promise<ExecutionResult> {
  const signal = rt.request.signal;
  const onAbort = (): void =>
    stopExecution(rt, { kind: 'cancelled', message: 'Execution cancelled', nodeId: null, limit: null });
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const remaining = Math.max(0, rt.timeoutMs - (performance.now() - rt.originMs));
  const timer = setTimeout(() => failWithLimit(rt, workflowTimeoutError(rt.timeoutMs)), remaining);
  try {
    await driveFrame(rt, rt.root);
  } catch (error) {
    failExecution(rt, `Internal engine error: ${errorMessageOf(error)}`, null);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  return buildResult(rt);
}

export async function runExecution(request: ExecutionRequest, deps: EngineDeps): Promise<ExecutionResult> {
  const plan = buildPlan(request.definition, deps.nodeTypes);
  const triggerNodeIds = request.triggerNodeIds ?? selectTriggerNodes(request.definition, deps.nodeTypes);
  const rt = createRuntime(request, deps, {
    triggerNodeIds,
    scope: initialScope(request),
    rec: createRecording(plan, deps.limits.maxStoredBytes),
    startedAt: deps.clock.now().toISOString(),
    elapsedBeforeMs: 0,
    nextId: 1,
    root: (ids) => createFrame(ids, null, 0),
  });
  const missing = triggerNodeIds.filter((id) => !plan.nodes.has(id));
  if (triggerNodeIds.length === 0 || missing.length > 0) {
    const message =
      missing.length > 0 ? `Trigger node "${missing[0]}" does not exist` : 'No trigger node to start from';
    failExecution(rt, message, missing[0] ?? null);
    return buildResult(rt);
  }
  const input = request.triggerData ?? {};
  pushInOrder(
    rt.root.root,
    triggerNodeIds.map((node) => ({ node, input, from: null })),
  );
  return execute(rt);
}

/**
 * A checkpoint can be taken while nodes are running (a parallel branch, or a timed checkpoint
 * during a long delay). Their tokens are back on their lanes and run again on resume, so the
 * start of the interrupted run is undone here: otherwise the path would list it twice and the
 * node would count an extra run.
 */
function forgetInFlightRuns(rec: Recording): void {
  for (const state of Object.values(rec.states)) {
    if (state.status !== 'running') continue;
    const runsBefore = runCount(state) - 1;
    const at = rec.path.lastIndexOf(state.node_id);
    if (at >= 0) rec.path.splice(at, 1);
    rec.operations = Math.max(0, rec.operations - 1);
    if (runsBefore > 1) state.runs = runsBefore;
    else delete state.runs;
    // A node that ran before completed (else the run would have failed); one that had not is pending.
    state.status = runsBefore > 0 ? 'completed' : 'pending';
    if (runsBefore === 0) state.started_at = null;
  }
}

/**
 * Continues a run from a checkpoint (the request must carry the same definition). The checkpoint
 * object is taken over: pass a fresh copy (e.g. parsed from storage).
 */
export async function resumeExecution(
  checkpoint: ExecutionCheckpoint,
  request: ExecutionRequest,
  deps: EngineDeps,
): Promise<ExecutionResult> {
  if (checkpoint.version !== CHECKPOINT_VERSION)
    throw new Error(`Unsupported checkpoint version ${checkpoint.version}`);
  const plan = buildPlan(request.definition, deps.nodeTypes);
  const rec = createRecording(plan, deps.limits.maxStoredBytes);
  Object.assign(rec.states, checkpoint.node_states);
  Object.assign(rec.durations, checkpoint.node_durations_ms);
  Object.assign(rec.counters, checkpoint.counters);
  for (const id of checkpoint.execution_path) rec.path.push(id);
  for (const entry of checkpoint.outbox) rec.outbox.push(entry);
  rec.operations = checkpoint.operations;
  forgetInFlightRuns(rec);
  rec.finalOutput = checkpoint.final_output;
  const rt = createRuntime(request, deps, {
    triggerNodeIds: checkpoint.trigger_node_ids,
    scope: createScope(checkpoint.scope),
    rec,
    startedAt: checkpoint.started_at,
    elapsedBeforeMs: checkpoint.elapsed_ms,
    nextId: checkpoint.next_id,
    root: (ids) => restoreFrame(ids, checkpoint.root, null),
  });
  return execute(rt);
}

/**
 * @module engine/runtime
 * Everything one execution shares while it walks: request, deps, plan, scope, recording, the
 * internal abort controller (cancel, limits and failures all stop the run through it) and the
 * parallel slots. Passed explicitly to the walk's functions; there is no global state.
 */
import type { NodeType } from '../nodes/node-type.ts';
import { outputPortsOf } from '../nodes/node-type.ts';
import type { LimitError } from './limits.ts';
import type { ExecutionPlan } from './plan.ts';
import type { Recording } from './record.ts';
import type { EngineScope } from './scope.ts';
import { createSlots, type Slots } from './slots.ts';
import type { SpanTrack } from './spans.ts';
import type { Frame } from './state.ts';
import type { EngineDeps, EngineLimits, ExecutionRequest, NodeEvent, NodeStatus } from './types.ts';

export interface StopState {
  readonly kind: 'cancelled' | 'failed';
  readonly message: string;
  readonly nodeId: string | null;
  readonly limit: string | null;
}

export interface Runtime {
  readonly request: ExecutionRequest;
  readonly deps: EngineDeps;
  readonly limits: EngineLimits;
  readonly plan: ExecutionPlan;
  readonly scope: EngineScope;
  /** `nodes` in the scope: node id -> {output}. */
  readonly nodeOutputs: Record<string, unknown>;
  readonly rec: Recording;
  readonly controller: AbortController;
  readonly slots: Slots;
  readonly triggerNodeIds: readonly string[];
  /** Nodes reachable from the triggers that fired: only their connections are awaited by joins. */
  readonly live: ReadonlySet<string>;
  readonly random: () => number;
  readonly testMode: boolean;
  readonly startedAt: string;
  /** performance.now() at (re)start minus time already run before a crash. */
  readonly originMs: number;
  readonly timeoutMs: number;
  readonly types: Map<string, NodeType | undefined>;
  readonly ports: Map<string, readonly string[]>;
  nextId: number;
  stop: StopState | null;
  readonly root: Frame;
}

export function stopExecution(rt: Runtime, stop: StopState): void {
  if (rt.stop) return;
  rt.stop = stop;
  rt.controller.abort(stop);
}

export function failExecution(rt: Runtime, message: string, nodeId: string | null, limit: string | null = null): void {
  stopExecution(rt, { kind: 'failed', message, nodeId, limit });
}

export function failWithLimit(rt: Runtime, error: LimitError): void {
  failExecution(rt, error.message, error.nodeId, error.limit);
}

export function nodeTypeOf(rt: Runtime, nodeId: string): NodeType | undefined {
  let type = rt.types.get(nodeId);
  if (type === undefined && !rt.types.has(nodeId)) {
    const node = rt.plan.nodes.get(nodeId);
    type = node ? rt.deps.nodeTypes(node.node.node_type) : undefined;
    rt.types.set(nodeId, type);
  }
  return type;
}

/** Declared output ports of a node (switch ports come from its config). */
export function outputPortsOfNode(rt: Runtime, nodeId: string): readonly string[] {
  let ports = rt.ports.get(nodeId);
  if (!ports) {
    const type = nodeTypeOf(rt, nodeId);
    const node = rt.plan.nodes.get(nodeId);
    ports = type && node ? outputPortsOf(type, node.config) : [];
    rt.ports.set(nodeId, ports);
  }
  return ports;
}

let lastMs = Number.NaN;
let lastIso = '';

/** ISO time from the injected clock; formatting is cached per millisecond (many runs share one). */
export function nowIso(rt: Runtime): string {
  const ms = rt.deps.clock.now().getTime();
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

/** Which run, attempt and timeline lane of a node an event is about. */
export type RunOf = Readonly<Pick<SpanTrack, 'run' | 'attempt' | 'lane'>>;

function deliver(listener: (event: NodeEvent) => void, event: NodeEvent): void {
  try {
    listener(event);
  } catch {
    // A broken watcher must not break the run it watches.
  }
}

/** `at` null: stamped now, only when someone listens. */
export function emitEvent(rt: Runtime, nodeId: string, status: NodeStatus, at: string | null, output: unknown): void {
  const listener = rt.deps.recorder?.onNodeEvent;
  if (!listener) return;
  deliver(listener, { node_id: nodeId, status, at: at ?? nowIso(rt), output });
}

/** An event of a node run; `retrying` on a failed attempt that another attempt follows. */
export function emitRunEvent(
  rt: Runtime,
  nodeId: string,
  status: NodeStatus,
  at: string | null,
  output: unknown,
  of: RunOf,
  retrying = false,
): void {
  const listener = rt.deps.recorder?.onNodeEvent;
  if (!listener) return;
  const time = at ?? nowIso(rt);
  const { run, attempt, lane } = of;
  deliver(
    listener,
    retrying
      ? { node_id: nodeId, status, at: time, output, run, attempt, lane, retrying: true }
      : { node_id: nodeId, status, at: time, output, run, attempt, lane },
  );
}

export function elapsedMs(rt: Runtime): number {
  return performance.now() - rt.originMs;
}

export function newSlots(limits: EngineLimits): Slots {
  return createSlots(limits.maxParallelNodes);
}

/**
 * @module engine/context
 * The NodeContext a node run gets: the only way a node reaches variables, logs, time, waits,
 * delivery and HTTP. One small object per run; its methods live on the prototype and the
 * delivery/HTTP ports are built on first use, so a pure node run allocates almost nothing else.
 * Call `ctx.log(…)`, `ctx.sleep(…)`, `ctx.now()` as methods (they read `this`).
 */
import type { Delivery, ExpressionRunner, HttpClient, NodeContext } from '../nodes/node-type.ts';
import { appendLog } from './record.ts';
import type { Runtime } from './runtime.ts';
import type { EngineScope } from './scope.ts';
import { createDeliveryPort, createHttpPort } from './side-effects.ts';

interface Ports {
  readonly delivery: Delivery;
  readonly http: HttpClient;
}

const portsByRuntime = new WeakMap<Runtime, Map<string, Ports>>();

export function abortError(): DOMException {
  return new DOMException('The operation was aborted', 'AbortError');
}

/** Resolves after `ms`, or rejects with an AbortError as soon as `signal` aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<void>((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError());
    };
    const timer = setTimeout(
      () => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      },
      Math.max(0, ms),
    );
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

function portsFor(rt: Runtime, nodeId: string): Ports {
  let byNode = portsByRuntime.get(rt);
  if (!byNode) {
    byNode = new Map();
    portsByRuntime.set(rt, byNode);
  }
  let ports = byNode.get(nodeId);
  if (!ports) {
    ports = { delivery: createDeliveryPort(rt, nodeId), http: createHttpPort(rt, nodeId) };
    byNode.set(nodeId, ports);
  }
  return ports;
}

class EngineNodeContext implements NodeContext {
  readonly executionId: string;
  readonly workflowId: string;
  readonly entityId: number | null;
  readonly communityId: number | null;
  readonly testMode: boolean;
  readonly scope: EngineScope;
  readonly limits: Runtime['limits'];

  constructor(
    private readonly rt: Runtime,
    readonly nodeId: string,
    readonly signal: AbortSignal,
    private readonly run: number,
    private readonly attempt: number,
  ) {
    const request = rt.request;
    this.executionId = request.executionId;
    this.workflowId = request.workflowId;
    this.entityId = request.entityId;
    this.communityId = request.communityId;
    this.testMode = rt.testMode;
    this.scope = rt.scope;
    this.limits = rt.limits;
  }

  get delivery(): Delivery {
    return portsFor(this.rt, this.nodeId).delivery;
  }

  get http(): HttpClient {
    return portsFor(this.rt, this.nodeId).http;
  }

  get credentials() {
    return this.rt.request.credentials;
  }

  get workflows() {
    return this.rt.request.workflows;
  }

  /**
   * `<node>#<run>.<attempt>`: the run number counts every run of the node in the execution (loop
   * iterations, a node reached twice) and a resume first undoes the count of runs that were in
   * flight (engine/run.ts), so the run that runs again gets the same name.
   */
  get runKey(): string {
    return `${this.nodeId}#${this.run}.${this.attempt}`;
  }

  get expressions(): ExpressionRunner {
    return this.rt.deps.expressions;
  }

  log(message: string): void {
    appendLog(this.rt.rec.states[this.nodeId], String(message));
  }

  now(): Date {
    return this.rt.deps.clock.now();
  }

  sleep(ms: number): Promise<void> {
    if (!this.testMode) return abortableSleep(ms, this.signal);
    // Test mode records the wait instead of waiting; a cancelled run still rejects.
    this.log(`test mode: would wait ${Math.max(0, Math.round(ms))} ms (not waited)`);
    return this.signal.aborted ? Promise.reject(abortError()) : Promise.resolve();
  }
}

/** `signal` is the execution's, or a per-run one when the node has its own timeout. */
export function createNodeContext(
  rt: Runtime,
  nodeId: string,
  signal: AbortSignal,
  run: number,
  attempt: number,
): NodeContext {
  return new EngineNodeContext(rt, nodeId, signal, run, attempt);
}

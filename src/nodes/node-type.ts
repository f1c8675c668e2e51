/**
 * @module nodes/node-type
 * The contract every node type module fulfils: a name, a config schema (JSON Schema through
 * TypeBox), its ports, optional semantic checks for validation, and an executor. A node reaches
 * the world only through the NodeContext the engine hands it.
 */
import type { TSchema } from '@sinclair/typebox';
import type { ExpressionStep } from '../core/expressions.ts';

export const NODE_CATEGORIES = ['trigger', 'condition', 'action', 'data', 'loop', 'flow'] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

export const INPUT_PORT = 'input';
/** A loop node's body hangs off this output port; a cycle must pass through a loop node. */
export const LOOP_BODY_PORT = 'loop';

/**
 * What a node means to the shape of the graph, for validation and the engine:
 * - `loop`: owns a body on its `loop` port; cycles must pass through one;
 * - `join`: waits for its live incoming branches instead of running per token (see `joinInputs`);
 * - `end`: ends the run, so it needs no outgoing connection;
 * - `break`: ends the loop around it, so it must sit inside a loop body.
 */
export type NodeStructure = 'loop' | 'join' | 'end' | 'break';

/**
 * How far a node's run reaches beyond the run itself:
 * - `none`: nothing outside the run's own state;
 * - `outbox`: a delivery through the Delivery port: recorded in the run's outbox, and it leaves
 *   the process only when a router is configured;
 * - `external`: it always leaves the process (an HTTP call).
 * Test mode records instead of delivering, for both `outbox` and `external`.
 */
export type NodeEffect = 'none' | 'outbox' | 'external';

/** The variable scope of one execution: dotted/indexed paths (`user.name`, `items[0].id`). */
export interface VariableScope {
  get(path: string): unknown;
  has(path: string): boolean;
  set(name: string, value: unknown): void;
  /** The whole scope as a plain object (read-only view for expressions and templates). */
  snapshot(): Readonly<Record<string, unknown>>;
}

export type DeliveryKind = 'chat_message' | 'module' | 'browser_source';

/** What side-effect nodes use to reach the router, or the outbox when there is none. */
export interface Delivery {
  send(
    kind: DeliveryKind,
    payload: Record<string, unknown>,
    options: { timeoutMs: number; signal: AbortSignal },
  ): Promise<DeliveryResult>;
}
export interface DeliveryResult {
  readonly delivered: boolean; // false: recorded in the outbox only (no ROUTER_URL, or test mode)
  readonly status?: number;
  readonly response?: unknown;
}

export interface OutboundRequest {
  readonly url: string;
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}
export interface OutboundResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown; // parsed JSON when the response is JSON, else text
}
/** Guarded outbound HTTP (SSRF checks, size bounds) for action_webhook. */
export interface HttpClient {
  request(request: OutboundRequest): Promise<OutboundResponse>;
}

/** What a sub-workflow call asks for, and what it answers (services start and wait for the run). */
export interface SubWorkflowCall {
  readonly workflowId: string;
  /** The calling node (recorded on the child as parent_node_id). */
  readonly nodeId: string;
  /**
   * The calling node run, stable across a resume (NodeContext.runKey): a second call with it
   * finds the child the first one started. Absent: every call starts a child.
   */
  readonly callKey?: string | null;
  readonly variables: Record<string, unknown>;
  readonly wait: boolean;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
}
export interface SubWorkflowOutcome {
  readonly execution_id: string;
  readonly status: string;
  readonly final_output: Record<string, unknown> | null;
  readonly error_message: string | null;
}
export interface SubWorkflowPort {
  run(call: SubWorkflowCall): Promise<SubWorkflowOutcome>;
}

/**
 * Where JSONata runs (a worker pool in the service). The steps run in order, each step's
 * `variable` set for the ones after it, within one time budget for the whole node run; a limit
 * hit rejects with an ExpressionError whose `limit` says which.
 */
export interface ExpressionRunner {
  evaluate(
    steps: readonly ExpressionStep[],
    data: unknown,
    options: { readonly timeoutMs: number; readonly signal: AbortSignal },
  ): Promise<unknown[]>;
}

export interface NodeContext {
  readonly executionId: string;
  readonly workflowId: string;
  readonly nodeId: string;
  readonly entityId: number | null;
  readonly communityId: number | null;
  readonly testMode: boolean;
  readonly signal: AbortSignal;
  readonly scope: VariableScope;
  readonly delivery: Delivery;
  readonly http: HttpClient;
  readonly expressions: ExpressionRunner;
  readonly limits: { readonly maxLoopIterations: number; readonly expressionTimeoutMs: number };
  /** Opened credentials of the run, for `{{ $credentials.<name>.<field> }}` (absent: none). */
  readonly credentials?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** Sub-workflow runs (absent where the engine runs without services, e.g. unit tests). */
  readonly workflows?: SubWorkflowPort;
  /** Names this node run the same before and after a resume from a checkpoint (engine/context.ts). */
  readonly runKey?: string;
  log(message: string): void;
  now(): Date;
  /** Waits, rejecting at once with an AbortError when the execution is cancelled. */
  sleep(ms: number): Promise<void>;
}

/**
 * Control results tell the engine about flow it owns (loops, breaks, concurrency, ends); plain
 * nodes leave it out.
 */
export type ControlResult =
  | {
      readonly kind: 'foreach';
      readonly items: readonly unknown[];
      readonly itemVariable: string;
      readonly indexVariable: string;
      readonly maxIterations: number;
    }
  | { readonly kind: 'while'; readonly proceed: boolean; readonly maxIterations: number }
  | { readonly kind: 'break'; readonly breakLoop: boolean }
  | { readonly kind: 'parallel'; readonly timeoutMs: number }
  | {
      readonly kind: 'end';
      readonly status: 'completed' | 'failed';
      readonly finalOutput: Record<string, unknown>;
      readonly errorMessage?: string;
    };

export interface NodeResult {
  /** What the node produced: stored as output_data and reachable as `nodes.<id>.output`. */
  readonly output: unknown;
  /** Output ports that send a token on; ports not named here mark their branches skipped. */
  readonly ports: readonly string[];
  readonly control?: ControlResult;
}

export interface NodeType<Config = Record<string, unknown>> {
  readonly type: string;
  readonly category: NodeCategory;
  readonly description: string;
  /** JSON Schema of `config`, with defaults; validation reports every mismatch naming the field. */
  readonly configSchema: TSchema;
  /** JSON Schema of what the node writes to `nodes.<id>.output` (the node catalog shows it). */
  readonly outputSchema: TSchema;
  /** Valid configs, at least one (the catalog and docs/nodes.md show them; a test validates them). */
  readonly examples: readonly Readonly<Record<string, unknown>>[];
  /** Static output ports, or ports derived from config (condition_switch). */
  readonly outputPorts: readonly string[] | ((config: Config) => readonly string[]);
  /** Triggers have no input port. */
  readonly hasInput: boolean;
  /** What a run reaches outside the run; a repeat after a restart must not repeat it. */
  readonly effect: NodeEffect;
  /** Running it again costs much even without an effect (a delay waits again). */
  readonly costlyToRepeat?: boolean;
  /** Absent: a plain node, which runs once per token and routes on its result ports. */
  readonly structure?: NodeStructure;
  /** Joins only: fire on the first N live branches (N > 0), or -1 to wait for all live ones. */
  joinInputs?(config: Config): number;
  /** Workflows this node runs (sub-workflow calls): checked at validate and publish, listed on export. */
  calledWorkflows?(config: Config): readonly string[];
  /** Checks JSON Schema cannot express (cron, timezone, JSONata, regex, URL scheme); one message each. */
  validateConfig?(config: Config): readonly string[];
  execute(config: Config, input: unknown, ctx: NodeContext): Promise<NodeResult> | NodeResult;
}

/** A failure a node reports; `retryable` and `retryAfterMs` steer the engine's retry. */
export class NodeError extends Error {
  constructor(
    message: string,
    readonly code: string = 'NODE_ERROR',
    readonly options: { readonly retryable?: boolean; readonly retryAfterMs?: number } = {},
  ) {
    super(message);
    this.name = 'NodeError';
  }
}

/** How the engine and validation find a node type by name (the registry, or a test's own types). */
export type NodeTypeLookup = (type: string) => NodeType | undefined;

export function defineNode<Config>(node: NodeType<Config>): NodeType<Config> {
  return node;
}

export function outputPortsOf<Config>(node: NodeType<Config>, config: Config): readonly string[] {
  return typeof node.outputPorts === 'function' ? node.outputPorts(config) : node.outputPorts;
}
